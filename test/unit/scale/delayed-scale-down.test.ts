import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DelayedScaleDownState } from '../../../lib/domain/index.ts';
import {
  applyDelayedScaleDown,
  clearAllDelayedScaleDowns,
  clearVertexDelayedScaleDown,
  EmptyScaleDownWindowError,
  maxRecommendationInWindow,
  triggerDelayedScaleDown,
} from '../../../lib/scale/delayed-scale-down.ts';
import { ScaleInputError } from '../../../lib/scale/scale-input-error.ts';

const rec = (t: number, p: number, out = false) => ({
  triggerTimeMs: t,
  parallelism: p,
  outsideUtilizationBound: out,
});

function triggerAll(triggers: ReturnType<typeof rec>[]): DelayedScaleDownState {
  let state: DelayedScaleDownState | undefined;
  for (const r of triggers) state = triggerDelayedScaleDown(state, r);
  return state!;
}

describe('triggerDelayedScaleDown', () => {
  it.each<{ name: string; triggers: ReturnType<typeof rec>[]; expected: [number, number][] }>([
    { name: 'first trigger', triggers: [rec(0, 5)], expected: [[0, 5]] },
    // lower recommendations queue behind the higher one
    {
      name: 'lower queues',
      triggers: [rec(0, 5), rec(5, 3)],
      expected: [
        [0, 5],
        [5, 3],
      ],
    },
    // a higher (or equal) one drops everything at or below it
    { name: 'higher replaces', triggers: [rec(0, 5), rec(5, 3), rec(10, 8)], expected: [[10, 8]] },
    { name: 'equal replaces', triggers: [rec(0, 5), rec(5, 5)], expected: [[5, 5]] },
  ])('$name', ({ triggers, expected }) => {
    const state = triggerAll(triggers);
    expect(state.firstTriggerTimeMs).toBe(0);
    expect(state.recommendations.map((r) => [r.triggerTimeMs, r.parallelism])).toEqual(expected);
  });

  it('never mutates its input', () => {
    const before = triggerAll([rec(0, 5), rec(5, 3)]);
    const snapshot = structuredClone(before);
    const after = triggerDelayedScaleDown(before, rec(10, 8));
    expect(before).toEqual(snapshot);
    expect(after).not.toBe(before);
  });

  it('rejects a bad parallelism naming the field', () => {
    expect(() => triggerDelayedScaleDown(undefined, rec(0, 0))).toThrow(ScaleInputError);
    expect(() => triggerDelayedScaleDown(undefined, rec(0, 0))).toThrow(/recommendation.parallelism: 0/);
  });

  it('keeps the list strictly decreasing in parallelism with the newest last', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }), (ps) => {
        const state = triggerAll(ps.map((p, t) => rec(t, p)));
        const list = state.recommendations;
        for (let i = 1; i < list.length; i++) {
          expect(list[i]!.parallelism).toBeLessThan(list[i - 1]!.parallelism);
          expect(list[i]!.triggerTimeMs).toBeGreaterThan(list[i - 1]!.triggerTimeMs);
        }
        expect(list.at(-1)!.parallelism).toBe(ps.at(-1));
        // the head is the maximum of everything triggered
        expect(list[0]!.parallelism).toBe(Math.max(...ps));
      }),
    );
  });
});

describe('maxRecommendationInWindow', () => {
  it('returns the window maximum and evicts older entries', () => {
    // list after triggers: [(1,9), (4,6)]
    const state = triggerAll([rec(0, 5), rec(1, 9), rec(2, 4), rec(3, 5), rec(4, 6)]);
    expect(maxRecommendationInWindow(state, 0).recommendation.parallelism).toBe(9);
    const later = maxRecommendationInWindow(state, 2);
    expect(later.recommendation).toEqual(rec(4, 6));
    expect(later.state.recommendations).toEqual([rec(4, 6)]);
    expect(state.recommendations).toHaveLength(2); // input untouched
  });

  it('equals the brute-force maximum over the window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (ps, startSeed) => {
          const state = triggerAll(ps.map((p, t) => rec(t, p)));
          const start = startSeed % ps.length;
          const max = Math.max(...ps.slice(start));
          expect(maxRecommendationInWindow(state, start).recommendation.parallelism).toBe(max);
        },
      ),
    );
  });

  it('throws EmptyScaleDownWindowError when the window starts after every entry', () => {
    const state = triggerAll([rec(0, 5)]);
    expect(() => maxRecommendationInWindow(state, 1)).toThrow(EmptyScaleDownWindowError);
  });
});

describe('clearing', () => {
  it('clears one vertex, keeps identity when absent, and clears all', () => {
    const all = { a: triggerAll([rec(0, 5)]), b: triggerAll([rec(0, 3)]) };
    const withoutA = clearVertexDelayedScaleDown(all, 'a');
    expect(Object.keys(withoutA)).toEqual(['b']);
    expect(Object.keys(all)).toEqual(['a', 'b']);
    expect(clearVertexDelayedScaleDown(withoutA, 'a')).toBe(withoutA);
    expect(clearAllDelayedScaleDowns()).toEqual({});
  });
});

describe('applyDelayedScaleDown', () => {
  const base = { currentParallelism: 100, scaleDownIntervalMs: 60_000, outsideUtilizationBound: true };

  it.each<{
    name: string;
    state?: DelayedScaleDownState;
    nowMs: number;
    newP: number;
    expected: number;
    delaying: boolean;
  }>([
    // first trigger at 0: window start −60 s < first trigger → keep 100
    { name: 'delays the first recommendation', nowMs: 0, newP: 80, expected: 100, delaying: true },
    // first at 0, now 60 s: window [0, …) holds (0, 90) and (60, 70) → 90
    {
      name: 'applies the window maximum',
      state: triggerAll([rec(0, 90)]),
      nowMs: 60_000,
      newP: 70,
      expected: 90,
      delaying: false,
    },
    // window maximum equals current → 100 (no change)
    {
      name: 'window maximum equal to current',
      state: triggerAll([rec(5_000, 100)]),
      nowMs: 65_000,
      newP: 80,
      expected: 100,
      delaying: false,
    },
  ])('$name', ({ state, nowMs, newP, expected, delaying }) => {
    const result = applyDelayedScaleDown({ ...base, state, nowMs, newParallelism: newP });
    expect(result.newParallelism).toBe(expected);
    expect(result.delaying).toBe(delaying);
    expect(result.state).toBeDefined();
  });

  it('applies immediately without touching state when the interval is ≤ 0', () => {
    const result = applyDelayedScaleDown({
      ...base,
      scaleDownIntervalMs: 0,
      state: undefined,
      nowMs: 0,
      newParallelism: 80,
    });
    expect(result).toMatchObject({
      newParallelism: 80,
      outsideUtilizationBound: true,
      delaying: false,
      state: undefined,
    });
  });
});
