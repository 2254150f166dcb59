import { InvalidTuningInputError } from './tuning-errors.ts';

/**
 * Accounting of the TaskManager memory budget while the pools are sized (docs/algorithm.md §7.1, Java
 * `MemoryBudget`). Pools are taken in a fixed order (§7.2); each gets at most what is left, so
 * the plan can never exceed the user's original process memory.
 */
export class MemoryBudget {
  #remainingBytes: number;

  /** @param totalBytes the whole budget: the user's TaskManager process memory, bytes ≥ 0. */
  constructor(totalBytes: number) {
    if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) {
      throw new InvalidTuningInputError('totalBytes', totalBytes, 'a whole number of bytes ≥ 0');
    }
    this.#remainingBytes = totalBytes;
  }

  /**
   * Takes `min(bytes, remaining)` out of the budget and returns it. `Infinity` takes everything
   * left (the operator's `budget(Long.MAX_VALUE)` for maximized managed memory).
   */
  take(bytes: number): number {
    if (
      Number.isNaN(bytes) ||
      bytes < 0 ||
      (!Number.isSafeInteger(bytes) && bytes !== Number.POSITIVE_INFINITY)
    ) {
      throw new InvalidTuningInputError('bytes', bytes, 'a whole number of bytes ≥ 0, or Infinity');
    }
    const taken = Math.min(bytes, this.#remainingBytes);
    this.#remainingBytes -= taken;
    return taken;
  }

  /** Bytes not yet given to any pool. */
  get remainingBytes(): number {
    return this.#remainingBytes;
  }
}
