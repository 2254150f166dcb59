import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../../lib/tune/memory-budget.ts';
import { InvalidTuningInputError } from '../../../lib/tune/tuning-errors.ts';

describe('MemoryBudget', () => {
  it('gives each take at most what is left, in order', () => {
    // Prepare: 100 bytes
    const budget = new MemoryBudget(100);
    // Act + Assess: 30 → 30 (70 left), 50 → 50 (20 left), 40 → 20 (0 left), ∞ → 0
    expect(budget.take(30)).toBe(30);
    expect(budget.take(50)).toBe(50);
    expect(budget.take(40)).toBe(20);
    expect(budget.take(Number.POSITIVE_INFINITY)).toBe(0);
    expect(budget.remainingBytes).toBe(0);
  });

  it('takes everything left for Infinity (maximized managed memory)', () => {
    const budget = new MemoryBudget(1000);
    budget.take(400);
    expect(budget.take(Number.POSITIVE_INFINITY)).toBe(600);
  });

  it.each([-1, Number.NaN, 0.5])('rejects take(%s)', (bytes) => {
    expect(() => new MemoryBudget(10).take(bytes)).toThrow(InvalidTuningInputError);
  });

  it('rejects a negative budget, naming the field', () => {
    expect(() => new MemoryBudget(-5)).toThrow(/totalBytes = -5/);
  });
});
