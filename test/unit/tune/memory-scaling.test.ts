import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../lib/tune/memory-budget.ts';
import { applyScaleDownCompensation, scaleDownCompensation } from '../../../lib/tune/memory-scaling.ts';

const GIB = 1024 ** 3;

type Row = {
  used: number;
  current: Record<string, number>;
  next: Record<string, number>;
  slots: number;
  tms: number[];
  factor: number;
};

describe('scaleDownCompensation (docs/algorithm.md §7.5)', () => {
  it.each<Row>([
    // 20 slots, sharing (max p 20) → max new 10; 1 slot/TM: 20 → 10 TMs, factor 2
    { used: 20, current: { a: 20, b: 20 }, next: { a: 10, b: 10 }, slots: 1, tms: [20, 10], factor: 2 },
    // scale-up never shrinks: 10 → 20 TMs, factor max(1, 0.5) = 1
    { used: 10, current: { a: 10 }, next: { a: 20 }, slots: 1, tms: [10, 20], factor: 1 },
    // 5 slots/TM: ceil(9/5) = 2 → no sharing, 32 + 32 = 64 → ceil(64/5) = 13; factor 1
    { used: 9, current: { a: 10, b: 10 }, next: { a: 32, b: 32 }, slots: 5, tms: [2, 13], factor: 1 },
    // 3 slots/TM: 12 → ceil(12/3) = 4 TMs; max new 5 → ceil(5/3) = 2 TMs; factor 2
    { used: 12, current: { a: 12 }, next: { a: 5 }, slots: 3, tms: [4, 2], factor: 2 },
    // NaN slots used counts as 0 (Java (int) NaN): 0 TMs before → factor 1
    { used: Number.NaN, current: { a: 4 }, next: { a: 2 }, slots: 1, tms: [0, 2], factor: 1 },
  ])('$used slots, $current → $next: factor $factor', ({ used, current, next, slots, tms, factor }) => {
    const result = scaleDownCompensation({
      numTaskSlotsUsed: used,
      currentParallelism: current,
      newParallelism: next,
      slotsPerTaskManager: slots,
    });
    expect([result.taskManagersBefore, result.taskManagersAfter]).toEqual(tms);
    expect(result.factor).toBe(factor);
  });

  it('uses factor 1 when no TaskManager remains (Java would divide by zero)', () => {
    const result = scaleDownCompensation({
      numTaskSlotsUsed: 4,
      currentParallelism: {},
      newParallelism: {},
      slotsPerTaskManager: 1,
    });
    expect(result.factor).toBe(1);
  });
});

describe('applyScaleDownCompensation', () => {
  it('grows heap by the factor within the budget', () => {
    // 10 GiB × 2 = 20 GiB: takes 10 GiB of 30 GiB
    const budget = new MemoryBudget(30 * GIB);
    expect(applyScaleDownCompensation(10 * GIB, 2, budget)).toBe(20 * GIB);
    expect(budget.remainingBytes).toBe(20 * GIB);
  });

  it('caps the growth at what is left', () => {
    // 10 GiB × 3 wants +20 GiB, only 5 GiB left → 15 GiB
    expect(applyScaleDownCompensation(10 * GIB, 3, new MemoryBudget(5 * GIB))).toBe(15 * GIB);
  });
});
