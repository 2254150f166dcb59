import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearHistoryIfRestarted, updateMetricWindow } from '../../../lib/metrics/metric-window.ts';
import { aSample } from './sample-builders.ts';

/** Window 100 s, stabilization 10 s. */
const options = { metricsWindowMs: 100_000, stabilizationIntervalMs: 10_000 };

function collect(timestamps: readonly number[], jobRunningTsMs = 0, windowOptions = options) {
  let samples = timestamps.slice(0, 0).map((tsMs) => aSample(tsMs));
  const updates = [];
  for (const nowMs of timestamps) {
    const update = updateMetricWindow({
      samples,
      newSample: aSample(nowMs),
      jobRunningTsMs,
      options: windowOptions,
      nowMs,
    });
    samples = update.samples;
    updates.push(update);
  }
  return updates;
}

describe('updateMetricWindow', () => {
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
    });
    // Assess
    expect(update.restarted).toBe(true);
    expect(update.samples.map((s) => s.tsMs)).toEqual([60_000]);
    expect(update.stabilizing).toBe(false); // 60 s ≥ 50 s + 10 s
    expect(update.windowFull).toBe(false); // full at 160 s
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
