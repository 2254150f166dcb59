import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AutoscalerOptions, resolveOptions } from '../../../lib/config/index.ts';
import type {
  DelayedScaleDownState,
  EvaluatedVertexMetrics,
  StepTargetDataRate,
} from '../../../lib/domain/index.ts';
import { computeVertexParallelism } from '../../../lib/scale/compute-vertex-parallelism.ts';

const both = (value: number) => ({ current: value, average: value });

/** Catch-up and restart off, no scale-down delay, utilization.target 0.5 (band [0.2, 0.8]). */
const options: AutoscalerOptions = resolveOptions({
  'job.autoscaler.catch-up.duration': '0',
  'job.autoscaler.scale-down.interval': '0',
  'job.autoscaler.utilization.target': '0.5',
}).options;

function stepOf(rate: number, windowRate: number): StepTargetDataRate {
  return {
    rate,
    windowRate,
    sources: [{ vertexId: 'src', recentRate: rate, windowRate, recentSpanMs: 300_000, recentSamples: 6 }],
  };
}

function run(
  state: { p: number; tdr: number; tpr: number },
  step: StepTargetDataRate | undefined,
  delayedScaleDown?: DelayedScaleDownState,
) {
  const metrics: EvaluatedVertexMetrics = {
    PARALLELISM: both(state.p),
    MAX_PARALLELISM: both(720),
    NUM_SOURCE_PARTITIONS: both(0),
    TARGET_DATA_RATE: both(state.tdr),
    CATCH_UP_DATA_RATE: both(0),
    TRUE_PROCESSING_RATE: both(state.tpr),
  };
  return computeVertexParallelism({
    vertex: {
      id: 'v1',
      parallelism: state.p,
      maxParallelism: 720,
      numSourcePartitions: 0,
      inputs: [],
      finished: false,
    },
    metrics,
    inputShipStrategies: [],
    history: [],
    delayedScaleDown,
    options,
    restartTimeMs: 0,
    nowMs: 0,
    ...(step ? { stepTargetDataRate: step } : {}),
  });
}

describe('computeVertexParallelism with a step-aware target rate', () => {
  it.each([
    // window: cap = 100/0.5 = 200, f = 200/40 = 5 → 10 (TPR 40 < up threshold 100/0.8 = 125: outside)
    // step:   cap = 200/0.5 = 400, f = 10 → 20 > 10 → used
    {
      name: 'larger scale-up',
      state: { p: 2, tdr: 100, tpr: 40 },
      step: 200,
      expected: 20,
      outside: true,
      used: true,
    },
    // window: cap 100, f = 100/100 = 1 → 10, in band [62.5, 250] → no change
    // step:   cap = 80/0.5 = 160, f 1.6 → 16 > 10 → used, but still inside the window band (trigger unchanged)
    {
      name: 'scale-up from in-band',
      state: { p: 10, tdr: 50, tpr: 100 },
      step: 80,
      expected: 16,
      outside: false,
      used: true,
    },
    // window: cap 40, f 0.4 → 4 (TPR 100 is not > down threshold 20/0.2 = 100: inside); step: cap 60 → 6 < 10
    // a step never changes a scale-down: the window decision (4) stands
    {
      name: 'scale-down stays',
      state: { p: 10, tdr: 20, tpr: 100 },
      step: 30,
      expected: 4,
      outside: false,
      used: false,
    },
    // step: cap = 52/0.5 = 104, f 1.04 → ⌈10.4⌉ = 11 > 10 → used (a rising load overrides the window's no-change)
    {
      name: 'small step up',
      state: { p: 10, tdr: 50, tpr: 100 },
      step: 52,
      expected: 11,
      outside: false,
      used: true,
    },
    // step rate 50 = the window rate: not a step at all, the window decision (no change) stands
    {
      name: 'step rate equal to the window',
      state: { p: 10, tdr: 50, tpr: 100 },
      step: 50,
      expected: 10,
      outside: false,
      used: false,
    },
  ])('$name → $expected', ({ state, step, expected, outside, used }) => {
    const result = run(state, stepOf(step, state.tdr));
    expect(result.change.newParallelism).toBe(expected);
    expect(result.change.outsideUtilizationBound).toBe(expected !== state.p && outside);
    expect(result.decision.reasons.includes('step-target-rate')).toBe(used);
    if (used) {
      expect(result.decision.why).toContain(`step-aware target rate ${step} rec/s instead of ${state.tdr}`);
      expect(result.decision.targetDataRateAvg).toBe(step);
    } else {
      expect(result.decision.targetDataRateAvg).toBe(state.tdr);
    }
  });

  it('explains an unused step rate in the why', () => {
    // window: scale-down 10 → 4; step 30 → 6, not a larger scale-up
    const result = run({ p: 10, tdr: 20, tpr: 100 }, stepOf(30, 20));
    expect(result.decision.why).toContain(
      'step-aware target rate 30 rec/s (source src: last 5 min (6 samples) 30 rec/s vs window 20 rec/s) not used: sized for it the vertex recommends 6, not a larger scale-up',
    );
  });

  it('leaves a pending delayed scale-down alone when not used', () => {
    const pending: DelayedScaleDownState = { firstTriggerTimeMs: 0, recommendations: [] };
    const withStep = run({ p: 10, tdr: 20, tpr: 100 }, stepOf(30, 20), pending);
    const without = run({ p: 10, tdr: 20, tpr: 100 }, undefined, pending);
    expect(withStep.delayedScaleDown).toEqual(without.delayedScaleDown);
    expect(withStep.change).toEqual(without.change);
  });

  it('uses the step rate only for a larger scale-up, and never lowers the recommendation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }), // parallelism
        fc.double({ min: 1, max: 100_000, noNaN: true }), // window TDR
        fc.double({ min: 1, max: 100_000, noNaN: true }), // TPR
        fc.double({ min: 0, max: 5, noNaN: true }), // step rate = TDR × (1 + this)
        (p, tdr, tpr, excess) => {
          const state = { p, tdr, tpr };
          const without = run(state, undefined);
          const withStep = run(state, stepOf(tdr * (1 + excess), tdr));
          const used = withStep.decision.reasons.includes('step-target-rate');
          if (used) {
            expect(withStep.change.newParallelism).toBeGreaterThan(
              Math.max(p, without.change.newParallelism),
            );
            // The trigger (the band) is the window's.
            expect(withStep.decision.outsideUtilizationBound).toBe(without.decision.outsideUtilizationBound);
          } else {
            expect(withStep.change).toEqual(without.change);
            expect(withStep.delayedScaleDown).toEqual(without.delayedScaleDown);
          }
        },
      ),
    );
  });

  it('ignores a step rate that is not above the window rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 1, max: 100_000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (p, tdr, tpr, share) => {
          const state = { p, tdr, tpr };
          expect(run(state, stepOf(tdr * share, tdr))).toEqual(run(state, undefined));
        },
      ),
    );
  });
});
