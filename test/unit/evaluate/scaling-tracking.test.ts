import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../../lib/config/index.ts';
import type { ScalingSummary } from '../../../lib/domain/index.ts';
import {
  computeRestartTimeMs,
  recordRestartDuration,
  trimScalingHistory,
  trimScalingTracking,
} from '../../../lib/evaluate/scaling-tracking.ts';
import { aTopology, aVertex } from '../../builders/sample-builders.ts';

const S = 1000;
const MIN = 60 * S;

function summary(tsMs: number, newParallelism = 2): ScalingSummary {
  return {
    tsMs,
    currentParallelism: 1,
    newParallelism,
    metrics: { trueProcessingRateAvg: 10, expectedProcessingRate: 20, targetDataRateAvg: 15 },
  };
}

describe('computeRestartTimeMs', () => {
  const base = {
    restartTimeMs: 5 * MIN,
    restartTimeTrackingEnabled: true,
    restartTimeTrackingLimitMs: 15 * MIN,
  };
  it.each([
    { name: 'no records → restart.time', records: [], options: base, expected: 300 * S },
    {
      name: 'max tracked',
      records: [
        { startMs: 0, restartDurationMs: 180 * S },
        { startMs: 1, restartDurationMs: 240 * S },
      ],
      options: base,
      expected: 240 * S,
    },
    {
      name: 'capped at the limit (901 s → 900 s)',
      records: [{ startMs: 0, restartDurationMs: 901 * S }],
      options: base,
      expected: 900 * S,
    },
    {
      name: 'whole seconds (12.9 s → 12 s)',
      records: [{ startMs: 0, restartDurationMs: 12_900 }],
      options: base,
      expected: 12 * S,
    },
    {
      name: 'records without duration are ignored',
      records: [{ startMs: 0 }],
      options: base,
      expected: 300 * S,
    },
    // tracking disabled: the limit does not apply to restart.time (901 s stays 901 s)
    {
      name: 'tracking disabled',
      records: [{ startMs: 0, restartDurationMs: 10 * S }],
      options: { ...base, restartTimeTrackingEnabled: false, restartTimeMs: 901 * S },
      expected: 901 * S,
    },
  ])('$name', ({ records, options, expected }) => {
    expect(computeRestartTimeMs(records, options)).toBe(expected);
  });
});

describe('recordRestartDuration', () => {
  type Case = { name: string; history: Record<string, ScalingSummary[]>; expected: number | undefined };
  const topology = aTopology(
    [aVertex('a', [], { parallelism: 2 }), aVertex('b', ['a'], { parallelism: 3 })],
    70 * S,
  );
  it.each<Case>([
    // 70 s − 10 s = 60 s
    {
      name: 'all targets reached',
      history: { a: [summary(10 * S, 2)], b: [summary(10 * S, 3)] },
      expected: 60 * S,
    },
    {
      name: 'one target missed',
      history: { a: [summary(10 * S, 2)], b: [summary(10 * S, 4)] },
      expected: undefined,
    },
    { name: 'vertex gone from topology', history: { gone: [summary(10 * S, 2)] }, expected: undefined },
    // only entries at the record's exact timestamp count
    {
      name: 'older entries ignored',
      history: { a: [summary(1 * S, 9), summary(10 * S, 2)] },
      expected: 60 * S,
    },
    { name: 'no entry at that time matches vacuously', history: {}, expected: 60 * S },
  ])('$name', ({ history, expected }) => {
    // Act
    const updated = recordRestartDuration({
      records: [{ startMs: 1 * S, restartDurationMs: 5 * S }, { startMs: 10 * S }],
      scalingHistory: history,
      topology,
    });
    // Assess
    expect(updated?.at(-1)?.restartDurationMs).toBe(expected);
    if (updated) expect(updated[0]).toEqual({ startMs: 1 * S, restartDurationMs: 5 * S });
  });

  it('leaves an already measured latest record and an empty list alone', () => {
    expect(
      recordRestartDuration({
        records: [{ startMs: 0, restartDurationMs: 1 }],
        scalingHistory: {},
        topology,
      }),
    ).toBeUndefined();
    expect(recordRestartDuration({ records: [], scalingHistory: {}, topology })).toBeUndefined();
  });
});

describe('trimScalingTracking', () => {
  const now = 100 * MIN;
  it.each([
    { name: 'empty', offsetsMin: [], maxAgeMin: 60, maxCount: 10, remaining: [] },
    {
      name: 'latest kept although too old',
      offsetsMin: [-24 * 60],
      maxAgeMin: 60,
      maxCount: 10,
      remaining: [-24 * 60],
    },
    {
      name: 'age cut is exclusive (−60 min kept)',
      offsetsMin: [-61, -60, -1],
      maxAgeMin: 60,
      maxCount: 10,
      remaining: [-60, -1],
    },
    {
      name: 'count keeps the newest',
      offsetsMin: [-5, -4, -3, -2, -1],
      maxAgeMin: 60,
      maxCount: 2,
      remaining: [-2, -1],
    },
    {
      name: 'count 0 still keeps the latest',
      offsetsMin: [-2, -1],
      maxAgeMin: 60,
      maxCount: 0,
      remaining: [-1],
    },
  ])('$name', ({ offsetsMin, maxAgeMin, maxCount, remaining }) => {
    const records = offsetsMin.map((offset) => ({ startMs: now + offset * MIN }));
    const trimmed = trimScalingTracking(
      records,
      { historyMaxAgeMs: maxAgeMin * MIN, historyMaxCount: maxCount },
      now,
    );
    expect(trimmed.map((r) => (r.startMs - now) / MIN)).toEqual(remaining);
  });
});

describe('trimScalingHistory', () => {
  it('drops old, excess, empty and removed vertices (defaults: 24 h, 3 entries)', () => {
    // Prepare
    const now = 48 * 60 * MIN;
    const options = defaultOptions();
    const history = {
      a: [
        summary(now - 25 * 60 * MIN),
        summary(now - 4),
        summary(now - 3),
        summary(now - 2),
        summary(now - 1),
      ],
      b: [summary(now - 30 * 60 * MIN)], // too old → vertex dropped
      gone: [summary(now - 1)], // not in topology
    };
    const topology = aTopology([aVertex('a'), aVertex('b')]);
    // Act
    const trimmed = trimScalingHistory(history, topology, options, now);
    // Assess
    expect(Object.keys(trimmed)).toEqual(['a']);
    expect(trimmed.a?.map((s) => now - s.tsMs)).toEqual([3, 2, 1]);
  });
});
