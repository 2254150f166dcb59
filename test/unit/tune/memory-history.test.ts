import { describe, expect, it } from 'vitest';
import {
  emptyMemoryHistory,
  type PeakBucket,
  peakEstimate,
  readMemoryHistory,
  recordPeak,
} from '../../../lib/tune/memory-history.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const params = { intervalMs: DAY, maxAgeMs: 8 * DAY, halfLifeMs: DAY, percentile: 0.9, safetyMargin: 0 };

describe('recordPeak', () => {
  it('keeps the peak of each interval bucket', () => {
    // Prepare: 3 observations on day 0, one on day 1
    let buckets: PeakBucket[] = [];
    buckets = recordPeak(buckets, 5, 1 * HOUR, params);
    buckets = recordPeak(buckets, 9, 2 * HOUR, params);
    buckets = recordPeak(buckets, 7, 3 * HOUR, params);
    buckets = recordPeak(buckets, 4, DAY + HOUR, params);
    // Assess: day 0 peak 9, day 1 peak 4
    expect(buckets).toEqual([
      { startMs: 0, peakBytes: 9 },
      { startMs: DAY, peakBytes: 4 },
    ]);
  });

  it('drops buckets that ended more than max-age ago and ignores unusable usage', () => {
    const old = [{ startMs: 0, peakBytes: 100 }];
    // day 0 ends at 1 d; at 9 d + 1 ms it ended 8 d + 1 ms ago → dropped
    expect(recordPeak(old, Number.NaN, 9 * DAY + 1, params)).toEqual([]);
    // at 9 d − 1 ms it ended < 8 d ago → kept
    expect(recordPeak(old, -1, 9 * DAY - 1, params)).toEqual(old);
  });
});

describe('peakEstimate (weighted percentile of decaying peaks)', () => {
  it('is undefined without history', () => {
    expect(peakEstimate([], 0, params)).toBeUndefined();
  });

  it('keeps yesterday’s peak through a quiet day', () => {
    // now = 2 d: yesterday (ended 1 d ago → weight 1) had 10 GiB, today so far (open, weight 1) 4 GiB
    // sorted [4 (w 1), 10 (w 1)], total 2, p90 threshold 1.8 → 10
    const buckets = [
      { startMs: DAY, peakBytes: 10 },
      { startMs: 2 * DAY, peakBytes: 4 },
    ];
    expect(peakEstimate(buckets, 2 * DAY, params)).toBe(10);
  });

  it('lets a one-off peak fade after a few days', () => {
    // peak 10 on day 0, quiet 4 on days 1..4; now = 4 d + 12 h
    // weights: day 4 open 1, day 3 ended 12 h ago 0.707, day 2 0.354, day 1 0.177, day 0 (ended 3.5 d) 0.088
    // total 2.326; p90 = 2.093; quiet buckets sum to 2.238 ≥ 2.093 → 4
    const buckets = [
      { startMs: 0, peakBytes: 10 },
      ...[1, 2, 3, 4].map((d) => ({ startMs: d * DAY, peakBytes: 4 })),
    ];
    expect(peakEstimate(buckets, 4 * DAY + 12 * HOUR, params)).toBe(4);
  });

  it('keeps a peak that recurs every day', () => {
    // peaks 10 on days 0..3 and 4 today (open): the quiet weight 1 of 1 + 0.5 + … is below p90
    const buckets = [
      ...[0, 1, 2, 3].map((d) => ({ startMs: d * DAY, peakBytes: 10 })),
      { startMs: 4 * DAY, peakBytes: 4 },
    ];
    expect(peakEstimate(buckets, 4 * DAY + HOUR, params)).toBe(10);
  });

  it('returns the maximum at percentile 1 and applies the safety margin', () => {
    const buckets = [
      { startMs: 0, peakBytes: 1000 },
      { startMs: 5 * DAY, peakBytes: 100 },
    ];
    // p = 1 → max 1000; × (1 + 0.15) = 1150
    expect(peakEstimate(buckets, 5 * DAY, { ...params, percentile: 1, safetyMargin: 0.15 })).toBe(1150);
  });
});

describe('readMemoryHistory', () => {
  it.each([
    undefined,
    null,
    'x',
    { schemaVersion: 2 },
    { schemaVersion: 1, intervalMs: DAY, heap: [{ startMs: 0 }] },
  ])('restarts from an unreadable history %#', (stored) => {
    expect(readMemoryHistory(stored, DAY)).toEqual(emptyMemoryHistory(DAY));
  });

  it('restarts when the interval changed and keeps a valid history', () => {
    const stored = { schemaVersion: 1, intervalMs: DAY, heap: [{ startMs: 0, peakBytes: 1 }], metaspace: [] };
    expect(readMemoryHistory(stored, HOUR)).toEqual(emptyMemoryHistory(HOUR));
    expect(readMemoryHistory(stored, DAY)).toEqual(stored);
  });
});
