import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import type { ShipStrategy } from '../../../lib/domain/index.ts';
import {
  type AlignmentInput,
  type AlignmentMode,
  alignParallelism,
  firstAlignedInRegion,
  isAlignmentApplicable,
  resolveAlignmentMode,
} from '../../../lib/scale/align-parallelism.ts';
import { ScaleInputError } from '../../../lib/scale/scale-input-error.ts';

const NO_LIMIT = 2_147_483_647;

function input(overrides: Partial<AlignmentInput>): AlignmentInput {
  return {
    vertexId: 'v1',
    mode: 'BALANCED',
    currentParallelism: 16,
    targetParallelism: 24,
    numSourcePartitions: 0,
    maxParallelism: 128,
    lowerLimit: 1,
    upperLimit: NO_LIMIT,
    inputShipStrategies: ['HASH'],
    eventIntervalMs: 1_800_000,
    ...overrides,
  };
}

describe('alignParallelism', () => {
  it.each<{ name: string; in: Partial<AlignmentInput>; expected: number; events: number; blocked?: boolean }>(
    [
      // ⌊128/24⌋ = 5; 25 → 5, 26 → 4 < 5: first load-reducing p
      { name: 'BALANCED: first load-reducing', in: { mode: 'BALANCED' }, expected: 26, events: 0 },
      // divisors of 128 ≥ 24: 32
      { name: 'EVENLY_SPREAD: first divisor', in: { mode: 'EVENLY_SPREAD' }, expected: 32, events: 0 },
      { name: 'OFF keeps the target', in: { mode: 'OFF' }, expected: 24, events: 0 },
      // 199 is prime: the only divisor ≥ 96 is 199
      {
        name: 'EVENLY_SPREAD on 199 partitions',
        in: {
          mode: 'EVENLY_SPREAD',
          numSourcePartitions: 199,
          maxParallelism: NO_LIMIT,
          targetParallelism: 96,
        },
        expected: 199,
        events: 0,
      },
      // ⌊199/96⌋ = 2, ⌊199/100⌋ = 1: first load-reducing is ⌊199/2⌋+1 = 100
      {
        name: 'MAXIMIZE_UTILISATION on 199 partitions',
        in: {
          mode: 'LEGACY_MAXIMIZE_UTILISATION',
          numSourcePartitions: 199,
          maxParallelism: NO_LIMIT,
          currentParallelism: 24,
          targetParallelism: 96,
        },
        expected: 100,
        events: 0,
      },
      // target 20 > 15 partitions: region empty; legacy fallback ⌊15/(0+1)⌋ = 15 → 15 (+ event)
      {
        name: 'legacy: 15 partitions, target 20 → 15',
        in: {
          mode: 'LEGACY_EVENLY_SPREAD',
          numSourcePartitions: 15,
          inputShipStrategies: [],
          currentParallelism: 10,
          targetParallelism: 20,
        },
        expected: 15,
        events: 1,
      },
      // Java weakness #1 at the alignment level: the built-in modes keep 20 (the cap lives in scaleParallelism)
      {
        name: 'BALANCED alone keeps a target above the partitions',
        in: {
          numSourcePartitions: 15,
          inputShipStrategies: [],
          currentParallelism: 10,
          targetParallelism: 20,
        },
        expected: 20,
        events: 0,
      },
      // scale-down: region [7, min(10, 720)], divisors of 720: 8
      {
        name: 'scale-down region ends at current',
        in: { mode: 'EVENLY_SPREAD', maxParallelism: 720, currentParallelism: 10, targetParallelism: 7 },
        expected: 8,
        events: 0,
      },
      // scale-down, no divisor of 7 in [5, 6]: built-in mode keeps the target
      {
        name: 'scale-down with nothing aligned keeps target',
        in: { mode: 'EVENLY_SPREAD', maxParallelism: 7, currentParallelism: 6, targetParallelism: 5 },
        expected: 5,
        events: 0,
      },
      // N=35 (partitions), cap min(35,128,30)=30: no divisor in [25,30]; fallback ⌊35/2⌋=17 → 18,
      // max(18, lower 20) = 20 ≤ current 22: inverted → block at 22
      {
        name: 'legacy blocks an inverted fallback',
        in: {
          mode: 'LEGACY_EVENLY_SPREAD',
          currentParallelism: 22,
          targetParallelism: 25,
          numSourcePartitions: 35,
          lowerLimit: 20,
          upperLimit: 30,
        },
        expected: 22,
        events: 1,
        blocked: true,
      },
      // N=720, cap 300: no divisor in [300,300]; ⌊720/(2+1)⌋ = 240 divides 720 → 240
      {
        name: 'legacy relaxed fallback below the target',
        in: {
          mode: 'LEGACY_EVENLY_SPREAD',
          maxParallelism: 720,
          currentParallelism: 200,
          targetParallelism: 300,
          upperLimit: 300,
        },
        expected: 240,
        events: 1,
      },
    ],
  )('$name → $expected', ({ in: overrides, expected, events, blocked }) => {
    const result = alignParallelism(input(overrides));
    expect(result.parallelism).toBe(expected);
    expect(result.events).toHaveLength(events);
    expect(result.blocked).toBe(blocked ?? false);
  });

  it('is not applicable without partitions or a HASH input, whatever the mode', () => {
    for (const mode of ['BALANCED', 'EVENLY_SPREAD', 'LEGACY_EVENLY_SPREAD'] as const) {
      const result = alignParallelism(input({ mode, inputShipStrategies: ['REBALANCE', 'FORWARD'] }));
      expect(result).toMatchObject({ parallelism: 24, applicable: false, events: [] });
    }
  });

  it('writes the ScalingLimited event with the operator text (docs/algorithm.md §5.4)', () => {
    const result = alignParallelism(
      input({
        vertexId: 'abc',
        mode: 'LEGACY_EVENLY_SPREAD',
        maxParallelism: 720,
        currentParallelism: 200,
        targetParallelism: 300,
        upperLimit: 300,
      }),
    );
    expect(result.events).toEqual([
      {
        reason: 'ScalingLimited',
        type: 'Warning',
        message:
          'Scaling limited detected for abc (expected parallelism: 300, actual parallelism 240). ' +
          'Scaling limited due to numKeyGroupsOrPartitions : 720，upperBoundForAlignment(maxParallelism or ' +
          'parallelismUpperLimit): 300, parallelismLowerLimit: 1.',
        messageKey: 'ScalingLimitedabc',
        dedupeIntervalMs: 1_800_000,
      },
    ]);
  });

  it('rejects a non-integer target naming the field', () => {
    expect(() => alignParallelism(input({ targetParallelism: 2.5 }))).toThrow(ScaleInputError);
    expect(() => alignParallelism(input({ targetParallelism: 2.5 }))).toThrow(/targetParallelism: 2.5/);
  });

  it('finishes quickly for 2³¹−1 key groups (a prime) in EVENLY_SPREAD', () => {
    const result = alignParallelism(
      input({
        mode: 'EVENLY_SPREAD',
        maxParallelism: NO_LIMIT,
        currentParallelism: 10,
        targetParallelism: 20,
      }),
    );
    // the only divisor of the prime ≥ 20 is itself
    expect(result.parallelism).toBe(NO_LIMIT);
  });
});

/** Direct transcription of docs/algorithm.md §4.4 (walks the region), as the reference for the fast version. */
function naiveFirstAligned(n: number, target: number, regionEnd: number, loadReducing: boolean): number {
  for (let p = target; p <= regionEnd; p++) {
    if (n % p === 0 || (loadReducing && Math.floor(n / p) < Math.floor(n / target))) return p;
  }
  return 0;
}

function naiveLegacyFallback(n: number, target: number): number {
  let p = target;
  for (; p > 0; p--) {
    if (Math.floor(n / p) > Math.floor(n / target)) {
      if (n % p !== 0) p++;
      break;
    }
  }
  return p;
}

const modes: AlignmentMode[] = [
  'BALANCED',
  'EVENLY_SPREAD',
  'OFF',
  'LEGACY_EVENLY_SPREAD',
  'LEGACY_MAXIMIZE_UTILISATION',
];
const alignmentCase = fc
  .record({
    n: fc.integer({ min: 1, max: 5000 }),
    cur: fc.integer({ min: 1, max: 600 }),
    target: fc.integer({ min: 1, max: 600 }),
    lower: fc.integer({ min: 1, max: 50 }),
    upper: fc.integer({ min: 1, max: 800 }),
    source: fc.boolean(),
    mode: fc.constantFrom(...modes),
  })
  .filter((c) => c.target !== c.cur && c.lower <= Math.min(c.cur, c.target));

describe('alignment properties', () => {
  it('the O(√N) search equals the walk of docs/algorithm.md §4.4', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.boolean(),
        (n, target, span, loadReducing) => {
          const regionEnd = target + span - 1500;
          expect(firstAlignedInRegion(n, target, regionEnd, loadReducing)).toBe(
            naiveFirstAligned(n, target, regionEnd, loadReducing),
          );
        },
      ),
    );
  });

  it('the closed-form legacy fallback equals the downward walk', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 6000 }), (n, target) => {
        const result = alignParallelism(
          input({
            mode: 'LEGACY_EVENLY_SPREAD',
            numSourcePartitions: n,
            maxParallelism: n,
            currentParallelism: target + 1,
            targetParallelism: target,
            inputShipStrategies: [],
          }),
        );
        // scale-down by one: region [target, min(target + 1, n)]; the fallback runs only without a divisor there
        const aligned = naiveFirstAligned(n, target, Math.min(target + 1, n), false);
        const candidate = Math.max(naiveLegacyFallback(n, target), 1);
        const expected = aligned > 0 ? aligned : Math.min(candidate, target + 1);
        expect(result.parallelism).toBe(expected);
      }),
    );
  });

  it('EVENLY_SPREAD returns a divisor of N whenever one exists in [target, regionEnd]', () => {
    fc.assert(
      fc.property(alignmentCase, (c) => {
        const maxParallelism = c.source ? 4096 : c.n;
        const result = alignParallelism(
          input({
            mode: 'EVENLY_SPREAD',
            numSourcePartitions: c.source ? c.n : 0,
            maxParallelism,
            currentParallelism: c.cur,
            targetParallelism: c.target,
            lowerLimit: c.lower,
            upperLimit: c.upper,
          }),
        );
        const cap = Math.min(c.n, maxParallelism, c.upper);
        const regionEnd = c.target > c.cur ? cap : Math.min(c.cur, cap);
        const divisorExists = naiveFirstAligned(c.n, c.target, regionEnd, false) > 0;
        if (divisorExists) {
          expect(c.n % result.parallelism).toBe(0);
          expect(result.parallelism).toBeGreaterThanOrEqual(c.target);
          expect(result.parallelism).toBeLessThanOrEqual(regionEnd);
        } else {
          expect(result.parallelism).toBe(c.target);
        }
      }),
    );
  });

  it('non-legacy modes never move a scale-down below the target or above the current parallelism', () => {
    fc.assert(
      fc.property(alignmentCase, (c) => {
        fc.pre(c.target < c.cur && !c.mode.startsWith('LEGACY'));
        const result = alignParallelism(
          input({
            mode: c.mode,
            numSourcePartitions: c.source ? c.n : 0,
            maxParallelism: c.n,
            currentParallelism: c.cur,
            targetParallelism: c.target,
            lowerLimit: c.lower,
            upperLimit: c.upper,
          }),
        );
        expect(result.parallelism).toBeGreaterThanOrEqual(c.target);
        expect(result.parallelism).toBeLessThanOrEqual(c.cur);
        expect(result.events).toEqual([]);
      }),
    );
  });

  it('legacy modes respect the lower limit and never invert the direction', () => {
    fc.assert(
      fc.property(alignmentCase, (c) => {
        fc.pre(c.mode.startsWith('LEGACY'));
        const result = alignParallelism(
          input({
            mode: c.mode,
            numSourcePartitions: c.source ? c.n : 0,
            maxParallelism: c.n,
            currentParallelism: c.cur,
            targetParallelism: c.target,
            lowerLimit: c.lower,
            upperLimit: c.upper,
          }),
        );
        expect(result.parallelism).toBeGreaterThanOrEqual(c.lower);
        if (c.target > c.cur) expect(result.parallelism).toBeGreaterThanOrEqual(c.cur);
        else expect(result.parallelism).toBeLessThanOrEqual(c.cur);
        // Blocking keeps the current parallelism. The converse does not hold: a scale-down's
        // region ends at the current parallelism, so alignment may legitimately land on it
        // (N=21, 6 → 5 under MAXIMIZE_UTILISATION: ⌊21/6⌋ < ⌊21/5⌋) without blocking.
        if (result.blocked) expect(result.parallelism).toBe(c.cur);
        else if (result.parallelism === c.cur) {
          const regionEnd = Math.min(c.cur, c.n, c.upper);
          const acceptLoadReducing = c.mode === 'LEGACY_MAXIMIZE_UTILISATION';
          expect(firstAlignedInRegion(c.n, c.target, regionEnd, acceptLoadReducing)).toBe(c.cur);
        }
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(alignmentCase, (c) => {
        const args = input({
          mode: c.mode,
          maxParallelism: c.n,
          currentParallelism: c.cur,
          targetParallelism: c.target,
          lowerLimit: c.lower,
          upperLimit: c.upper,
        });
        expect(alignParallelism(args)).toEqual(alignParallelism(args));
      }),
    );
  });
});

describe('isAlignmentApplicable', () => {
  it.each<{ partitions: number; strategies: ShipStrategy[]; expected: boolean }>([
    { partitions: 0, strategies: ['HASH'], expected: true },
    { partitions: 0, strategies: ['REBALANCE', 'HASH'], expected: true },
    { partitions: 4, strategies: [], expected: true },
    { partitions: 0, strategies: [], expected: false },
    { partitions: 0, strategies: ['FORWARD', 'RESCALE'], expected: false },
  ])('partitions $partitions, inputs $strategies → $expected', ({ partitions, strategies, expected }) => {
    expect(isAlignmentApplicable(partitions, strategies)).toBe(expected);
  });
});

describe('resolveAlignmentMode', () => {
  const mode = 'job.autoscaler.scaling.parallelism-alignment.mode';
  const legacy = 'job.autoscaler.scaling.key-group.partitions.adjust.mode';
  it.each<{ name: string; config: Record<string, string>; expected: AlignmentMode }>([
    { name: 'default', config: {}, expected: 'BALANCED' },
    { name: 'explicit built-in', config: { [mode]: 'EVENLY_SPREAD' }, expected: 'EVENLY_SPREAD' },
    { name: 'case-insensitive', config: { [mode]: 'off' }, expected: 'OFF' },
    {
      name: 'legacy key alone',
      config: { [legacy]: 'MAXIMIZE_UTILISATION' },
      expected: 'LEGACY_MAXIMIZE_UTILISATION',
    },
    { name: 'legacy EVENLY_SPREAD', config: { [legacy]: 'EVENLY_SPREAD' }, expected: 'LEGACY_EVENLY_SPREAD' },
    {
      name: 'new key wins over legacy',
      config: { [mode]: 'OFF', [legacy]: 'EVENLY_SPREAD' },
      expected: 'OFF',
    },
    { name: 'custom Java mode → BALANCED', config: { [mode]: 'custom' }, expected: 'BALANCED' },
    {
      name: 'custom mode shadows legacy key',
      config: { [mode]: 'custom', [legacy]: 'EVENLY_SPREAD' },
      expected: 'BALANCED',
    },
  ])('$name → $expected', ({ config, expected }) => {
    expect(resolveAlignmentMode(resolveOptions(config).options)).toBe(expected);
  });
});
