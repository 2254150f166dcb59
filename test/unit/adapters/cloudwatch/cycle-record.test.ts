import { describe, expect, it } from 'vitest';
import { buildCycleRecord, MAX_VERTEX_NAME_CHARS, vertexDetailDue } from '../../../../lib/adapters/cloudwatch/cycle-record.ts';
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
  it('carries the price of a priced change in cents, and the running total against the spec with the detailed records only', () => {
    // Prepare
    const priced: ScalingDecision = {
      ...BALANCED,
      action: 'scale',
      price: {
        vcpuHourUsd: 0.04048,
        memoryGbHourUsd: 0.004445,
        currentTaskManagers: 1,
        newTaskManagers: 2,
        taskManagerCpu: 2,
        taskManagerUsdPerHour: 0.09874,
        deltaUsdPerHour: 0.09874,
        deltaUsdPerMonth: 72.0802,
      },
    };

    // Act
    const detailed = buildCycleRecord(JOB, EVALUATED, priced, { savedUsd: -3.14159 });
    const short = buildCycleRecord(JOB, EVALUATED, BALANCED, { savedUsd: 12.345, detailed: false });

    // Assess
    expect(detailed).toMatchObject({ usd: 72.08, saved: -3.14 });
    expect(short).not.toHaveProperty('usd');
    expect(short).not.toHaveProperty('saved');
  });

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
      p: 3,
      lag: 1_000_000,
      l: 0.512,
      age: 61.2,
      heap: 0.123,
      nv: 2,
      v: [
        { n: 'Source: clicks', p: 3, l: 0.512, t: 1235, lag: 1_000_000 },
        { n: SINK },
      ],
    });
    expect(JSON.stringify(record)).not.toMatch(/NaN|Infinity|null/);
  });

  it('without detail, keeps only the job totals: summed parallelism, recommendation and lag, the highest load', () => {
    // Prepare
    const evaluated: EvaluatedMetrics = {
      ...EVALUATED,
      vertices: {
        [SOURCE]: { ...EVALUATED.vertices[SOURCE]!, RECOMMENDED_PARALLELISM: { current: 4, average: 4 } },
        [SINK]: {
          LOAD: { current: 0.9, average: 0.87654 },
          LAG: { current: 5, average: 5 },
          PARALLELISM: { current: 2, average: 2 },
          RECOMMENDED_PARALLELISM: { current: 2, average: 2 },
        },
      },
    };

    // Act
    const record = buildCycleRecord(JOB, evaluated, BALANCED, { detailed: false, evaluationAgeSeconds: 60 });

    // Assess
    expect(record).toEqual({
      fsa: 'cycle',
      job: 'eks/flink/FlinkSessionJob/clicks',
      action: 'balanced',
      p: 5,
      r: 6,
      lag: 1_000_005,
      l: 0.877,
      age: 60,
    });
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

  it('keeps a record without detail short whatever the job size: at most 110 bytes plus the job key at 1,000 vertices', () => {
    // Prepare
    const vertices: Record<string, EvaluatedMetrics['vertices'][string]> = {};
    for (let i = 0; i < 1000; i++) {
      vertices[i.toString(16).padStart(32, '0')] = {
        LOAD: { current: 0.61234, average: 0.61234 },
        LAG: { current: 12_345_678, average: 1 },
        PARALLELISM: { current: 128, average: 128 },
        RECOMMENDED_PARALLELISM: { current: 256, average: 256 },
      };
    }
    const job: JobKey = { cluster: 'prod-eks-eu-west-1', namespace: 'streaming', kind: 'FlinkDeployment', name: 'orders-enrichment' };

    // Act
    const line = JSON.stringify(
      buildCycleRecord(job, { ...EVALUATED, vertices }, BALANCED, { detailed: false, evaluationAgeSeconds: 60.123 }),
    );

    // Assess
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(110 + 'prod-eks-eu-west-1/streaming/FlinkDeployment/orders-enrichment'.length);
    expect(line).not.toContain('"v"');
  });

  it('truncates long operator-chain names', () => {
    // Act
    const record = buildCycleRecord(JOB, EVALUATED, BALANCED, { vertexNames: { [SOURCE]: 'x'.repeat(500) } });

    // Assess
    expect(record.v?.[0]?.n).toHaveLength(MAX_VERTEX_NAME_CHARS);
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
    expect(record).toEqual({
      fsa: 'cycle',
      job: 'eks/flink/FlinkSessionJob/clicks',
      action: 'scale',
      p: 3,
      r: 6,
      nv: 1,
      v: [{ n: SOURCE, p: 3, r: 6 }],
    });
  });
});

describe('vertexDetailDue', () => {
  const FIVE_MINUTES = 300_000;
  const at = (minutes: number, seconds = 0) => Date.UTC(2026, 11, 5, 10, minutes, seconds);

  it('lists the vertices of the first cycle in each interval slot, aligned to the clock as bin() is', () => {
    // Act: a 1-minute cadence with a few seconds of jitter
    const due = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((minute) =>
      vertexDetailDue({ nowMs: at(minute, 3), previousEvaluationMs: at(minute - 1, 58), intervalMs: FIVE_MINUTES, changed: false }),
    );

    // Assess: 10:05:03 and 10:10:03 open the slots [10:05, 10:10) and [10:10, 10:15)
    expect(due).toEqual([false, false, false, false, true, false, false, false, false, true]);
  });

  it('lists them when the cycle changed something, on the first evaluation, and always with interval 0', () => {
    const quiet = { nowMs: at(2), previousEvaluationMs: at(1), intervalMs: FIVE_MINUTES, changed: false };
    expect(vertexDetailDue(quiet)).toBe(false);
    expect(vertexDetailDue({ ...quiet, changed: true })).toBe(true);
    expect(vertexDetailDue({ nowMs: at(2), intervalMs: FIVE_MINUTES, changed: false })).toBe(true);
    expect(vertexDetailDue({ ...quiet, intervalMs: 0 })).toBe(true);
  });

  it('lists them after a gap longer than the interval (missed ticks)', () => {
    expect(vertexDetailDue({ nowMs: at(12), previousEvaluationMs: at(3), intervalMs: FIVE_MINUTES, changed: false })).toBe(true);
  });
});
