import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ShipStrategy } from '../../../lib/domain/index.ts';
import { ALIGNMENT_MODES, type AlignmentMode } from '../../../lib/scale/align-parallelism.ts';
import { ParallelismLimitsError, ScaleInputError } from '../../../lib/scale/scale-input-error.ts';
import { type ScaleParallelismInput, scaleParallelism } from '../../../lib/scale/scale-parallelism.ts';

const NO_LIMIT = 2_147_483_647;

function input(overrides: Partial<ScaleParallelismInput>): ScaleParallelismInput {
  return {
    vertexId: 'v1',
    currentParallelism: 10,
    scaleFactor: 1,
    lowerLimit: 1,
    upperLimit: 200,
    maxParallelism: 720,
    numSourcePartitions: 0,
    inputShipStrategies: ['HASH'],
    alignmentMode: 'BALANCED',
    eventIntervalMs: 1_800_000,
    ...overrides,
  };
}

describe('scaleParallelism', () => {
  it.each<{ name: string; in: Partial<ScaleParallelismInput>; expected: number; reasons: string[] }>([
    // ⌈0.8 × 6⌉ = 5, REBALANCE: no alignment
    {
      name: 'plain ceil',
      in: { currentParallelism: 6, scaleFactor: 0.8, inputShipStrategies: ['REBALANCE'] },
      expected: 5,
      reasons: [],
    },
    // ⌈0.8 × 8⌉ = 7 < lower 8 → 8 = current: no alignment
    {
      name: 'raised to the lower limit',
      in: { currentParallelism: 8, scaleFactor: 0.8, lowerLimit: 8 },
      expected: 8,
      reasons: ['min-parallelism'],
    },
    // ⌈2³¹−1 × 200⌉ → guard 2³¹−1 → key groups 720 (divides 720)
    {
      name: 'overflow guard then key groups',
      in: { currentParallelism: 200, scaleFactor: NO_LIMIT, upperLimit: NO_LIMIT },
      expected: 720,
      reasons: ['key-groups'],
    },
    // ⌈3 × 10⌉ = 30 > upper 20 → 20 (⌊720/20⌋ = 36 = 720/20: a divisor)
    {
      name: 'capped by the upper limit',
      in: { scaleFactor: 3, upperLimit: 20 },
      expected: 20,
      reasons: ['max-parallelism'],
    },
    // 10 × 2 = 20 > 15 partitions → 15 in BALANCED (Java keeps 20, docs/algorithm.md §11 #1)
    {
      name: 'source capped at partitions (BALANCED)',
      in: { scaleFactor: 2, numSourcePartitions: 15, inputShipStrategies: [] },
      expected: 15,
      reasons: ['source-partitions'],
    },
    {
      name: 'source capped at partitions (EVENLY_SPREAD)',
      in: {
        scaleFactor: 2,
        numSourcePartitions: 15,
        alignmentMode: 'EVENLY_SPREAD',
        inputShipStrategies: [],
      },
      expected: 15,
      reasons: ['source-partitions'],
    },
    {
      name: 'source capped at partitions (OFF)',
      in: { scaleFactor: 2, numSourcePartitions: 15, alignmentMode: 'OFF', inputShipStrategies: [] },
      expected: 15,
      reasons: ['source-partitions'],
    },
    // current 20 already above 15 partitions: ⌈1 × 20⌉ = 20 → 15, a scale-down to the partition count
    {
      name: 'current above partitions comes down',
      in: { currentParallelism: 20, numSourcePartitions: 15, inputShipStrategies: [] },
      expected: 15,
      reasons: ['source-partitions'],
    },
    // ⌈1.5 × 16⌉ = 24, key groups 128: BALANCED → 26
    {
      name: 'aligned (BALANCED)',
      in: { currentParallelism: 16, scaleFactor: 1.5, maxParallelism: 128 },
      expected: 26,
      reasons: ['alignment'],
    },
    // ⌈1.5 × 16⌉ = 24 → 60 (lower) → divisor 64 (legacy EVENLY_SPREAD)
    {
      name: 'lower limit then divisor',
      in: {
        currentParallelism: 16,
        scaleFactor: 1.5,
        maxParallelism: 128,
        lowerLimit: 60,
        upperLimit: NO_LIMIT,
        alignmentMode: 'LEGACY_EVENLY_SPREAD',
      },
      expected: 64,
      reasons: ['min-parallelism', 'alignment'],
    },
    // ⌈0.45 × 40⌉ = 18 < lower 36 → 36 > 35 partitions → 35: the cap wins over the lower limit
    {
      name: 'partition cap wins over the lower limit',
      in: {
        currentParallelism: 40,
        scaleFactor: 0.45,
        numSourcePartitions: 35,
        lowerLimit: 36,
        maxParallelism: 128,
        alignmentMode: 'LEGACY_EVENLY_SPREAD',
        inputShipStrategies: [],
      },
      expected: 35,
      reasons: ['min-parallelism', 'source-partitions'],
    },
    // ⌈0.0001 × 1⌉ = 1 = current
    { name: 'tiny factor', in: { currentParallelism: 1, scaleFactor: 0.0001 }, expected: 1, reasons: [] },
  ])('$name → $expected', ({ in: overrides, expected, reasons }) => {
    const result = scaleParallelism(input(overrides));
    expect(result.parallelism).toBe(expected);
    expect(result.steps.map((s) => s.reason)).toEqual(reasons);
  });

  it('rejects lower limit > upper limit with a typed error naming both', () => {
    const run = () => scaleParallelism(input({ lowerLimit: 500, upperLimit: 499 }));
    expect(run).toThrow(ParallelismLimitsError);
    expect(run).toThrow(/lowerLimit: 500.*upper limit 499/);
  });

  it.each<{ field: string; in: Partial<ScaleParallelismInput> }>([
    { field: 'scaleFactor', in: { scaleFactor: Number.NaN } },
    { field: 'scaleFactor', in: { scaleFactor: -1 } },
    { field: 'currentParallelism', in: { currentParallelism: 0 } },
    { field: 'maxParallelism', in: { maxParallelism: 1.5 } },
    { field: 'numSourcePartitions', in: { numSourcePartitions: -1 } },
  ])('rejects a bad $field', ({ field, in: overrides }) => {
    expect(() => scaleParallelism(input(overrides))).toThrow(ScaleInputError);
    expect(() => scaleParallelism(input(overrides))).toThrow(new RegExp(`Invalid ${field}`));
  });
});

const strategies = fc.constantFrom<ShipStrategy[]>(['HASH'], ['REBALANCE'], [], ['FORWARD', 'HASH']);
const scaleCase = fc.record({
  cur: fc.integer({ min: 1, max: 500 }),
  factor: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constant(NO_LIMIT)),
  minP: fc.integer({ min: 1, max: 50 }),
  maxP: fc.integer({ min: 1, max: 1000 }),
  keyGroups: fc.integer({ min: 1, max: 4096 }),
  partitions: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
  strategies,
  mode: fc.constantFrom<AlignmentMode>(...ALIGNMENT_MODES),
  maxDown: fc.double({ min: 0, max: 1, noNaN: true }),
});

type ScaleCase = typeof scaleCase extends fc.Arbitrary<infer T> ? T : never;

describe('scaleParallelism properties', () => {
  /** The effective limits of docs/algorithm.md §4.1 as the computation would pass them (cur ≤ key groups, as in Flink). */
  function run(c: ScaleCase) {
    const cur = Math.min(c.cur, c.keyGroups);
    const lowerLimit = Math.min(cur, c.minP);
    const upperLimit = Math.max(cur, c.maxP);
    const factor = Math.max(1 - c.maxDown, c.factor);
    const result = scaleParallelism(
      input({
        currentParallelism: cur,
        scaleFactor: factor,
        lowerLimit,
        upperLimit,
        maxParallelism: c.keyGroups,
        numSourcePartitions: c.partitions,
        inputShipStrategies: c.strategies,
        alignmentMode: c.mode,
      }),
    );
    return { cur, lowerLimit, upperLimit, factor, result };
  }

  it('stays within [min(cur, minP), min(keyGroups, max(cur, maxP))] and ≤ partitions for sources', () => {
    fc.assert(
      fc.property(scaleCase, (c) => {
        const { lowerLimit, upperLimit, result } = run(c);
        const cap = Math.min(
          c.keyGroups,
          upperLimit,
          c.partitions > 0 ? c.partitions : Number.POSITIVE_INFINITY,
        );
        expect(result.parallelism).toBeLessThanOrEqual(cap);
        // the caps win over the lower limit (as in Java), so the floor is min(lower, cap)
        expect(result.parallelism).toBeGreaterThanOrEqual(Math.min(lowerLimit, cap));
        expect(Number.isInteger(result.parallelism)).toBe(true);
      }),
    );
  });

  it('a scale-down never goes below ⌈cur × (1 − scale-down.max-factor)⌉ before alignment', () => {
    fc.assert(
      fc.property(scaleCase, (c) => {
        const { cur, result } = run(c);
        // a source above its partition count is deliberately brought down to the partitions
        fc.pre(c.partitions === 0 || c.partitions >= cur);
        if (result.clampedParallelism < cur) {
          expect(result.clampedParallelism).toBeGreaterThanOrEqual(Math.ceil(cur * (1 - c.maxDown)));
        }
      }),
    );
  });

  it('non-legacy alignment never moves a scale-down below the clamped target', () => {
    fc.assert(
      fc.property(scaleCase, (c) => {
        fc.pre(!c.mode.startsWith('LEGACY'));
        const { cur, result } = run(c);
        if (result.clampedParallelism < cur) {
          expect(result.parallelism).toBeGreaterThanOrEqual(result.clampedParallelism);
          expect(result.parallelism).toBeLessThanOrEqual(cur);
        }
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(scaleCase, (c) => {
        expect(run(c).result).toEqual(run(c).result);
      }),
    );
  });
});
