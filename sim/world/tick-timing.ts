/**
 * When the cycle of each schedule tick really starts. Deployed, nothing runs on the minute:
 *
 * - EventBridge Scheduler invokes its target at the scheduled time plus a delivery latency, even
 *   with `FlexibleTimeWindow: OFF` ("Scheduler invokes the target at the scheduled time"; the
 *   invocation itself is asynchronous and takes its own time: EventBridge Scheduler User Guide,
 *   "Schedule types" and "Target invocation");
 * - the dispatcher's SQS message is received by the worker's event source mapping after a poll
 *   (long polling, up to the wait time: Amazon SQS Developer Guide, "Amazon SQS short and long
 *   polling"), and a cold Lambda start adds hundreds of milliseconds to seconds (AWS Lambda
 *   Developer Guide, "Lambda execution environment lifecycle");
 * - the odd tick runs twice: the FIFO job queue drops a second send of the same job and tick
 *   within its 5-minute de-duplication interval (Amazon SQS Developer Guide, "Using the message
 *   deduplication ID"), but a message whose batch the worker did not finish (a timeout, a crashed
 *   container) becomes visible again after the visibility timeout and is received a second time
 *   ("Amazon SQS visibility timeout"); the worker then skips the tick it already evaluated;
 * - a tick is sometimes not run at all: the schedule neither retries nor keeps events older than
 *   60 s (cdk/lib/constructs/schedule.ts), and Lambda throttling or an outage drops it.
 *
 * The local world and the closed-loop benchmark use {@link REALISTIC_TIMING} by default, so no
 * decision-quality figure depends on cycles starting at exactly one-minute intervals; `exact`
 * keeps the old behaviour for comparison. Every draw is a pure function of (seed, tick number):
 * a run is reproducible, and one tick's draw does not depend on how many draws came before.
 */

/** How the cycles of a run are timed. */
export interface TickTiming {
  /** `exact`: each tick's cycle starts at the tick, once. `realistic`: the draws below. */
  readonly mode: 'exact' | 'realistic';
  /** Seed of the draws; the same seed gives the same run. */
  readonly seed: number;
  /** Shortest delay from the scheduled tick to the start of its cycle (ms). */
  readonly minDelayMs: number;
  /** Longest delay from the scheduled tick to the start of its cycle (ms). */
  readonly maxDelayMs: number;
  /** Share of ticks whose cycle never runs (0..1). */
  readonly missRate: number;
  /** Share of ticks delivered twice (0..1); the second delivery starts after the first. */
  readonly duplicateRate: number;
  /** Longest extra delay of a duplicate delivery after the first one (ms). */
  readonly duplicateSpreadMs: number;
}

/** Scheduler, SQS and Lambda start together: 0.2–5 s late, about 1 % of ticks missed, 1 % twice. */
export const REALISTIC_TIMING: TickTiming = {
  mode: 'realistic',
  seed: 20_261_204,
  minDelayMs: 200,
  maxDelayMs: 5_000,
  missRate: 0.01,
  duplicateRate: 0.01,
  duplicateSpreadMs: 10_000,
};

/** Every cycle exactly at its tick, once (the behaviour before realistic timing). */
export const EXACT_TIMING: TickTiming = { ...REALISTIC_TIMING, mode: 'exact' };

/** A timing by name, as the CLI's `--timing` option spells it. */
export function tickTimingNamed(name: string, seed?: number): TickTiming {
  const base = name === 'exact' ? EXACT_TIMING : name === 'realistic' ? REALISTIC_TIMING : undefined;
  if (!base) throw new RangeError(`timing must be 'realistic' or 'exact', got '${name}'`);
  return seed === undefined ? base : { ...base, seed };
}

/**
 * Start times (epoch ms) of the cycles tick number `tickIndex`, scheduled at `tickMs`, gets: none
 * (missed), one, or two (a duplicate delivery), in increasing order.
 */
export function cycleStartsOfTick(timing: TickTiming, tickIndex: number, tickMs: number): number[] {
  if (timing.mode === 'exact') return [tickMs];
  const draw = drawsFor(timing.seed, tickIndex);
  if (draw() < timing.missRate) return [];
  const firstMs = tickMs + Math.round(timing.minDelayMs + draw() * (timing.maxDelayMs - timing.minDelayMs));
  if (draw() >= timing.duplicateRate) return [firstMs];
  return [firstMs, firstMs + 1 + Math.round(draw() * timing.duplicateSpreadMs)];
}

/**
 * Uniform draws in [0, 1) for one tick: the mulberry32 generator (a public-domain 32-bit PRNG)
 * seeded from the run's seed and the tick number.
 */
function drawsFor(seed: number, tickIndex: number): () => number {
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(tickIndex + 1, 0x85ebca77)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
