/**
 * Arithmetic over the metric window (spec/autoscaler-algorithm.md §2.4 rounding, §2.5 rate and
 * average). All functions are pure; a metric missing from a sample counts as NaN.
 */
import type {
  GlobalSampleMetricName,
  MetricSample,
  VertexId,
  VertexSampleMetricName,
  VertexSampleMetrics,
} from '../domain/index.ts';

const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * Rounds half-up (away from zero on ties) to `places` decimals on the value's shortest decimal
 * representation, like Java's `Precision.round` (BigDecimal HALF_UP). Rounding the decimal text
 * rather than `x * 1000` avoids binary artefacts: `1.0005 * 1000` is `1000.4999…` in IEEE
 * arithmetic, but the value *prints* as 1.0005 and must round to 1.001. Non-finite values pass through.
 */
export function roundHalfUpToDecimals(x: number, places: number): number {
  // Integers (counters, lags, byte counts) have no decimals to round: skip the text path.
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const fast = roundAwayFromTie(x, places);
  if (fast !== undefined) return fast;
  return roundOnDecimalText(x, places);
}

/** Largest |x| × 10^places for the arithmetic path: its float error stays below 2^-16. */
const FAST_PATH_LIMIT = 2 ** 36;

/**
 * Arithmetic rounding when it provably agrees with the decimal-text rounding: the scaled value is
 * small enough that the product's float error (≤ one ulp, < 2^-16 here) cannot cross a rounding
 * boundary, and its fraction is more than 10^-3 away from the half-way point. Undefined when the
 * exact (text) path is needed. Division by 10^places is correctly rounded, as is parsing `ne-p`.
 */
function roundAwayFromTie(x: number, places: number): number | undefined {
  const factor = 10 ** places;
  const scaled = Math.abs(x) * factor;
  if (!(scaled < FAST_PATH_LIMIT)) return undefined;
  const fraction = scaled - Math.floor(scaled);
  if (Math.abs(fraction - 0.5) <= 1e-3) return undefined;
  const magnitude = Math.floor(scaled + 0.5) / factor;
  return x < 0 ? -magnitude : magnitude;
}

/** Exact half-up rounding on the value's shortest decimal text (see {@link roundHalfUpToDecimals}). */
export function roundOnDecimalText(x: number, places: number): number {
  if (x === 0) return x;
  const match = DECIMAL_PATTERN.exec(Math.abs(x).toString());
  if (!match) return x;
  const [, intPart = '', fracPart = '', expPart] = match;
  const digits = intPart + fracPart;
  // Position of the decimal point within `digits` (may be negative or beyond its end).
  const pointPos = intPart.length + (expPart ? Number(expPart) : 0);
  const keep = pointPos + places;
  if (digits.length <= keep) return x; // no digits beyond the requested precision
  if (keep < 0) return x > 0 ? 0 : -0; // the first dropped digit is an implicit leading 0
  const roundUp = Number(digits[keep]) >= 5;
  let kept = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
  if (roundUp) kept += 1n;
  // kept × 10^-places, parsed from text so the result is the double nearest to the exact decimal.
  const magnitude = Number(`${kept}e-${places}`);
  return x < 0 ? -magnitude : magnitude;
}

/**
 * Rounds a metric value as the Flink autoscaler stores it (spec §2.4): half-up to 3 decimals,
 * but a value that would round to 0 is kept unrounded, so a small positive rate never becomes 0
 * (which would read as "idle" and make the true processing rate infinite). NaN and ±∞ pass through.
 */
export function roundMetric(x: number): number {
  const rounded = roundHalfUpToDecimals(x, 3);
  return rounded === 0 ? x : rounded;
}

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
 * Per-second rate of a cumulative counter over the window (spec §2.5):
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
 * Window average of a vertex metric (spec §2.5): NaN values are skipped; ±∞ values are skipped
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
