import type { AutoscalerOptions } from '../config/index.ts';

/** The inputs of the capacity formula for one vertex (docs/algorithm.md §3.5). Rates in records/s. */
export interface CapacityInputs {
  /** TARGET_DATA_RATE window average. */
  readonly targetDataRateAvg: number;
  /** CATCH_UP_DATA_RATE current value (lag to drain per second over the catch-up duration). */
  readonly catchUpDataRate: number;
}

/**
 * Target processing capacity of a vertex at a utilization (docs/algorithm.md §3.5, FLIP-271):
 *
 *     round(CATCH_UP + [TDR × restartS / catchUpS] + TDR / clamp(u, 0, 1))
 *
 * The restart term (only `withRestart`) adds the records that pile up during a restart and must
 * be drained within the catch-up duration. Restart and catch-up are whole seconds (truncated), as
 * in the Java code. Returns NaN when an input is NaN and +∞ at utilization 0.
 */
export function targetProcessingCapacity(
  inputs: CapacityInputs,
  options: Pick<AutoscalerOptions, 'catchUpDurationMs'>,
  restartTimeMs: number,
  utilization: number,
  withRestart: boolean,
): number {
  const { targetDataRateAvg: tdr, catchUpDataRate: catchUp } = inputs;
  if (Number.isNaN(tdr) || Number.isNaN(catchUp)) return Number.NaN;
  const u = Math.min(1, Math.max(0, utilization));
  if (u === 0) return Number.POSITIVE_INFINITY;
  const catchUpSeconds = Math.trunc(options.catchUpDurationMs / 1000);
  const restartSeconds = Math.trunc(restartTimeMs / 1000);
  const restartCatchUp = withRestart && catchUpSeconds > 0 ? (tdr * restartSeconds) / catchUpSeconds : 0;
  return roundHalfUp(catchUp + restartCatchUp + tdr / u);
}

/**
 * Extension (catch-up settle): the capacity a vertex needs once nothing is left to catch up,
 * `round(TDR / clamp(utilization.target, 0, 1))`: the capacity formula without the catch-up term
 * (no backlog left) and without the restart term (that term pays for the lag of the restart a
 * scaling causes; a settle's own restart is drained by the headroom between the target and 100 %).
 */
export function steadyStateCapacity(targetDataRateAvg: number, utilizationTarget: number): number {
  return targetProcessingCapacity(
    { targetDataRateAvg, catchUpDataRate: 0 },
    { catchUpDurationMs: 0 },
    0,
    utilizationTarget,
    false,
  );
}

/** Java `Math.round`: half-up rounding to an integer (also for negative values). */
export function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5);
}

/** The no-scaling band of a vertex (docs/algorithm.md §3.6). */
export interface ScaleThresholds {
  /** SCALE_UP_RATE_THRESHOLD: a TPR below it means the vertex is too slow (numerically the lower bound). */
  readonly scaleUpRateThreshold: number;
  /** SCALE_DOWN_RATE_THRESHOLD: a TPR above it means the vertex is over-provisioned (the upper bound). */
  readonly scaleDownRateThreshold: number;
}

/**
 * Scale-up and scale-down rate thresholds (docs/algorithm.md §3.6). While the job processes a backlog the band
 * widens to (capacity at 100 % utilization, +∞), so a catching-up job is not scaled down.
 */
export function computeScaleThresholds(
  inputs: CapacityInputs,
  options: Pick<
    AutoscalerOptions,
    | 'catchUpDurationMs'
    | 'utilizationTarget'
    | 'targetUtilizationBoundary'
    | 'utilizationMax'
    | 'utilizationMin'
  >,
  restartTimeMs: number,
  processingBacklog: boolean,
): ScaleThresholds {
  const upperUtilization = processingBacklog
    ? 1
    : (options.utilizationMax ?? options.utilizationTarget + options.targetUtilizationBoundary);
  const lowerUtilization = processingBacklog
    ? 0
    : (options.utilizationMin ?? options.utilizationTarget - options.targetUtilizationBoundary);
  return {
    scaleUpRateThreshold: targetProcessingCapacity(inputs, options, restartTimeMs, upperUtilization, false),
    scaleDownRateThreshold: targetProcessingCapacity(inputs, options, restartTimeMs, lowerUtilization, true),
  };
}

/** Whether a true processing rate lies outside the no-scaling band (docs/algorithm.md §3.6). */
export function isOutsideUtilizationBound(
  trueProcessingRateAvg: number,
  thresholds: ScaleThresholds,
): boolean {
  return (
    trueProcessingRateAvg < thresholds.scaleUpRateThreshold ||
    trueProcessingRateAvg > thresholds.scaleDownRateThreshold
  );
}
