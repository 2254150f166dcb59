import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../../lib/domain/index.ts';
import {
  clearHistoryIfRestarted,
  updateMetricWindow,
  windowLookbackMs,
} from '../../../lib/window/update-metric-window.ts';
import { aSample } from '../../builders/sample-builders.ts';

/** Window 100 s, stabilization 10 s. */
const options = { metricsWindowMs: 100_000, stabilizationIntervalMs: 10_000 };

/** Runs one cycle per timestamp, each seeing the previous cycle's samples (Java trimming: lookback 0). */
function collect(timestamps: readonly number[], jobRunningTsMs = 0, lookbackMs = 0) {
  let samples: MetricSample[] = [];
  const updates = [];
  for (const nowMs of timestamps) {
    const update = updateMetricWindow({
      samples,
      newSample: aSample(nowMs),
      jobRunningTsMs,
      options,
      nowMs,
      lookbackMs,
    });
    samples = update.samples;
    updates.push(update);
  }
  return updates;
}

describe('updateMetricWindow with the Java trimming (lookback 0)', () => {
  it.each([
    // stable at 10 s; first sample ≥ 10 s is at 10 s → full at 110 s
    {
      name: 'stabilization samples are kept until full',
      at: [0, 5_000, 10_000],
      sizes: [1, 2, 3],
      full: [false, false, false],
    },
    // at 110 s: full, drop ts < 10 s → [10 s, 110 s]
    {
      name: 'full at first stable sample + window, then trimmed',
      at: [0, 10_000, 110_000],
      sizes: [1, 2, 2],
      full: [false, false, true],
    },
    // no sample after stabilization before 20 s → full at 20 s + 100 s = 120 s
    {
      name: 'window starts at the first stable sample',
      at: [20_000, 119_999, 120_000],
      sizes: [1, 2, 3],
      full: [false, false, true],
    },
    // at 130 s: cutoff 30 s; the sample at exactly 30 s stays (strictly older are dropped)
    {
      name: 'cutoff is exclusive',
      at: [20_000, 30_000, 120_000, 130_000],
      sizes: [1, 2, 3, 3],
      full: [false, false, true, true],
    },
  ])('$name', ({ at, sizes, full }) => {
    // Act
    const updates = collect(at);
    // Assess
    expect(updates.map((u) => u.samples.length)).toEqual(sizes);
    expect(updates.map((u) => u.windowFull)).toEqual(full);
  });

  it('reports stabilization relative to the RUNNING timestamp', () => {
    // stable at 5 s + 10 s = 15 s
    const updates = collect([5_000, 14_999, 15_000], 5_000);
    expect(updates.map((u) => u.stabilizing)).toEqual([true, true, false]);
  });

  it('clears the history when the job entered RUNNING after the first sample', () => {
    // Prepare: samples from before a restart at 50 s
    const samples = [aSample(10_000), aSample(20_000)];
    // Act
    const update = updateMetricWindow({
      samples,
      newSample: aSample(60_000),
      jobRunningTsMs: 50_000,
      options,
      nowMs: 60_000,
      lookbackMs: 0,
    });
    // Assess
    expect(update.restarted).toBe(true);
    expect(update.samples.map((s) => s.tsMs)).toEqual([60_000]);
    expect(update.stabilizing).toBe(false); // 60 s ≥ 50 s + 10 s
    expect(update.windowFull).toBe(false); // full at 160 s
    expect(update.windowFullAtMs).toBe(160_000);
  });

  it('keeps the samples taken after a restart when the load returns both sides of it', () => {
    const { restarted, samples } = clearHistoryIfRestarted(
      [aSample(10_000), aSample(50_000), aSample(70_000), aSample(30_000)],
      50_000,
    );
    expect(restarted).toBe(true);
    expect(samples.map((s) => s.tsMs)).toEqual([50_000, 70_000]);
  });

  it('keeps the history when RUNNING equals the first sample time', () => {
    const { restarted, samples } = clearHistoryIfRestarted([aSample(20), aSample(10)], 10);
    expect(restarted).toBe(false);
    expect(samples.map((s) => s.tsMs)).toEqual([10, 20]); // sorted oldest first
  });

  it('replaces a sample with the same timestamp', () => {
    const update = updateMetricWindow({
      samples: [aSample(1_000, { v: { LAG: 1 } })],
      newSample: aSample(1_000, { v: { LAG: 2 } }),
      jobRunningTsMs: 0,
      options,
      nowMs: 1_000,
      lookbackMs: 0,
    });
    expect(update.samples).toEqual([aSample(1_000, { v: { LAG: 2 } })]);
  });

  it('keeps every sample within the window once full, and only those', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
        (raw) => {
          const at = [...raw].sort((a, b) => a - b);
          const last = collect(at).at(-1)!;
          const nowMs = at.at(-1)!;
          expect(last.samples.at(-1)?.tsMs).toBe(nowMs);
          if (last.windowFull) {
            expect(last.samples.map((s) => s.tsMs)).toEqual(
              at.filter((t) => t >= nowMs - options.metricsWindowMs),
            );
          }
        },
      ),
    );
  });
});

describe('updateMetricWindow on a real clock (anchor before the window)', () => {
  it('keeps the newest sample at or before now − window, so the next cycle is full again', () => {
    // Cycles every 60 s, each 0.2–5 s late; window 100 s, stabilization 10 s, RUNNING at 0.
    const at = [1_300, 60_900, 122_100, 180_400, 243_000, 301_700];
    const updates = collect(at, 0, windowLookbackMs(60_000));
    // The first stable sample is 60.9 s (1.3 s is stabilizing): full from 160.9 s on, every cycle.
    expect(updates.map((u) => u.windowFull)).toEqual([false, false, false, true, true, true]);
    // At 180.4 s the anchor is 60.9 s (≤ 80.4 s); at 243 s it is 122.1 s (≤ 143 s), and so on.
    expect(updates.map((u) => u.samples[0]?.tsMs)).toEqual([1_300, 1_300, 1_300, 60_900, 122_100, 180_400]);
  });

  it('the Java trimming on the same timing flickers: this is the bug the anchor fixes', () => {
    const at = [1_300, 60_900, 122_100, 180_400, 243_000, 301_700];
    // Each cycle loads only what the store returns from now − window (the old load range).
    let stored: MetricSample[] = [];
    const full: boolean[] = [];
    for (const nowMs of at) {
      const loaded = stored.filter((s) => s.tsMs >= nowMs - options.metricsWindowMs);
      const update = updateMetricWindow({
        samples: loaded,
        newSample: aSample(nowMs),
        jobRunningTsMs: 0,
        options,
        nowMs,
        lookbackMs: 0,
      });
      stored = [...stored, aSample(nowMs)];
      full.push(update.windowFull);
    }
    expect(full).toEqual([false, false, false, false, false, false]);
  });

  it('drops an anchor older than the lookback (a long outage starts a fresh window)', () => {
    const update = updateMetricWindow({
      samples: [aSample(20_000), aSample(500_000)],
      newSample: aSample(700_000),
      jobRunningTsMs: 0,
      options,
      nowMs: 700_000,
      lookbackMs: 180_000,
    });
    // boundary 600 s: 500 s is within 180 s of it → anchor; 20 s is not.
    expect(update.samples.map((s) => s.tsMs)).toEqual([500_000, 700_000]);
    const outage = updateMetricWindow({
      samples: [aSample(20_000), aSample(300_000)],
      newSample: aSample(700_000),
      jobRunningTsMs: 0,
      options,
      nowMs: 700_000,
      lookbackMs: 180_000,
    });
    expect(outage.windowFull).toBe(true);
    expect(outage.samples.map((s) => s.tsMs)).toEqual([700_000]);
  });

  /**
   * A schedule with cadence C: each tick is delivered 0.2–5 s late (scheduler, SQS, Lambda start),
   * up to every other tick is missed (never two in a row), some are delivered twice (the second delivery of a
   * tick is skipped by the cycle's tick check, so it never adds a sample), and the job entered
   * RUNNING at some point. The store returns the samples from `now − window − lookback` on, as
   * DynamoDbStateStore.load does with the range run-cycle asks for.
   */
  const realSchedule = fc
    .record({
      cadenceMs: fc.constantFrom(15_000, 30_000, 60_000, 120_000),
      windowCadences: fc.double({ min: 1.3, max: 20, noNaN: true }),
      stabilizationMs: fc.integer({ min: 0, max: 600_000 }),
      /** Share of ticks missed (up to every other one). */
      missRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
      runningAtMs: fc.integer({ min: 0, max: 3_600_000 }),
      firstTickMs: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
      ticks: fc.array(
        fc.record({
          delayMs: fc.integer({ min: 200, max: 5_000 }),
          missed: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        { minLength: 30, maxLength: 120 },
      ),
    })
    .map((s) => ({ ...s, windowMs: Math.round(s.windowCadences * s.cadenceMs) }));

  type ScheduleCase = typeof realSchedule extends fc.Arbitrary<infer T> ? T : never;

  function runSchedule(s: ScheduleCase) {
    const runningTsMs = s.firstTickMs - s.runningAtMs;
    const lookbackMs = windowLookbackMs(s.cadenceMs);
    const windowOptions = { metricsWindowMs: s.windowMs, stabilizationIntervalMs: s.stabilizationMs };
    let stored: MetricSample[] = [];
    let previousMissed = false;
    const cycles: { nowMs: number; windowFull: boolean; samples: MetricSample[] }[] = [];
    s.ticks.forEach((tick, index) => {
      // Up to every other tick is missed, never two in a row.
      const missed = !previousMissed && tick.missed < s.missRate;
      previousMissed = missed;
      if (missed) return;
      const nowMs = s.firstTickMs + index * s.cadenceMs + tick.delayMs;
      const loaded = stored.filter((sample) => sample.tsMs >= nowMs - s.windowMs - lookbackMs);
      const update = updateMetricWindow({
        samples: loaded,
        newSample: aSample(nowMs),
        jobRunningTsMs: runningTsMs,
        options: windowOptions,
        nowMs,
        lookbackMs,
      });
      stored = [...stored, aSample(nowMs)];
      cycles.push({ nowMs, windowFull: update.windowFull, samples: update.samples });
    });
    return { cycles, stableFromMs: runningTsMs + s.stabilizationMs };
  }

  it('once stable for one window plus one cadence, every cycle is full and its rates cover the whole window', () => {
    fc.assert(
      fc.property(realSchedule, (s) => {
        const { cycles, stableFromMs } = runSchedule(s);
        // Sampled and stable from here on: the later of the stable time and the first cycle.
        const observedFromMs = Math.max(stableFromMs, cycles[0]?.nowMs ?? Number.POSITIVE_INFINITY);
        // A stable sample exists within two cadences (+ delay) of that time (one tick may be missed).
        const maxGapMs = 2 * s.cadenceMs + 5_000;
        for (const cycle of cycles) {
          if (cycle.nowMs < observedFromMs + s.windowMs + maxGapMs) continue;
          expect(cycle.windowFull).toBe(true);
          const first = cycle.samples[0]!.tsMs;
          expect(first).toBeLessThanOrEqual(cycle.nowMs - s.windowMs);
          expect(first).toBeGreaterThanOrEqual(cycle.nowMs - s.windowMs - windowLookbackMs(s.cadenceMs));
          expect(first).toBeGreaterThanOrEqual(stableFromMs);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a full window never holds a sample from before the stable time, and only one before the window', () => {
    fc.assert(
      fc.property(realSchedule, (s) => {
        const { cycles, stableFromMs } = runSchedule(s);
        for (const cycle of cycles.filter((c) => c.windowFull)) {
          expect(cycle.samples.every((sample) => sample.tsMs >= stableFromMs)).toBe(true);
          const before = cycle.samples.filter((sample) => sample.tsMs <= cycle.nowMs - s.windowMs);
          expect(before.length).toBeLessThanOrEqual(1);
          expect(cycle.samples.at(-1)?.tsMs).toBe(cycle.nowMs);
        }
      }),
      { numRuns: 300 },
    );
  });
});
