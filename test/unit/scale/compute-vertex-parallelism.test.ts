import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AutoscalerOptions, resolveOptions } from '../../../lib/config/index.ts';
import type {
  DelayedScaleDownState,
  EvaluatedVertexMetrics,
  ScalingSummary,
  ShipStrategy,
  VertexInfo,
} from '../../../lib/domain/index.ts';
import {
  computeVertexParallelism,
  type VertexParallelismInput,
} from '../../../lib/scale/compute-vertex-parallelism.ts';

interface VertexState {
  parallelism: number;
  maxParallelism?: number;
  partitions?: number;
  tdr: number;
  catchUp?: number;
  tpr: number;
}

const both = (value: number) => ({ current: value, average: value });

function metricsOf(s: VertexState): EvaluatedVertexMetrics {
  return {
    PARALLELISM: both(s.parallelism),
    MAX_PARALLELISM: both(s.maxParallelism ?? 720),
    NUM_SOURCE_PARTITIONS: both(s.partitions ?? 0),
    TARGET_DATA_RATE: both(s.tdr),
    CATCH_UP_DATA_RATE: both(s.catchUp ?? 0),
    TRUE_PROCESSING_RATE: both(s.tpr),
  };
}

function vertexOf(s: VertexState, strategies: readonly ShipStrategy[]): VertexInfo {
  return {
    id: 'v1',
    parallelism: s.parallelism,
    maxParallelism: s.maxParallelism ?? 720,
    numSourcePartitions: s.partitions ?? 0,
    inputs: strategies.map((shipStrategy, i) => ({ id: `in${i}`, shipStrategy })),
    finished: false,
  };
}

/** Options with catch-up off and no scale-down delay unless overridden (the Java test fixture). */
function optionsOf(config: Record<string, string> = {}): AutoscalerOptions {
  return resolveOptions({
    'job.autoscaler.catch-up.duration': '0',
    'job.autoscaler.scale-down.interval': '0',
    ...config,
  }).options;
}

function run(
  state: VertexState,
  config: Record<string, string> = {},
  extra: Partial<VertexParallelismInput> = {},
  strategies: readonly ShipStrategy[] = ['HASH'],
) {
  return computeVertexParallelism({
    vertex: vertexOf(state, strategies),
    metrics: metricsOf(state),
    inputShipStrategies: strategies,
    history: [],
    delayedScaleDown: undefined,
    options: optionsOf(config),
    restartTimeMs: 0,
    nowMs: 0,
    ...extra,
  });
}

function summary(cur: number, next: number, tpr: number, epr: number): ScalingSummary {
  return {
    tsMs: 0,
    currentParallelism: cur,
    newParallelism: next,
    metrics: { trueProcessingRateAvg: tpr, expectedProcessingRate: epr, targetDataRateAvg: Number.NaN },
  };
}

describe('computeVertexParallelism', () => {
  it.each<{
    name: string;
    state: VertexState;
    config?: Record<string, string>;
    strategies?: ShipStrategy[];
    expected: number;
    outside: boolean;
    reasons: string[];
  }>([
    // cap = round(100/0.5) = 200; f = 200/40 = 5 → ⌈5 × 2⌉ = 10; ⌊720/10⌋ = 72 = 720/10 (divisor)
    {
      name: 'scale-up ×5',
      state: { parallelism: 2, tdr: 100, tpr: 40 },
      config: { 'job.autoscaler.utilization.target': '0.5' },
      expected: 10,
      outside: true,
      reasons: ['scale-up'],
    },
    // cap = round(50/0.8) = 63; f = 0.63 → ⌈6.3⌉ = 7; BALANCED: ⌊720/7⌋ = 102, 8 → 90 < 102 → 8
    {
      name: 'scale-down aligned',
      state: { parallelism: 10, tdr: 50, tpr: 100 },
      config: { 'job.autoscaler.utilization.target': '0.8' },
      expected: 8,
      outside: false,
      reasons: ['scale-down', 'alignment'],
    },
    // f = 200/10 = 20 → limited to 1 + 0.5 → ⌈15⌉ = 15 (REBALANCE: no alignment)
    {
      name: 'max scale-up factor',
      state: { parallelism: 10, tdr: 200, tpr: 10 },
      config: { 'job.autoscaler.utilization.target': '1', 'job.autoscaler.scale-up.max-factor': '0.5' },
      strategies: ['REBALANCE'],
      expected: 15,
      outside: true,
      reasons: ['scale-up', 'max-scale-up-factor'],
    },
    // f = 10/100 = 0.1 → limited to 1 − 0.6 = 0.4 → 4
    {
      name: 'max scale-down factor',
      state: { parallelism: 10, tdr: 10, tpr: 100 },
      config: { 'job.autoscaler.utilization.target': '1' },
      strategies: ['REBALANCE'],
      expected: 4,
      outside: true,
      reasons: ['scale-down', 'max-scale-down-factor'],
    },
    // IMPROVEMENT: f = 200/100 = 2 → 20 > 15 partitions → 15, in the default BALANCED mode (Java: 20)
    {
      name: 'source capped at partitions (default mode)',
      state: { parallelism: 10, partitions: 15, tdr: 200, tpr: 100 },
      config: { 'job.autoscaler.utilization.target': '1' },
      strategies: [],
      expected: 15,
      outside: true,
      reasons: ['scale-up', 'source-partitions'],
    },
    {
      name: 'source capped at partitions (OFF)',
      state: { parallelism: 10, partitions: 15, tdr: 200, tpr: 100 },
      config: {
        'job.autoscaler.utilization.target': '1',
        'job.autoscaler.scaling.parallelism-alignment.mode': 'OFF',
      },
      strategies: [],
      expected: 15,
      outside: true,
      reasons: ['scale-up', 'source-partitions'],
    },
    // cap 500, f = 5 → 50 > max(10, 10) → 10 = current: no change
    {
      name: 'capped at current by vertex.max-parallelism',
      state: { parallelism: 10, tdr: 500, tpr: 100 },
      config: { 'job.autoscaler.utilization.target': '1', 'job.autoscaler.vertex.max-parallelism': '10' },
      strategies: ['REBALANCE'],
      expected: 10,
      outside: false,
      reasons: ['scale-up', 'max-parallelism'],
    },
    // cap = round(100/0.7) = 143; f = 0.286 → ⌈2.86⌉ = 3 < min(10, 5) → 5
    {
      name: 'min-parallelism',
      state: { parallelism: 10, tdr: 100, tpr: 500 },
      config: { 'job.autoscaler.vertex.min-parallelism': '5', 'job.autoscaler.scale-down.max-factor': '1' },
      strategies: ['REBALANCE'],
      expected: 5,
      outside: true,
      reasons: ['scale-down', 'min-parallelism'],
    },
    // TPR NaN: nothing to compute
    {
      name: 'no TPR',
      state: { parallelism: 10, tdr: 100, tpr: Number.NaN },
      expected: 10,
      outside: false,
      reasons: ['no-metrics'],
    },
    // cap = round(70/0.7) = 100 = TPR: f = 1 → 10
    {
      name: 'balanced',
      state: { parallelism: 10, tdr: 70, tpr: 100 },
      expected: 10,
      outside: false,
      reasons: ['within-bounds'],
    },
  ])('$name → $expected', ({ state, config, strategies, expected, outside, reasons }) => {
    const result = run(state, config, {}, strategies);
    expect(result.change.newParallelism).toBe(expected);
    expect(result.change.noChange).toBe(expected === state.parallelism);
    expect(result.change.outsideUtilizationBound).toBe(outside);
    expect(result.decision.reasons).toEqual(reasons);
    expect(result.decision.recommendedParallelism).toBe(expected);
    expect(result.decision.changed).toBe(expected !== state.parallelism);
  });

  it('explains itself in one sentence with rates, thresholds, factor and the rule', () => {
    // target 0.8, max 0.9, min 0.7, catch-up 0: thresholds (round(700/0.9) = 778, 700/0.7 = 1000);
    // cap = 700/0.8 = 875; f = 875/588.24 = 1.49 → ⌈2.97⌉ = 3 → BALANCED on 720: ⌊720/3⌋ = 240 divides → 3
    const result = run(
      { parallelism: 2, tdr: 700, tpr: 588.2353 },
      {
        'job.autoscaler.utilization.target': '0.8',
        'job.autoscaler.utilization.max': '0.9',
        'job.autoscaler.utilization.min': '0.7',
      },
    );
    expect(result.decision.why).toBe(
      'TPR 588.24 rec/s < scale-up threshold 778 (target rate 700 rec/s); target capacity 875 → factor 1.49 → 3; scale-up 2 → 3',
    );
    expect(result.decision).toMatchObject({
      scaleUpRateThreshold: 778,
      scaleDownRateThreshold: 1000,
      targetCapacity: 875,
    });
  });

  it('names alignment, mode and key groups in the why', () => {
    // f = 71.5 → limited to 1.5 → 15 → BALANCED on 128: ⌊128/15⌋ = 8, 16 → 8 = 128/16 (divisor) → 16
    const result = run(
      { parallelism: 10, maxParallelism: 128, tdr: 500, tpr: 10 },
      { 'job.autoscaler.scale-up.max-factor': '0.5' },
    );
    expect(result.decision.why).toContain(
      'limited to 1.50 by scale-up.max-factor 0.5 → 15, aligned to 16 (BALANCED, 128 key groups)',
    );
    expect(result.change.newParallelism).toBe(16);
  });

  it('prefers the evaluated thresholds (which include backlog) over recomputing them', () => {
    const state = { parallelism: 10, tdr: 70, tpr: 100 };
    const metrics = {
      ...metricsOf(state),
      SCALE_UP_RATE_THRESHOLD: both(70),
      SCALE_DOWN_RATE_THRESHOLD: both(Number.POSITIVE_INFINITY),
    };
    const result = run(state, {}, { metrics });
    expect(result.decision.scaleUpRateThreshold).toBe(70);
    expect(result.decision.scaleDownRateThreshold).toBe(Number.POSITIVE_INFINITY);
    expect(result.decision.why).toContain('within [70, ∞]');
  });

  it('blocks an ineffective scale-up when detection is enabled, with the event either way', () => {
    // last: 10 → 20 expected +90, got 94 − 90 = +4 (< 10 %); f = 180/94 → ⌈38.3⌉ = 39
    const history = [summary(10, 20, 90, 180)];
    const state = { parallelism: 20, tdr: 180, tpr: 94 };
    const config = { 'job.autoscaler.utilization.target': '1' };
    const blocked = run(
      state,
      { ...config, 'job.autoscaler.scaling.effectiveness.detection.enabled': 'true' },
      { history },
      ['REBALANCE'],
    );
    expect(blocked.change.noChange).toBe(true);
    expect(blocked.decision.reasons).toEqual(['scale-up', 'ineffective-scaling']);
    expect(blocked.events.map((e) => e.reason)).toEqual(['IneffectiveScaling']);
    const allowed = run(state, config, { history }, ['REBALANCE']);
    expect(allowed.change.newParallelism).toBe(39);
    expect(allowed.events.map((e) => e.reason)).toEqual(['IneffectiveScaling']);
  });

  it('applies the observed scalability coefficient and says so', () => {
    // α = 0.69 (docs/algorithm.md §4.3 example); f = 200/40 = 5 ÷ 0.69 = 7.25 → ⌈14.49⌉ = 15 (divides 720)
    const history = [summary(4, 2, 160, 0), summary(2, 8, 96, 0), summary(8, 16, 240, 0)];
    const result = run(
      { parallelism: 2, tdr: 100, tpr: 40 },
      { 'job.autoscaler.utilization.target': '0.5', 'job.autoscaler.observed-scalability.enabled': 'true' },
      { history },
    );
    expect(result.change.newParallelism).toBe(15);
    expect(result.decision.reasons).toEqual(['scale-up', 'observed-scalability']);
    expect(result.decision.why).toContain('÷ observed scalability 0.69 = 7.25');
  });

  it('delays a scale-down, then applies the window maximum, and a scale-up clears the delay', () => {
    const config = {
      'job.autoscaler.utilization.target': '1',
      'job.autoscaler.scale-down.interval': '1 min',
    };
    const at = (tMs: number, tdr: number, delayed: DelayedScaleDownState | undefined) =>
      run({ parallelism: 100, tdr, tpr: 1000 }, config, { nowMs: tMs, delayedScaleDown: delayed }, [
        'REBALANCE',
      ]);
    // t=0: 80 recommended, delayed; t=10 s: 90; t=60 s: 70 → window max 90
    const first = at(0, 800, undefined);
    expect(first.change.noChange).toBe(true);
    expect(first.decision.reasons).toEqual(['scale-down', 'delayed-scale-down']);
    expect(first.decision.why).toContain(
      'delayed by scale-down.interval 1 min until 1970-01-01T00:01:00.000Z',
    );
    const second = at(10_000, 900, first.delayedScaleDown);
    const third = at(60_000, 700, second.delayedScaleDown);
    expect(third.change).toEqual({
      currentParallelism: 100,
      newParallelism: 90,
      outsideUtilizationBound: false,
      noChange: false,
    });
    expect(third.decision.reasons).toEqual(['scale-down', 'delayed-scale-down']);
    // EXPECTED_PROCESSING_RATE for the parallelism actually recommended: 1000/100 × 90
    expect(third.decision.expectedProcessingRate).toBe(900);
    const up = at(12_000, 1700, second.delayedScaleDown);
    expect(up.change.newParallelism).toBe(170);
    expect(up.delayedScaleDown).toBeUndefined();
  });

  it('never scales a FINISHED vertex', () => {
    const state = { parallelism: 4, tdr: 1000, tpr: 10 };
    const result = run(state, {}, { vertex: { ...vertexOf(state, ['HASH']), finished: true } });
    expect(result.change.noChange).toBe(true);
    expect(result.decision.reasons).toEqual(['finished']);
  });

  it('keeps a pending scale-down when no decision is possible (no TPR)', () => {
    const pending: DelayedScaleDownState = {
      firstTriggerTimeMs: 0,
      recommendations: [{ triggerTimeMs: 0, parallelism: 5, outsideUtilizationBound: true }],
    };
    const result = run({ parallelism: 10, tdr: 100, tpr: Number.NaN }, {}, { delayedScaleDown: pending });
    expect(result.delayedScaleDown).toBe(pending);
  });
});

const vertexCase = fc.record({
  parallelism: fc.integer({ min: 1, max: 300 }),
  keyGroups: fc.integer({ min: 1, max: 2048 }),
  partitions: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 256 })),
  tdr: fc.double({ min: 0, max: 1e6, noNaN: true }),
  tpr: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(Number.POSITIVE_INFINITY)),
  minP: fc.integer({ min: 1, max: 20 }),
  maxP: fc.integer({ min: 1, max: 400 }),
  maxDown: fc.double({ min: 0, max: 1, noNaN: true }),
  mode: fc.constantFrom('BALANCED', 'EVENLY_SPREAD', 'OFF'),
  strategies: fc.constantFrom<ShipStrategy[]>(['HASH'], ['REBALANCE'], []),
});
type VertexCase = typeof vertexCase extends fc.Arbitrary<infer T> ? T : never;

function runCase(c: VertexCase) {
  const parallelism = Math.min(c.parallelism, c.keyGroups);
  return {
    parallelism,
    result: run(
      { parallelism, maxParallelism: c.keyGroups, partitions: c.partitions, tdr: c.tdr, tpr: c.tpr },
      {
        'job.autoscaler.vertex.min-parallelism': String(c.minP),
        'job.autoscaler.vertex.max-parallelism': String(c.maxP),
        'job.autoscaler.scale-down.max-factor': String(c.maxDown),
        'job.autoscaler.scaling.parallelism-alignment.mode': c.mode,
      },
      {},
      c.strategies,
    ),
  };
}

describe('computeVertexParallelism properties', () => {
  it('stays within the effective limits (and ≤ partitions for sources)', () => {
    fc.assert(
      fc.property(vertexCase, (c) => {
        const { parallelism, result } = runCase(c);
        const p = result.change.newParallelism;
        const partitionCap = c.partitions > 0 ? c.partitions : Number.POSITIVE_INFINITY;
        const upper = Math.min(c.keyGroups, Math.max(parallelism, c.maxP), partitionCap);
        expect(p).toBeLessThanOrEqual(Math.max(upper, result.change.noChange ? parallelism : 0));
        if (!result.change.noChange) {
          expect(p).toBeGreaterThanOrEqual(Math.min(Math.min(parallelism, c.minP), upper));
          expect(p).toBeLessThanOrEqual(upper);
        }
        expect(result.decision.reasons.length).toBeGreaterThan(0);
        expect(result.decision.why).not.toBe('');
      }),
    );
  });

  it('a scale-down respects scale-down.max-factor unless a source exceeds its partitions', () => {
    fc.assert(
      fc.property(vertexCase, (c) => {
        const { parallelism, result } = runCase(c);
        fc.pre(c.partitions === 0 || c.partitions >= parallelism);
        if (!result.change.noChange && result.change.newParallelism < parallelism) {
          expect(result.change.newParallelism).toBeGreaterThanOrEqual(
            Math.ceil(parallelism * (1 - c.maxDown)),
          );
        }
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(vertexCase, (c) => {
        expect(runCase(c).result).toEqual(runCase(c).result);
      }),
    );
  });
});
