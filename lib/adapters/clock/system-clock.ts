import type { Clock } from '../../ports/clock.ts';

/** The wall clock, for production wiring only (everything else takes a {@link Clock}). */
export const systemClock: Clock = { nowMs: () => Date.now() };
