import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AutoscalerOptions, defaultOptions } from '../../../lib/config/index.ts';
import type { MetricSample, StepTargetDataRate } from '../../../lib/domain/index.ts';
import { evaluateMetrics } from '../../../lib/evaluate/evaluate-metrics.ts';
import {
  downstreamStepTargetDataRate,
  isSourceLoadRising,
  isStep,
  recentWindowPart,
  sourceStepRate,
  sourceTargetDataRate,
} from '../../../lib/evaluate/step-target-rate.ts';
import { aSample, aTopology, aVertex } from '../../builders/sample-builders.ts';

/** Defaults: step-aware on, recent fraction 0.5, threshold 0.1. */
const options: AutoscalerOptions = defaultOptions();

/**
 * A source window of 11 samples, one a minute (0 … 600 s). Until 300 s the source reads
 * `before` rec/s; after, it reads `afterIn` rec/s and its lag grows by `afterLag` rec/s.
 */
function stepWindow(before: number, afterIn: number, afterLag = 0): MetricSample[] {
  return Array.from({ length: 11 }, (_, i) => {
    const s = i * 60;
    const post = Math.max(0, s - 300);
    const pre = Math.min(s, 300);
    return aSample(s * 1000, {
      src: { NUM_RECORDS_IN: before * pre + afterIn * post, LAG: afterLag * post, LOAD: 0.5 },
    });
  });
}

describe('recentWindowPart', () => {
  const window = stepWindow(1000, 1000);
  it.each([
    // span 600 s; from = 600 − f × 600
    { fraction: 0.5, from: 300, count: 6 }, // 300, 360, …, 600
    { fraction: 0.33, from: 420, count: 4 }, // from 402 s → 420, 480, 540, 600
    { fraction: 1, from: 0, count: 11 }, // the whole window
    { fraction: 0, from: 600, count: 1 }, // only the last sample
    { fraction: 2, from: 0, count: 11 }, // clamped to 1
  ])('fraction $fraction → $count samples from $from s', ({ fraction, from, count }) => {
    const part = recentWindowPart(window, fraction);
    expect(part).toHaveLength(count);
    expect(part[0]?.tsMs).toBe(from * 1000);
  });

  it('is empty for an empty window', () => {
    expect(recentWindowPart([], 0.5)).toEqual([]);
  });
});

describe('sourceStepRate', () => {
  it.each([
    // in 1000/s then 2000/s: window (300k + 600k) / 600 s = 1500; recent (last 300 s) 600k / 300 = 2000
    // 2000 > 1500 × 1.1 = 1650 → step
    { name: 'upward step', window: stepWindow(1000, 2000), config: {}, recent: 2000, full: 1500 },
    // in capped at 1000/s, lag +1000/s after 300 s: window 1000 + 300k/600 = 1500; recent 1000 + 1000 = 2000
    {
      name: 'step seen as lag growth',
      window: stepWindow(1000, 1000, 1000),
      config: {},
      recent: 2000,
      full: 1500,
    },
    // threshold 0.4: 2000 > 1500 × 1.4 = 2100 is false → no step
    {
      name: 'below the threshold',
      window: stepWindow(1000, 2000),
      config: { stepAwareTargetRateThreshold: 0.4 },
      recent: undefined,
      full: 1500,
    },
    // 2000/s then 1000/s: recent 1000 < window 1500 → never a step downwards
    { name: 'downward step', window: stepWindow(2000, 1000), config: {}, recent: undefined, full: 1500 },
    // constant 1000/s: recent 1000 = window 1000
    { name: 'constant rate', window: stepWindow(1000, 1000), config: {}, recent: undefined, full: 1000 },
    {
      name: 'disabled',
      window: stepWindow(1000, 2000),
      config: { stepAwareTargetRateEnabled: false },
      recent: undefined,
      full: 1500,
    },
    // fraction 0.05: from 570 s → only the 600 s sample (< 2 samples)
    {
      name: 'one recent sample',
      window: stepWindow(1000, 2000),
      config: { stepAwareTargetRateRecentFraction: 0.05 },
      recent: undefined,
      full: 1500,
    },
    // fraction 1: the recent part is the whole window, nothing to compare
    {
      name: 'recent part = window',
      window: stepWindow(1000, 2000),
      config: { stepAwareTargetRateRecentFraction: 1 },
      recent: undefined,
      full: 1500,
    },
    // fraction 0.1: from 540 s → 540, 600 (2 samples): a step of 2000, but its newer half has
    // a single sample, so it cannot be confirmed → no step
    {
      name: 'two recent samples (unconfirmable)',
      window: stepWindow(1000, 2000),
      config: { stepAwareTargetRateRecentFraction: 0.1 },
      recent: undefined,
      full: 1500,
    },
  ])('$name', ({ window, config, recent, full }) => {
    expect(sourceTargetDataRate(window, 'src')).toBe(full);
    const step = sourceStepRate(window, 'src', full, { ...options, ...config });
    expect(step?.recentRate).toBe(recent);
    if (step) {
      expect(step).toMatchObject({ vertexId: 'src', windowRate: full });
      expect(step.recentSamples).toBeGreaterThanOrEqual(2);
    }
  });

  it('ignores a one-sample lag dip at the start of the recent part (pendingRecords briefly missing)', () => {
    // Constant 1000 rec/s with a steady lag of 5000; the sample at 300 s recorded LAG 0 (docs/algorithm.md §2.4:
    // a missing pendingRecords counts as 0). Recent part (300–600 s): (1000·300 + 5000 − 0)/300
    // ≈ 1016.7, not a step; with the dip at 300 s alone a naive recent rate would read higher.
    const window = Array.from({ length: 11 }, (_, i) =>
      aSample(i * 60_000, { src: { NUM_RECORDS_IN: 1000 * i * 60, LAG: i === 5 ? 0 : 5000, LOAD: 0.5 } }),
    );
    const full = sourceTargetDataRate(window, 'src');
    // The newer half (450–600 s) has a steady lag: 1000 rec/s, no step; so none is reported.
    expect(sourceStepRate(window, 'src', full, { ...options, stepAwareTargetRateThreshold: 0 })).toBeUndefined();
  });

  it('has no step when the lag counter is missing (NaN rate)', () => {
    const window = stepWindow(1000, 2000).map((s) =>
      aSample(s.tsMs, { src: { NUM_RECORDS_IN: s.vertices['src']?.NUM_RECORDS_IN ?? 0 } }),
    );
    expect(sourceStepRate(window, 'src', 1500, options)).toBeUndefined();
  });
});

describe('isStep', () => {
  it.each([
    { recent: 1651, window: 1500, threshold: 0.1, step: true }, // 1651 > 1650
    { recent: 1650, window: 1500, threshold: 0.1, step: false }, // not strictly above
    { recent: 1, window: 0, threshold: 0.1, step: true }, // 1 > 0 (a source that starts reading)
    { recent: 1500, window: 1500, threshold: 0, step: false }, // equal is never a step
    { recent: Number.NaN, window: 1500, threshold: 0.1, step: false },
    { recent: Number.POSITIVE_INFINITY, window: 1500, threshold: 0.1, step: false },
  ])('$recent vs $window × (1 + $threshold) → $step', ({ recent, window, threshold, step }) => {
    expect(isStep(recent, window, threshold)).toBe(step);
  });
});

describe('downstreamStepTargetDataRate', () => {
  const srcStep: StepTargetDataRate = {
    rate: 2000,
    windowRate: 1500,
    sources: [
      { vertexId: 'src', recentRate: 2000, windowRate: 1500, recentSpanMs: 300_000, recentSamples: 6 },
    ],
  };
  it.each([
    // 2000 × 0.5 = 1000 > own window 1500 × 0.5 = 750
    { name: 'one input', inputs: [{ windowRate: 1500, step: srcStep, ratio: 0.5 }], own: 750, rate: 1000 },
    // 2000 × 1 + 300 × 2 = 2600 > 1500 + 600 = 2100 (the second input has no step: its TDR average)
    {
      name: 'join with one stepped input',
      inputs: [
        { windowRate: 1500, step: srcStep, ratio: 1 },
        { windowRate: 300, step: undefined, ratio: 2 },
      ],
      own: 2100,
      rate: 2600,
    },
    // ratio 0: 0 is not above 0
    { name: 'ratio 0', inputs: [{ windowRate: 1500, step: srcStep, ratio: 0 }], own: 0, rate: undefined },
    {
      name: 'no stepped input',
      inputs: [{ windowRate: 1500, step: undefined, ratio: 1 }],
      own: 1500,
      rate: undefined,
    },
  ])('$name → $rate', ({ inputs, own, rate }) => {
    const step = downstreamStepTargetDataRate(inputs, own);
    expect(step?.rate).toBe(rate);
    if (step) expect(step.sources.map((s) => s.vertexId)).toEqual(['src']);
  });
});

describe('evaluateMetrics with a step', () => {
  /** src → map (out/in 2) → sink; the source steps 1000 → 2000 rec/s at 300 s. */
  const topology = aTopology([aVertex('src'), aVertex('map', ['src']), aVertex('sink', ['map'])]);
  function withDownstream(window: MetricSample[]): MetricSample[] {
    return window.map((s) => {
      const read = s.vertices['src']?.NUM_RECORDS_IN ?? 0;
      return aSample(s.tsMs, {
        src: { ...s.vertices['src'], NUM_RECORDS_OUT: read },
        map: { NUM_RECORDS_IN: read, NUM_RECORDS_OUT: 2 * read, LOAD: 0.5 },
        sink: { NUM_RECORDS_IN: 2 * read, LOAD: 0.5 },
      });
    });
  }

  it('carries the step rate to the source and downstream', () => {
    const evaluated = evaluateMetrics({
      samples: withDownstream(stepWindow(1000, 2000)),
      topology,
      options,
      restartTimeMs: 0,
    });
    // TDR averages: src 1500, map 1500 × 1, sink 1500 × 2; step rates: 2000, 2000 × 1, 2000 × 2
    expect(evaluated.vertices['sink']?.TARGET_DATA_RATE?.average).toBe(3000);
    expect(evaluated.stepTargetDataRates?.['src']).toMatchObject({ rate: 2000, windowRate: 1500 });
    expect(evaluated.stepTargetDataRates?.['map']).toMatchObject({ rate: 2000, windowRate: 1500 });
    expect(evaluated.stepTargetDataRates?.['sink']).toMatchObject({ rate: 4000, windowRate: 3000 });
  });

  it('adds nothing for a constant window or when disabled', () => {
    const constant = evaluateMetrics({
      samples: withDownstream(stepWindow(1000, 1000)),
      topology,
      options,
      restartTimeMs: 0,
    });
    expect('stepTargetDataRates' in constant).toBe(false);
    const disabled = evaluateMetrics({
      samples: withDownstream(stepWindow(1000, 2000)),
      topology,
      options: { ...options, stepAwareTargetRateEnabled: false },
      restartTimeMs: 0,
    });
    expect('stepTargetDataRates' in disabled).toBe(false);
  });
});

describe('step-aware target rate properties', () => {
  const stepOptions = fc.record({
    stepAwareTargetRateEnabled: fc.constant(true),
    stepAwareTargetRateRecentFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    stepAwareTargetRateThreshold: fc.double({ min: 0, max: 2, noNaN: true }),
  });

  it('never triggers on a constant-rate window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }), // input rate, rec/s
        fc.integer({ min: -1000, max: 10_000 }), // lag growth, rec/s
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 30 }), // gaps, s
        stepOptions,
        (rate, lagRate, gaps, config) => {
          let t = 0;
          const times = [0, ...gaps.map((gap) => (t += gap))];
          const samples = times.map((s) =>
            aSample(s * 1000, { src: { NUM_RECORDS_IN: rate * s, LAG: 1_000_000 + lagRate * s, LOAD: 0.5 } }),
          );
          const windowRate = sourceTargetDataRate(samples, 'src');
          expect(sourceStepRate(samples, 'src', windowRate, { ...options, ...config })).toBeUndefined();
          const evaluated = evaluateMetrics({
            samples,
            topology: aTopology([aVertex('src')]),
            options: { ...options, ...config },
            restartTimeMs: 0,
          });
          expect(evaluated.stepTargetDataRates).toBeUndefined();
        },
      ),
    );
  });

  it('a step is always higher than the window rate by more than the threshold', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ gap: fc.integer({ min: 1, max: 120 }), rate: fc.integer({ min: 0, max: 10_000 }) }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        stepOptions,
        (segments, config) => {
          let t = 0;
          let count = 0;
          const samples = [aSample(0, { src: { NUM_RECORDS_IN: 0, LAG: 0 } })];
          for (const { gap, rate } of segments) {
            t += gap;
            count += rate * gap;
            samples.push(aSample(t * 1000, { src: { NUM_RECORDS_IN: count, LAG: 0 } }));
          }
          const windowRate = sourceTargetDataRate(samples, 'src');
          const step = sourceStepRate(samples, 'src', windowRate, { ...options, ...config });
          if (step === undefined) return;
          expect(step.recentRate).toBeGreaterThan(windowRate * (1 + config.stepAwareTargetRateThreshold));
          expect(step.recentSamples).toBeGreaterThanOrEqual(2);
          expect(step.recentSamples).toBeLessThan(samples.length);
        },
      ),
    );
  });
});

describe('isSourceLoadRising (load-step correction waits while it holds)', () => {
  /** 11 samples a minute apart whose input rate is `rateAt(s)` rec/s over the minute ending at s. */
  function windowOf(rateAt: (s: number) => number): MetricSample[] {
    let total = 0;
    return Array.from({ length: 11 }, (_, i) => {
      if (i > 0) total += rateAt(i * 60) * 60;
      return aSample(i * 60_000, { src: { NUM_RECORDS_IN: total, LAG: 0, LOAD: 0.5 } });
    });
  }

  it.each([
    // halves 0–300 s and 300–600 s; rising ⇔ newer > older × 1.05
    { name: 'a constant load', rateAt: () => 1000, rising: false },
    { name: 'a step in the middle of the window', rateAt: (s: number) => (s > 300 ? 2000 : 1000), rising: true },
    // 1000, 1100, …, 2000: older half averages 1300, newer 1800
    { name: 'a slow ramp below the step-aware threshold', rateAt: (s: number) => 1000 + (s / 60) * 100, rising: true },
    // 1900 rec/s only in the first minute: older half 1980, newer 2000, within 5 %
    { name: 'a step that is over before the window', rateAt: (s: number) => (s > 60 ? 2000 : 1900), rising: false },
    { name: 'a falling load', rateAt: (s: number) => (s > 300 ? 500 : 1000), rising: false },
    // newer 1040 ≤ 1000 × 1.05
    { name: 'a rise within the tolerance', rateAt: (s: number) => (s > 300 ? 1040 : 1000), rising: false },
  ])('$name → $rising', ({ rateAt, rising }) => {
    expect(isSourceLoadRising(windowOf(rateAt), 'src', 0.05)).toBe(rising);
  });

  it('is false with too few samples for two halves', () => {
    const two = windowOf((s) => (s > 30 ? 2000 : 1000)).slice(0, 2);
    expect(isSourceLoadRising(two, 'src', 0.05)).toBe(false);
  });

  it('marks the rising sources of a job in the evaluated metrics, and only then', () => {
    const topology = aTopology([aVertex('src')]);
    const rising = windowOf((s) => (s > 300 ? 2000 : 1000));
    const evaluatedRising = evaluateMetrics({ samples: rising, topology, options, restartTimeMs: 0 });
    expect(evaluatedRising.risingSources).toEqual(['src']);
    const flat = windowOf(() => 1000);
    const evaluatedFlat = evaluateMetrics({ samples: flat, topology, options, restartTimeMs: 0 });
    expect(evaluatedFlat.risingSources).toBeUndefined();
  });
});
