/**
 * Observed scalability coefficient α (docs/algorithm.md §4.3): how much of a linear
 * speed-up the vertex actually showed in its past scalings. The scale factor is divided by α, so
 * a vertex that gained only 70 % of the linear rate per added subtask gets proportionally more.
 */

import type { AutoscalerOptions } from '../config/index.ts';
import type { ScalingSummary } from '../domain/index.ts';

/**
 * Least-squares fit of `R_i ≈ β·α·P_i` over the scaling history, where P_i is the parallelism
 * *before* each scaling and R_i the TRUE_PROCESSING_RATE average measured at that parallelism:
 *
 *     α = Σ(P_i·R_i) / (Σ P_i² · β),  clamped to [coefficient-min, 1], rounded up to 2 decimals
 *
 * β, the per-subtask baseline rate, is the rate of the newest entry at parallelism 1, else R/P of
 * the entry with the smallest parallelism (newest wins ties), because small parallelisms are the
 * closest to ideal scaling. Returns 1 (assume linear) with fewer than
 * `observed-scalability.min-observations` entries or any NaN rate.
 *
 * @param history scaling summaries of one vertex, oldest first.
 */
export function observedScalabilityCoefficient(
  history: readonly ScalingSummary[],
  options: Pick<
    AutoscalerOptions,
    'observedScalabilityMinObservations' | 'observedScalabilityCoefficientMin'
  >,
): number {
  if (history.length === 0 || history.length < options.observedScalabilityMinObservations) return 1;
  const baseline = baselineProcessingRate(history);
  if (Number.isNaN(baseline)) return 1;

  let sumProduct = 0;
  let sumSquares = 0;
  for (const summary of history) {
    const p = summary.currentParallelism;
    const r = summary.metrics.trueProcessingRateAvg;
    if (Number.isNaN(r)) return 1;
    sumProduct += p * r;
    sumSquares += p * p;
  }
  if (sumSquares === 0) return 1;
  const alpha = sumProduct / (sumSquares * baseline);
  const clamped = Math.max(options.observedScalabilityCoefficientMin, Math.min(1, alpha));
  return ceilToHundredths(clamped);
}

/** β of {@link observedScalabilityCoefficient}; NaN without history. */
function baselineProcessingRate(history: readonly ScalingSummary[]): number {
  let smallest: ScalingSummary | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const summary = history[i]!;
    if (summary.currentParallelism === 1) return summary.metrics.trueProcessingRateAvg;
    if (smallest === undefined || summary.currentParallelism < smallest.currentParallelism)
      smallest = summary;
  }
  return smallest === undefined
    ? Number.NaN
    : smallest.metrics.trueProcessingRateAvg / smallest.currentParallelism;
}

/**
 * Rounds up to 2 decimals the way Java's `BigDecimal.valueOf(x).setScale(2, CEILING)` does: on the
 * decimal value the double prints as. Plain `Math.ceil(x × 100)` would turn 0.7 (whose product
 * with 100 may carry binary noise) into 0.71, so values within rounding noise of a hundredth stay.
 */
export function ceilToHundredths(value: number): number {
  const scaled = value * 100;
  const nearest = Math.round(scaled);
  if (Math.abs(scaled - nearest) <= 1e-9 * Math.max(1, Math.abs(scaled))) return nearest / 100;
  return Math.ceil(scaled) / 100;
}
