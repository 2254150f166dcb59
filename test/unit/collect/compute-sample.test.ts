import { describe, expect, it } from 'vitest';
import { type AutoscalerOptions, defaultOptions } from '../../../lib/config/index.ts';
import type { RawJobMetrics, RawVertexMetrics } from '../../../lib/domain/index.ts';
import { computeSample, verticesWithoutBusyTime } from '../../../lib/collect/compute-sample.ts';
import { computeGlobalSampleMetrics } from '../../../lib/collect/global-sample-metrics.ts';
import { computeObservedTpr, observedTprFromBackpressure } from '../../../lib/collect/observed-tpr.ts';
import { aSample, aTopology, aVertex } from '../../builders/sample-builders.ts';

const defaults = defaultOptions();

/** A job `src → op` with the given raw metrics, collected at t = 60 s. */
function rawJob(
  vertices: Record<string, RawVertexMetrics>,
  extra: Partial<RawJobMetrics> = {},
  finished: readonly string[] = [],
): RawJobMetrics {
  const topology = aTopology([
    aVertex('src', [], { finished: finished.includes('src') }),
    aVertex('op', ['src'], { finished: finished.includes('op') }),
  ]);
  return { collectedAtMs: 60_000, topology, vertices, taskManagers: {}, jobManager: {}, ...extra };
}

function withAggregator(aggregator: AutoscalerOptions['busyTimeAggregator']): AutoscalerOptions {
  return { ...defaults, busyTimeAggregator: aggregator };
}

describe('computeSample: LOAD and counters', () => {
  const busy = { min: 100, max: 200, avg: 150 };
  it.each([
    { aggregator: 'MAX', metrics: { busyTimeMsPerSecond: busy }, expected: 0.2 }, // 200/1000
    { aggregator: 'AVG', metrics: { busyTimeMsPerSecond: busy }, expected: 0.15 }, // 150/1000
    { aggregator: 'MIN', metrics: { busyTimeMsPerSecond: busy }, expected: 0.1 }, // 100/1000
    { aggregator: 'MAX', metrics: { busyTimeMsPerSecond: { max: -5 } }, expected: 0 }, // negative → 0
    { aggregator: 'MAX', metrics: { busyTimeMsPerSecond: { max: 333.3333 } }, expected: 0.333 }, // rounded
    { aggregator: 'MAX', metrics: { busyTimeMsPerSecond: { max: 0.2 } }, expected: 0.0002 }, // never rounded to 0
    { aggregator: 'MAX', metrics: {}, expected: undefined }, // missing → NaN (key omitted)
    { aggregator: 'AVG', metrics: { busyTimeMsPerSecond: { max: 1 } }, expected: undefined }, // aggregate missing
  ] as const)(
    'LOAD with $aggregator from $metrics.busyTimeMsPerSecond is $expected',
    ({ aggregator, metrics, expected }) => {
      // Prepare
      const raw = rawJob({ op: metrics });
      // Act
      const sample = computeSample(raw, [], withAggregator(aggregator));
      // Assess
      expect(sample.vertices.op?.LOAD).toBe(expected);
    },
  );

  it.each([
    { name: 'read-records of a non-source', vertex: 'op', metrics: { readRecords: 7 }, expected: 7 },
    { name: 'non-source without read-records', vertex: 'op', metrics: {}, expected: undefined },
    {
      name: 'source read-records when > 0',
      vertex: 'src',
      metrics: { readRecords: 5, sourceNumRecordsIn: 9 },
      expected: 5,
    },
    {
      name: 'source read-records 0 → Source__*.numRecordsIn',
      vertex: 'src',
      metrics: { readRecords: 0, sourceNumRecordsIn: 9, sourceNumRecordsOut: 11 },
      expected: 9,
    },
    {
      name: 'source still 0 → Source__*.numRecordsOut',
      vertex: 'src',
      metrics: { readRecords: 0, sourceNumRecordsIn: 0, sourceNumRecordsOut: 11 },
      expected: 11,
    },
    { name: 'source all zero → 0', vertex: 'src', metrics: { readRecords: 0 }, expected: 0 },
    { name: 'source nothing reported → NaN', vertex: 'src', metrics: {}, expected: undefined },
    { name: 'negative clamped to 0', vertex: 'op', metrics: { readRecords: -3 }, expected: 0 },
  ])('NUM_RECORDS_IN: $name', ({ vertex, metrics, expected }) => {
    const sample = computeSample(rawJob({ [vertex]: metrics }), [], defaults);
    expect(sample.vertices[vertex]?.NUM_RECORDS_IN).toBe(expected);
  });

  it('copies the other counters and gauges, rounded, and stamps the collection time', () => {
    // Prepare
    const raw = rawJob({
      src: { writeRecords: 20, accumulatedBusyTimeMs: 1234.56789, pendingRecords: 42 },
      op: { numRecordsInPerSecond: 12.34567, writeRecords: 3 },
    });
    // Act
    const sample = computeSample(raw, [], defaults);
    // Assess
    expect(sample.tsMs).toBe(60_000);
    expect(sample.vertices.src).toMatchObject({
      NUM_RECORDS_OUT: 20,
      ACCUMULATED_BUSY_TIME: 1234.568,
      LAG: 42,
    });
    expect(sample.vertices.op).toMatchObject({ NUM_RECORDS_IN_PER_SECOND: 12.346, NUM_RECORDS_OUT: 3 });
    expect(sample.vertices.op).not.toHaveProperty('LAG'); // sources only
    expect(sample.vertices.src).not.toHaveProperty('NUM_RECORDS_IN_PER_SECOND'); // non-sources only
  });

  it('reports LAG 0 for a source without pending-records metrics', () => {
    expect(computeSample(rawJob({ src: {} }), [], defaults).vertices.src?.LAG).toBe(0);
  });

  it('gives FINISHED vertices all-zero metrics and an infinite source TPR', () => {
    // Prepare: stale non-zero values must be ignored
    const raw = rawJob({ src: { readRecords: 99, busyTimeMsPerSecond: { max: 900 } } }, {}, ['src', 'op']);
    // Act
    const sample = computeSample(raw, [], defaults);
    // Assess
    expect(sample.vertices.src).toEqual({
      LOAD: 0,
      ACCUMULATED_BUSY_TIME: 0,
      NUM_RECORDS_IN: 0,
      NUM_RECORDS_OUT: 0,
      LAG: 0,
      OBSERVED_TPR: Number.POSITIVE_INFINITY,
    });
    expect(sample.vertices.op).toEqual({
      LOAD: 0,
      ACCUMULATED_BUSY_TIME: 0,
      NUM_RECORDS_IN: 0,
      NUM_RECORDS_OUT: 0,
      NUM_RECORDS_IN_PER_SECOND: 0,
    });
  });
});

describe('verticesWithoutBusyTime', () => {
  it.each<{ name: string; metrics: Record<string, RawVertexMetrics>; expected: string[] }>([
    {
      name: 'both reported',
      metrics: { src: { busyTimeMsPerSecond: { max: 1 } }, op: { busyTimeMsPerSecond: { max: 2 } } },
      expected: [],
    },
    { name: 'op missing', metrics: { src: { busyTimeMsPerSecond: { max: 1 } } }, expected: ['op'] },
    {
      name: 'NaN counts as missing',
      metrics: { src: { busyTimeMsPerSecond: { max: Number.NaN } }, op: { busyTimeMsPerSecond: { max: 0 } } },
      expected: ['src'],
    },
  ])('$name → $expected', ({ metrics, expected }) => {
    expect(verticesWithoutBusyTime(rawJob(metrics))).toEqual(expected);
  });

  it('uses the configured aggregate and skips FINISHED vertices', () => {
    // Prepare: only `max` reported; AVG reads `avg`; src is finished (zero metrics)
    const raw = rawJob({ op: { busyTimeMsPerSecond: { max: 10 } } }, {}, ['src']);
    // Act / Assess
    expect(verticesWithoutBusyTime(raw, { busyTimeAggregator: 'AVG' })).toEqual(['op']);
    expect(verticesWithoutBusyTime(raw, { busyTimeAggregator: 'MAX' })).toEqual([]);
  });
});

describe('OBSERVED_TPR', () => {
  const previous = [
    aSample(1000, { src: { OBSERVED_TPR: 100 } }),
    aSample(2000, { src: { OBSERVED_TPR: 200 } }),
  ];
  it.each([
    // default lag threshold 30 s: catching up iff lag ≥ 30·r
    {
      name: 'no input rate → not set',
      metrics: { pendingRecords: 1e6 },
      window: previous,
      expected: undefined,
    },
    {
      name: 'input 0 → +∞',
      metrics: { sourceNumRecordsInPerSecond: 0 },
      window: previous,
      expected: Number.POSITIVE_INFINITY,
    },
    {
      name: 'catching up → r/(1−bp/1000) = 500/0.4',
      metrics: {
        sourceNumRecordsInPerSecond: 500,
        pendingRecords: 15_000,
        backPressuredTimeMsPerSecond: { avg: 600 },
      },
      window: [],
      expected: 1250,
    },
    {
      name: 'lag just below 30·r → previous average (100+200)/2',
      metrics: {
        sourceNumRecordsInPerSecond: 500,
        pendingRecords: 14_999,
        backPressuredTimeMsPerSecond: { avg: 0 },
      },
      window: previous,
      expected: 150,
    },
    {
      name: 'fully back-pressured → previous average',
      metrics: {
        sourceNumRecordsInPerSecond: 500,
        pendingRecords: 1e6,
        backPressuredTimeMsPerSecond: { avg: 1000 },
      },
      window: previous,
      expected: 150,
    },
    {
      name: 'back-pressure unknown → previous average',
      metrics: { sourceNumRecordsInPerSecond: 500, pendingRecords: 1e6 },
      window: previous,
      expected: 150,
    },
    {
      name: 'one previous observation < min 2 → NaN (not set)',
      metrics: { sourceNumRecordsInPerSecond: 500, pendingRecords: 0 },
      window: previous.slice(1),
      expected: undefined,
    },
    {
      name: 'numRecordsOutPerSecond fallback: 300/(1−0.25) = 400',
      metrics: {
        sourceNumRecordsOutPerSecond: 300,
        pendingRecords: 1e6,
        backPressuredTimeMsPerSecond: { avg: 250 },
      },
      window: [],
      expected: 400,
    },
    {
      name: 'rounded to 3 decimals: 1000/0.81 = 1234.5679…',
      metrics: {
        sourceNumRecordsInPerSecond: 1000,
        pendingRecords: 1e7,
        backPressuredTimeMsPerSecond: { avg: 190 },
      },
      window: [],
      expected: 1234.568,
    },
  ])('$name', ({ metrics, window, expected }) => {
    const sample = computeSample(rawJob({ src: metrics }), window, defaults);
    expect(sample.vertices.src?.OBSERVED_TPR).toBe(expected);
  });

  it('does not evaluate the fallback average when not needed', () => {
    let calls = 0;
    const tpr = computeObservedTpr(
      {
        numRecordsInPerSecond: 0,
        lag: 0,
        avgBackpressuredTimeMsPerSecond: 0,
        previousAverage: () => ++calls,
      },
      defaults,
    );
    expect(tpr).toBe(Number.POSITIVE_INFINITY);
    expect(calls).toBe(0);
  });

  it.each([
    { r: 500, bp: 0, expected: 500 },
    { r: 100, bp: 500, expected: 200 }, // 100/(1−0.5)
    { r: 100, bp: 1000, expected: Number.NaN },
    { r: 100, bp: 1500, expected: Number.NaN },
  ])('observedTprFromBackpressure($r, $bp) = $expected', ({ r, bp, expected }) => {
    expect(observedTprFromBackpressure(r, bp)).toBe(expected);
  });
});

describe('global sample metrics', () => {
  it.each([
    { name: 'nothing reported', tm: {}, jm: {}, expected: {} },
    {
      name: 'slots used = total − available',
      tm: {},
      jm: { taskSlotsTotal: 8, taskSlotsAvailable: 3 },
      expected: { NUM_TASK_SLOTS_USED: 5 },
    },
    { name: 'slots need both values', tm: {}, jm: { taskSlotsTotal: 8 }, expected: {} },
    {
      name: 'GC pressure = max/1000',
      tm: { gcTimeMsPerSecond: { avg: 10, max: 250 } },
      jm: {},
      expected: { GC_PRESSURE: 0.25 },
    },
    {
      name: 'heap used and ratio need heap max (1/3 rounded)',
      tm: { heapUsedBytes: { max: 100 }, heapMaxBytes: { max: 300 } },
      jm: {},
      expected: { HEAP_MEMORY_USED: 100, HEAP_MAX_USAGE_RATIO: 0.333 },
    },
    { name: 'heap used alone → nothing', tm: { heapUsedBytes: { max: 100 } }, jm: {}, expected: {} },
    {
      name: 'managed and metaspace maxima',
      tm: { managedUsedBytes: { avg: 1, max: 2 }, metaspaceUsedBytes: { avg: 3, max: 4 } },
      jm: {},
      expected: { MANAGED_MEMORY_USED: 2, METASPACE_MEMORY_USED: 4 },
    },
  ])('$name', ({ tm, jm, expected }) => {
    // Act
    const direct = computeGlobalSampleMetrics(tm, jm);
    const viaSample = computeSample(rawJob({}, { taskManagers: tm, jobManager: jm }), [], defaults).global;
    // Assess
    expect(direct).toEqual(expected);
    expect(viaSample).toEqual(expected);
  });
});
