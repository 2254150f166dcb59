import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParallelismChange } from '../../../lib/domain/index.ts';
import { selectScalingSummaries } from '../../../lib/decide/scaling-summary.ts';

const change = (cur: number, next: number, outside: boolean): ParallelismChange => ({
  currentParallelism: cur,
  newParallelism: next,
  outsideUtilizationBound: outside,
  noChange: cur === next,
});

describe('selectScalingSummaries (docs/algorithm.md §5.1 steps 3–5)', () => {
  it.each<{
    name: string;
    changes: Record<string, ParallelismChange>;
    excluded: string[];
    selected: string[];
  }>([
    { name: 'nothing changes → balanced', changes: { a: change(2, 2, false) }, excluded: [], selected: [] },
    {
      name: 'only in-band changes → balanced',
      changes: { a: change(4, 3, false), b: change(2, 2, false) },
      excluded: [],
      selected: [],
    },
    {
      name: 'one outside → every changed vertex kept',
      changes: { a: change(4, 3, false), b: change(2, 5, true), c: change(2, 2, false) },
      excluded: [],
      selected: ['a', 'b'],
    },
    {
      name: 'the only outside vertex is excluded → balanced',
      changes: { a: change(4, 3, false), b: change(2, 5, true) },
      excluded: ['b'],
      selected: [],
    },
    {
      name: 'excluded vertices never take part',
      changes: { a: change(4, 8, true), b: change(2, 5, true) },
      excluded: ['a'],
      selected: ['b'],
    },
  ])('$name', ({ changes, excluded, selected }) => {
    expect(Object.keys(selectScalingSummaries(changes, new Set(excluded))).sort()).toEqual(selected);
  });

  it('property: selected ⊆ changed, not excluded; empty or containing an outside-bound vertex', () => {
    const arbChange = fc
      .tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), fc.boolean())
      .map(([cur, next, outside]) => change(cur, next, outside));
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), arbChange),
        fc.subarray(['a', 'b', 'c', 'd', 'e']),
        (changes, excluded) => {
          const selected = selectScalingSummaries(changes, new Set(excluded));
          const ids = Object.keys(selected);
          for (const id of ids) {
            expect(excluded).not.toContain(id);
            expect(selected[id]?.newParallelism).not.toBe(selected[id]?.currentParallelism);
          }
          if (ids.length > 0) expect(ids.some((id) => selected[id]?.outsideUtilizationBound)).toBe(true);
        },
      ),
    );
  });
});
