/**
 * What the one-time checks that follow a scale-up (catch-up settle, scale-up shortfall
 * correction) share: which scale-up they follow and when its rates can be trusted.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { ScalingSummary } from '../domain/index.ts';
import { formatDurationMs } from './describe-vertex-decision.ts';
import type { ScaleParallelismResult } from './scale-parallelism.ts';

/** What every check after a scale-up reads; `O` are the options it needs. */
export interface AfterScaleUpCheckInput<O extends keyof AutoscalerOptions> {
  readonly currentParallelism: number;
  /** TRUE_PROCESSING_RATE window average at the current parallelism. */
  readonly trueProcessingRateAvg: number;
  /** TARGET_DATA_RATE window average. */
  readonly targetDataRateAvg: number;
  /** Executed scalings of the vertex, oldest first. */
  readonly history: readonly ScalingSummary[];
  readonly options: Pick<AutoscalerOptions, O | 'metricsWindowMs' | 'utilizationTarget'>;
  readonly nowMs: number;
  /** The job's processing-backlog flag this cycle (docs/algorithm.md §3.1): a check waits while it is set. */
  readonly processingBacklog: boolean;
  /** Whether the job's backlog is drained this cycle (see `isBacklogDrained`); undefined = unknown. */
  readonly backlogDrained: boolean | undefined;
  /** Observed scalability coefficient the main factor is divided by (1 = linear or disabled). */
  readonly scalabilityCoefficient: number;
  /** The vertex's factor → parallelism step (limits, caps, alignment), shared with the main path. */
  readonly scale: (factor: number) => ScaleParallelismResult;
}

/**
 * The vertex's newest history entry when it is a scale-up and the vertex still runs at its
 * parallelism; a later scaling replaces the newest entry, so each check follows one scale-up.
 */
export function newestScaleUpStillInEffect(
  history: readonly ScalingSummary[],
  currentParallelism: number,
): ScalingSummary | undefined {
  const last = history.at(-1);
  if (last === undefined || last.newParallelism <= last.currentParallelism) return undefined;
  return last.newParallelism === currentParallelism ? last : undefined;
}

/** The cycle's view of a check after a scale-up. */
export interface AfterScaleUpCycle {
  readonly nowMs: number;
  readonly metricsWindowMs: number;
  /** The job's processing-backlog flag this cycle (docs/algorithm.md §3.1). */
  readonly processingBacklog: boolean;
  /** Whether the job's backlog is drained (see `isBacklogDrained`); undefined = unknown. */
  readonly backlogDrained: boolean | undefined;
}

/**
 * Why a check of `scaleUp` must wait this cycle, or undefined when it can run: one
 * `metrics.window` after the scale-up (the window restarts with the job, so TPR and TDR then come
 * from the new parallelism) and with the backlog drained (while a lag shrinks, TDR runs below the
 * input rate).
 */
export function waitAfterScaleUp(
  scaleUp: ScalingSummary,
  cycle: AfterScaleUpCycle,
  check: string,
  since: string,
): string | undefined {
  if (cycle.nowMs - scaleUp.tsMs < cycle.metricsWindowMs) {
    return `${check} waits: ${since}; rates on the new parallelism need one metrics.window (${formatDurationMs(cycle.metricsWindowMs)})`;
  }
  if (cycle.processingBacklog || cycle.backlogDrained !== true) {
    return `${check} waits: ${since} and the backlog is not drained yet`;
  }
  return undefined;
}
