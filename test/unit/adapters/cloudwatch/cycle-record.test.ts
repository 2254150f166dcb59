import { describe, expect, it } from 'vitest';
import { buildCycleRecord, MAX_VERTEX_NAME_CHARS } from '../../../../lib/adapters/cloudwatch/cycle-record.ts';
import type { EvaluatedMetrics, JobKey, ScalingDecision } from '../../../../lib/domain/index.ts';

const JOB: JobKey = { cluster: 'eks', namespace: 'flink', kind: 'FlinkSessionJob', name: 'clicks' };
const SOURCE = 'c'.repeat(32);
const SINK = 'd'.repeat(32);

const EVALUATED: EvaluatedMetrics = {
  vertices: {
    [SOURCE]: {
      LOAD: { current: 0.5, average: 0.512345 },
      TRUE_PROCESSING_RATE: { current: 1, average: 1234.5678 },
      TARGET_DATA_RATE: { current: 1, average: Number.NaN },
      LAG: { current: 1_000_000, average: 900_000 },
      PARALLELISM: { current: 3, average: 3 },
    },
    [SINK]: { LOAD: { current: 0.1, average: Number.POSITIVE_INFINITY } },
  },
  global: { HEAP_MAX_USAGE_RATIO: { current: 0.123456, average: 0.1 } },
  processingBacklog: false,
};

const BALANCED: ScalingDecision = {
  action: 'balanced',
  vertices: [],
  guards: [],
  parallelismOverrides: {},
  summary: 'balanced',
};

describe('buildCycleRecord', () => {
  it('keeps one compact entry per vertex: name, parallelism, 4-digit rates, no NaN or infinity', () => {
    // Act
    const record = buildCycleRecord(JOB, EVALUATED, BALANCED, {
      vertexNames: { [SOURCE]: 'Source: clicks' },
      evaluationAgeSeconds: 61.234,
    });

    // Assess
    expect(record).toEqual({
      fsa: 'cycle',
      job: 'eks/flink/FlinkSessionJob/clicks',
      action: 'balanced',
      heap: 0.1235,
      age: 61.23,
      v: [
        { n: 'Source: clicks', p: 3, l: 0.5123, t: 1235, lag: 1_000_000 },
        { n: SINK },
      ],
    });
    expect(JSON.stringify(record)).not.toMatch(/NaN|Infinity|null/);
  });

  it('stays within a log budget of 128 bytes per vertex plus 150 per job, whatever the names and values', () => {
    // Prepare: 1,000 vertices with long names and every value present
    const vertices: Record<string, EvaluatedMetrics['vertices'][string]> = {};
    const names: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) {
      const id = i.toString(16).padStart(32, '0');
      vertices[id] = {
        LOAD: { current: 0.61234, average: 0.61234 },
        TRUE_PROCESSING_RATE: { current: 123456.789, average: 123456.789 },
        TARGET_DATA_RATE: { current: 98765.4321, average: 98765.4321 },
        LAG: { current: 12_345_678, average: 1 },
        PARALLELISM: { current: 128, average: 128 },
        RECOMMENDED_PARALLELISM: { current: 256, average: 256 },
      };
      names[id] = `Source: kafka-topic-${i} -> Timestamps/Watermarks -> Map -> Filter -> Sink: s3`;
    }

    // Act
    const bytes = Buffer.byteLength(
      JSON.stringify(buildCycleRecord(JOB, { ...EVALUATED, vertices }, BALANCED, { vertexNames: names })),
    );

    // Assess
    expect(bytes).toBeLessThanOrEqual(1000 * 128 + 150);
  });

  it('truncates long operator-chain names', () => {
    // Act
    const record = buildCycleRecord(JOB, EVALUATED, BALANCED, { vertexNames: { [SOURCE]: 'x'.repeat(500) } });

    // Assess
    expect(record.v[0]!.n).toHaveLength(MAX_VERTEX_NAME_CHARS);
  });

  it('takes parallelism and recommendation from the decision, and lists vertices only the decision has', () => {
    // Act
    const record = buildCycleRecord(JOB, undefined, {
      ...BALANCED,
      action: 'scale',
      vertices: [
        {
          vertexId: SOURCE,
          currentParallelism: 3,
          recommendedParallelism: 6,
          changed: true,
          outsideUtilizationBound: true,
          trueProcessingRateAvg: 1,
          targetDataRateAvg: 2,
          catchUpDataRate: 0,
          scaleUpRateThreshold: 1,
          scaleDownRateThreshold: 0,
          targetCapacity: 2,
          scaleFactor: 2,
          expectedProcessingRate: 2,
          reasons: ['scale-up'],
          why: 'test',
        },
      ],
    }, {});

    // Assess
    expect(record).toEqual({ fsa: 'cycle', job: 'eks/flink/FlinkSessionJob/clicks', action: 'scale', v: [{ n: SOURCE, p: 3, r: 6 }] });
  });
});
