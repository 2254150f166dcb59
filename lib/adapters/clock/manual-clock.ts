import type { Clock } from '../../ports/clock.ts';

/** A {@link Clock} that only moves when told to, for tests and the local world's virtual time. */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(startMs = 0) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  /** Moves time forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    this.#nowMs += ms;
  }

  /** Jumps to `epochMs`, which must not be earlier than now. */
  set(epochMs: number): void {
    if (!(epochMs >= this.#nowMs)) throw new RangeError(`cannot move a clock back to ${epochMs}`);
    this.#nowMs = epochMs;
  }
}
