/**
 * Busy time, input rate and true processing rate of a vertex over the window (docs/algorithm.md §3.3).
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { MetricSample, VertexId } from '../domain/index.ts';
import { counterRate, metricAverage } from '../domain/sample-series.ts';

/**
 * Busy milliseconds per second of a vertex over the window (docs/algorithm.md §3.3). With the AVG aggregator
 * the accumulated busy-time counter is diffed and divided by the parallelism (true mean over
 * subtasks); with MAX or MIN the window average of LOAD (already the max/min subtask) × 1000.
 */
export function computeBusyTimeMsPerSecond(
  samples: readonly MetricSample[],
  vertexId: VertexId,
  parallelism: number,
  options: Pick<AutoscalerOptions, 'busyTimeAggregator'>,
): number {
  if (options.busyTimeAggregator === 'AVG') {
    return counterRate(samples, vertexId, 'ACCUMULATED_BUSY_TIME') / parallelism;
  }
  return metricAverage(samples, vertexId, 'LOAD') * 1000;
}

/**
 * Input rate used as the TPR numerator (docs/algorithm.md §3.3). AVG pairs the counter rate with the mean
 * busy time; MAX/MIN use the window average of the summed `numRecordsInPerSecond` gauge, falling
 * back to the counter rate when that is not finite (sources never have the gauge).
 */
export function computeTprInputRate(
  samples: readonly MetricSample[],
  vertexId: VertexId,
  options: Pick<AutoscalerOptions, 'busyTimeAggregator'>,
): number {
  if (options.busyTimeAggregator === 'AVG') return counterRate(samples, vertexId, 'NUM_RECORDS_IN');
  const gaugeAverage = metricAverage(samples, vertexId, 'NUM_RECORDS_IN_PER_SECOND');
  return Number.isFinite(gaugeAverage) ? gaugeAverage : counterRate(samples, vertexId, 'NUM_RECORDS_IN');
}

/**
 * True processing rate (records/s at 100 % busy) of a vertex (docs/algorithm.md §3.3):
 *
 *     busyTpr = inputRate == 0 ? +∞ : inputRate / (busyMsPerSec / 1000)
 *
 * An idle vertex can process anything, hence +∞; IEEE semantics give +∞ for busy 0 and propagate
 * NaN. For sources the observed TPR (window average with the min-observations rule) replaces the
 * busy-time estimate when that estimate is unusable (±∞/NaN) or more than `switch-threshold`
 * above the observed value, since busy time over-estimates capacity for back-pressured sources.
 */
export function computeTrueProcessingRate(
  busyTimeMsPerSecond: number,
  inputRate: number,
  samples: readonly MetricSample[],
  vertexId: VertexId,
  options: Pick<AutoscalerOptions, 'observedTprMinObservations' | 'observedTprSwitchThreshold'>,
): number {
  const busyTpr = inputRate === 0 ? Number.POSITIVE_INFINITY : inputRate / (busyTimeMsPerSecond / 1000);
  const observedAvg = metricAverage(samples, vertexId, 'OBSERVED_TPR', options.observedTprMinObservations);
  if (Number.isNaN(observedAvg)) return busyTpr;
  if (!Number.isFinite(busyTpr)) return observedAvg;
  return busyTpr > observedAvg * (1 + options.observedTprSwitchThreshold) ? observedAvg : busyTpr;
}
