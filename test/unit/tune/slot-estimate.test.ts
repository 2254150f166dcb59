import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateSlotsAfterRescale } from '../../../lib/tune/slot-estimate.ts';

describe('estimateSlotsAfterRescale (docs/algorithm.md §7.6)', () => {
  it.each([
    // max current p 3 ≠ 5 slots used → no sharing → 7 + 3 = 10
    { current: { a: 2, b: 3 }, next: { a: 7 }, used: 5, expected: 10 },
    // max current p 3 = 3 slots used → sharing → max(7, 3) = 7
    { current: { a: 2, b: 3 }, next: { a: 7 }, used: 3, expected: 7 },
    // sharing, scale-down: max(1, 2) = 2
    { current: { a: 4, b: 2 }, next: { a: 1 }, used: 4, expected: 2 },
    // NaN slots used (JM metrics missing) → no sharing → 1 + 2 = 3
    { current: { a: 4, b: 2 }, next: { a: 1 }, used: Number.NaN, expected: 3 },
  ])('$current → $next with $used slots = $expected', ({ current, next, used, expected }) => {
    expect(estimateSlotsAfterRescale(current, next, used)).toBe(expected);
  });

  it('never exceeds the sum and never falls below the max of the new parallelisms', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 1, max: 500 }), { minKeys: 1 }),
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 0, max: 600 }),
        (current, newP, used) => {
          const next = { [Object.keys(current)[0]!]: newP };
          const all = Object.keys(current).map((v) => next[v] ?? current[v]!);
          const slots = estimateSlotsAfterRescale(current, next, used);
          expect(slots).toBeGreaterThanOrEqual(Math.max(...all));
          expect(slots).toBeLessThanOrEqual(all.reduce((s, p) => s + p, 0));
        },
      ),
    );
  });
});
