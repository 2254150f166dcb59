/**
 * Arithmetic over a series of samples (docs/algorithm.md §2.5 rate and average): what
 * the collect stage (observed-TPR fallback) and the evaluation read from the metric window. All
 * functions are pure; a metric missing from a sample counts as NaN.
 */
import type { GlobalSampleMetricName, VertexSampleMetricName } from './metric-names.ts';
import type { MetricSample, VertexSampleMetrics } from './metric-sample.ts';
import type { VertexId } from './topology.ts';

/** Value of a vertex metric in one sample; NaN when the vertex or the metric is absent. */
export function vertexMetricValue(
  sample: MetricSample,
  vertexId: VertexId,
  metric: VertexSampleMetricName,
): number {
  return sample.vertices[vertexId]?.[metric] ?? Number.NaN;
}

/** Value of a global metric in one sample; NaN when absent. */
export function globalMetricValue(sample: MetricSample, metric: GlobalSampleMetricName): number {
  return sample.global[metric] ?? Number.NaN;
}

/**
 * Per-second rate of a cumulative counter over the window (docs/algorithm.md §2.5):
 *
 *     1000 × (last − first) / max(1, ts_last − ts_first)
 *
 * where `first` is the first sample whose value is not NaN and `last` the last later one. NaN
 * when fewer than two samples carry the metric. Samples must be ordered oldest first.
 */
export function counterRate(
  samples: readonly MetricSample[],
  vertexId: VertexId,
  metric: VertexSampleMetricName,
): number {
  const series = vertexSeries(samples, vertexId);
  return rateOf(samples, (_sample, index) => series[index]?.[metric] ?? Number.NaN);
}

/**
 * Each sample's metrics of one vertex, in sample order. Memoized per window array: evaluation
 * reads several metrics of every vertex from the same window, and looking a 32-character vertex
 * id up in every sample of a 1,000-vertex job dominated the decision time. Samples are
 * immutable, so the memo never goes stale, and it is dropped with the array.
 */
const seriesMemo = new WeakMap<
  readonly MetricSample[],
  Map<VertexId, readonly (VertexSampleMetrics | undefined)[]>
>();

function vertexSeries(
  samples: readonly MetricSample[],
  vertexId: VertexId,
): readonly (VertexSampleMetrics | undefined)[] {
  let byVertex = seriesMemo.get(samples);
  if (!byVertex) {
    byVertex = new Map();
    seriesMemo.set(samples, byVertex);
  }
  let series = byVertex.get(vertexId);
  if (!series) {
    series = samples.map((sample) => sample.vertices[vertexId]);
    byVertex.set(vertexId, series);
  }
  return series;
}

/** {@link counterRate} of a global (job-level) metric. */
export function globalCounterRate(samples: readonly MetricSample[], metric: GlobalSampleMetricName): number {
  return rateOf(samples, (sample) => globalMetricValue(sample, metric));
}

/**
 * Window average of a vertex metric (docs/algorithm.md §2.5): NaN values are skipped; ±∞ values are skipped
 * but remembered. With no finite value the result is +∞ if an infinite one was seen (e.g. an
 * idle source's observed TPR), else NaN; with fewer than `minObservations` finite values it is NaN.
 */
export function metricAverage(
  samples: readonly MetricSample[],
  vertexId: VertexId,
  metric: VertexSampleMetricName,
  minObservations = 1,
): number {
  const series = vertexSeries(samples, vertexId);
  return averageOf(samples, (_sample, index) => series[index]?.[metric] ?? Number.NaN, minObservations);
}

/** {@link metricAverage} of a global (job-level) metric. */
export function globalMetricAverage(
  samples: readonly MetricSample[],
  metric: GlobalSampleMetricName,
  minObservations = 1,
): number {
  return averageOf(samples, (sample) => globalMetricValue(sample, metric), minObservations);
}

function rateOf(
  samples: readonly MetricSample[],
  readValue: (sample: MetricSample, index: number) => number,
): number {
  // First non-NaN from the front, last non-NaN from the back: two lookups in the usual case.
  let firstIndex = 0;
  while (firstIndex < samples.length && Number.isNaN(readValue(samples[firstIndex]!, firstIndex)))
    firstIndex++;
  let lastIndex = samples.length - 1;
  while (lastIndex > firstIndex && Number.isNaN(readValue(samples[lastIndex]!, lastIndex))) lastIndex--;
  if (lastIndex <= firstIndex) return Number.NaN;
  const first = samples[firstIndex]!;
  const last = samples[lastIndex]!;
  // max(1, Δ) guards against two samples with the same timestamp (division by zero).
  return (
    (1000 * (readValue(last, lastIndex) - readValue(first, firstIndex))) / Math.max(1, last.tsMs - first.tsMs)
  );
}

function averageOf(
  samples: readonly MetricSample[],
  readValue: (sample: MetricSample, index: number) => number,
  minObservations: number,
): number {
  let sum = 0;
  let count = 0;
  let anyInfinite = false;
  for (let index = 0; index < samples.length; index++) {
    const value = readValue(samples[index]!, index);
    if (Number.isNaN(value)) continue;
    if (!Number.isFinite(value)) {
      anyInfinite = true;
      continue;
    }
    sum += value;
    count++;
  }
  if (count === 0) return anyInfinite ? Number.POSITIVE_INFINITY : Number.NaN;
  return count < minObservations ? Number.NaN : sum / count;
}
