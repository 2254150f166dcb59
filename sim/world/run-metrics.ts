/**
 * Decision-quality figures of a local-world run (docs/design.md §8), for the autoscaler and the
 * baseline alike, measured against the oracle. Pure: a function of the {@link WorldRun}.
 */
import type { DecisionLogEntry, TickRecord, WorldRun } from './world-timeline.ts';

/** Figures of one actor (the autoscaler or the baseline). */
export interface ActorMetrics {
  /** Parallelism changes applied during the run. */
  readonly rescales: number;
  /**
   * Rescales from the last load change ({@link RunMetrics.lastLoadChangeMs}) up to the first
   * converged tick after it; undefined if never converged after it.
   */
  readonly rescalesToConverge: number | undefined;
  /** Simulated ms of the first converged tick at or after the last load change. */
  readonly convergedAtMs: number | undefined;
  /** Rescales after that converged tick. */
  readonly rescalesAfterConvergence: number;
  /** Σ over vertices of the parallelism at the last tick. */
  readonly finalParallelism: number;
  /** Σ over vertices of the oracle at the last tick. */
  readonly finalOracle: number;
  /** finalParallelism ÷ finalOracle. */
  readonly finalRatio: number;
  /** Σ over ticks and vertices of parallelism × tick duration, hours. */
  readonly parallelismHours: number;
  /** The same for the oracle. */
  readonly oracleParallelismHours: number;
  /** parallelismHours ÷ oracleParallelismHours. */
  readonly parallelismHoursRatio: number;
  /** Simulated minutes with lag above the lag target. */
  readonly minutesLagAboveTarget: number;
  readonly maxLagSeconds: number;
}

/** Both actors of a run. */
export interface RunMetrics {
  readonly autoscaler: ActorMetrics;
  readonly baseline: ActorMetrics;
  /** Tolerance used for convergence: Σ parallelism ≤ tolerance × Σ oracle. */
  readonly convergenceTolerance: number;
  /**
   * Simulated ms of the last tick at which the oracle changed (the load moved enough to need a
   * different parallelism); the first tick's time when it never changed.
   */
  readonly lastLoadChangeMs: number;
}

/** Σ parallelism within this factor of Σ oracle (and no vertex below it) counts as converged. */
export const CONVERGENCE_TOLERANCE = 1.1;

type Actor = 'autoscaler' | 'baseline';

/**
 * Converged at a tick: no vertex below the oracle (the load fits at the target utilization) and
 * the job not more than {@link CONVERGENCE_TOLERANCE} × the oracle in total. Per-vertex ratios
 * would be too strict at small parallelisms (2 vs 3 is 1.5×), so the total is compared.
 */
export function isConverged(tick: TickRecord, actor: Actor, tolerance = CONVERGENCE_TOLERANCE): boolean {
  let total = 0;
  let oracle = 0;
  for (const point of Object.values(tick.vertices)) {
    const p = actor === 'autoscaler' ? point.parallelism : point.baselineParallelism;
    if (p < point.oracle) return false;
    total += p;
    oracle += point.oracle;
  }
  return total <= tolerance * oracle;
}

/**
 * Time of the last tick whose oracle differs from the previous tick's (any vertex). Convergence is
 * measured from there: a job that starts balanced is "converged" at its first tick, and what
 * matters is how it meets the load change that follows; with several changes (spikes, a diurnal
 * curve) the last one is the one the run can show the outcome of.
 */
export function lastLoadChangeMs(run: WorldRun): number {
  let last = run.ticks[0]?.tMs ?? 0;
  for (let i = 1; i < run.ticks.length; i++) {
    const before = run.ticks[i - 1]?.vertices ?? {};
    const tick = run.ticks[i] as TickRecord;
    if (Object.entries(tick.vertices).some(([key, point]) => before[key]?.oracle !== point.oracle)) {
      last = tick.tMs;
    }
  }
  return last;
}

function actorMetrics(run: WorldRun, actor: Actor, loadChangeMs: number): ActorMetrics {
  const tickHours = run.tickMs / 3_600_000;
  const rescaleTimes = rescaleTimesOf(run.decisions, actor);
  let convergedAtMs: number | undefined;
  let parallelismHours = 0;
  let oracleHours = 0;
  let lagTicks = 0;
  let maxLag = 0;
  for (const tick of run.ticks) {
    if (convergedAtMs === undefined && tick.tMs >= loadChangeMs && isConverged(tick, actor)) {
      convergedAtMs = tick.tMs;
    }
    for (const point of Object.values(tick.vertices)) {
      parallelismHours +=
        (actor === 'autoscaler' ? point.parallelism : point.baselineParallelism) * tickHours;
      oracleHours += point.oracle * tickHours;
    }
    const lag = actor === 'autoscaler' ? tick.lagSeconds : tick.baseline.lagSeconds;
    maxLag = Math.max(maxLag, lag);
    if (lag > run.lagTargetSeconds) lagTicks++;
  }
  const last = run.ticks.at(-1);
  let finalParallelism = 0;
  let finalOracle = 0;
  for (const point of Object.values(last?.vertices ?? {})) {
    finalParallelism += actor === 'autoscaler' ? point.parallelism : point.baselineParallelism;
    finalOracle += point.oracle;
  }
  // A rescale decided at the converged tick's cycle happens after it was observed. Rescales that
  // answered an earlier load (before the last change) do not count towards this convergence.
  const before =
    convergedAtMs === undefined
      ? undefined
      : rescaleTimes.filter((t) => t >= loadChangeMs && t < convergedAtMs).length;
  return {
    rescales: rescaleTimes.length,
    rescalesToConverge: before,
    convergedAtMs,
    rescalesAfterConvergence:
      convergedAtMs === undefined ? 0 : rescaleTimes.filter((t) => t >= convergedAtMs).length,
    finalParallelism,
    finalOracle,
    finalRatio: finalOracle > 0 ? finalParallelism / finalOracle : Number.NaN,
    parallelismHours,
    oracleParallelismHours: oracleHours,
    parallelismHoursRatio: oracleHours > 0 ? parallelismHours / oracleHours : Number.NaN,
    minutesLagAboveTarget: (lagTicks * run.tickMs) / 60_000,
    maxLagSeconds: maxLag,
  };
}

/** Times (simulated ms) at which an actor changed parallelism. */
function rescaleTimesOf(decisions: readonly DecisionLogEntry[], actor: Actor): number[] {
  return decisions
    .filter((d) => d.actor === actor && d.action === 'scale' && d.changes.some((c) => c.from !== c.to))
    .map((d) => d.tMs);
}

/** The figures of both actors. */
export function runMetrics(run: WorldRun): RunMetrics {
  const loadChangeMs = lastLoadChangeMs(run);
  return {
    autoscaler: actorMetrics(run, 'autoscaler', loadChangeMs),
    baseline: actorMetrics(run, 'baseline', loadChangeMs),
    convergenceTolerance: CONVERGENCE_TOLERANCE,
    lastLoadChangeMs: loadChangeMs,
  };
}
