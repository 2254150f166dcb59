/**
 * Observed true processing rate of a source (docs/algorithm.md §2.4, `OBSERVED_TPR`): while a source is
 * catching up on a backlog, what it actually ingests is its processing capacity, scaled up by the
 * fraction of time it was not back-pressured.
 */
import type { AutoscalerOptions } from '../config/index.ts';

/**
 * `r / (1 − bp/1000)`: the rate a source would reach without back-pressure. NaN when the source
 * was back-pressured the whole second (bp ≥ 1000 ms/s), because nothing can be inferred then.
 */
export function observedTprFromBackpressure(
  numRecordsInPerSecond: number,
  backpressuredTimeMsPerSecond: number,
): number {
  if (backpressuredTimeMsPerSecond >= 1000) return Number.NaN;
  return numRecordsInPerSecond / (1 - backpressuredTimeMsPerSecond / 1000);
}

/** Inputs of {@link computeObservedTpr}; rates in records/s. */
export interface ObservedTprInputs {
  /** Sum over subtasks of `Source__*.numRecordsInPerSecond` (NaN = not reported). */
  readonly numRecordsInPerSecond: number;
  /** Pending records of the source now (LAG). */
  readonly lag: number;
  /** Average `backPressuredTimeMsPerSecond` over subtasks (NaN = not reported). */
  readonly avgBackpressuredTimeMsPerSecond: number;
  /**
   * Average OBSERVED_TPR of the previous window samples with the min-observations rule; only
   * evaluated when needed.
   */
  readonly previousAverage: () => number;
}

/**
 * OBSERVED_TPR of one source sample (docs/algorithm.md §2.4):
 * - input rate NaN → NaN (not recorded);
 * - input rate 0 → +∞ (nothing arrives, so any capacity suffices and scale-down is allowed);
 * - catching up (`lag ≥ lagThresholdSeconds × r`) and not fully back-pressured → `r / (1 − bp/1000)`;
 * - otherwise the average of the previous samples (NaN with too few observations), because a
 *   source without backlog only shows its input rate, not its capacity.
 */
export function computeObservedTpr(
  inputs: ObservedTprInputs,
  options: Pick<AutoscalerOptions, 'observedTprLagThresholdMs'>,
): number {
  const rate = inputs.numRecordsInPerSecond;
  if (Number.isNaN(rate)) return Number.NaN;
  if (rate === 0) return Number.POSITIVE_INFINITY;
  // Java reads the threshold with Duration#toSeconds, which truncates to whole seconds.
  const lagThresholdSeconds = Math.trunc(options.observedTprLagThresholdMs / 1000);
  const bp = inputs.avgBackpressuredTimeMsPerSecond;
  if (inputs.lag >= lagThresholdSeconds * rate && bp < 1000) {
    return observedTprFromBackpressure(rate, bp);
  }
  return inputs.previousAverage();
}
