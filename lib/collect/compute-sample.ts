/**
 * Turns one cycle's raw Flink observation into the compact window sample the evaluator works on
 * (docs/algorithm.md §2.4, Java `ScalingMetrics` + `ScalingMetricCollector`).
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  MetricSample,
  RawJobMetrics,
  RawVertexMetrics,
  VertexId,
  VertexInfo,
  VertexSampleMetrics,
} from '../domain/index.ts';
import { computeGlobalSampleMetrics } from './global-sample-metrics.ts';
import { computeObservedTpr } from './observed-tpr.ts';
import { metricAverage } from '../domain/sample-series.ts';
import { roundMetric } from '../domain/metric-rounding.ts';

type SampleOptions = Pick<
  AutoscalerOptions,
  'busyTimeAggregator' | 'observedTprLagThresholdMs' | 'observedTprMinObservations'
>;

const ZERO_AGGREGATES = { min: 0, max: 0, avg: 0, sum: 0 } as const;

/**
 * What a FINISHED vertex reports: Flink stops updating its metrics, so the collector substitutes
 * zeros for every metric and IO counter (docs/algorithm.md §2.4, first sentence). A finished source then has
 * input rate 0, hence OBSERVED_TPR = +∞.
 */
const FINISHED_VERTEX_METRICS: RawVertexMetrics = {
  finished: true,
  busyTimeMsPerSecond: ZERO_AGGREGATES,
  backPressuredTimeMsPerSecond: ZERO_AGGREGATES,
  sourceNumRecordsInPerSecond: 0,
  sourceNumRecordsIn: 0,
  sourceNumRecordsOut: 0,
  pendingRecords: 0,
  numRecordsInPerSecond: 0,
  readRecords: 0,
  writeRecords: 0,
  accumulatedBusyTimeMs: 0,
};

/**
 * Computes the window sample of one cycle (docs/algorithm.md §2.4). `window` holds the samples collected so
 * far (oldest first, already cleared if the job restarted; see `clearHistoryIfRestarted`); it is
 * only read for the OBSERVED_TPR fallback average. The sample's timestamp is `raw.collectedAtMs`.
 *
 * Per vertex of `raw.topology` (FINISHED vertices use all-zero metrics):
 * - `LAG` (sources) = pending records, 0 when the source reports none;
 * - `LOAD` = aggregated busyTimeMsPerSecond / 1000 (negative → 0); omitted when missing — such a
 *   vertex is excluded from scaling this cycle, see {@link verticesWithoutBusyTime};
 * - `ACCUMULATED_BUSY_TIME`, `NUM_RECORDS_OUT` = job-details IO counters;
 * - `NUM_RECORDS_IN` = `read-records`, for sources falling back to `Source__*.numRecordsIn` and
 *   then `Source__*.numRecordsOut` (a source reads from outside the job graph, so Flink's IO
 *   counter is often 0); clamped ≥ 0;
 * - `NUM_RECORDS_IN_PER_SECOND` (non-sources) = sum of `numRecordsInPerSecond`;
 * - `OBSERVED_TPR` (sources), see `computeObservedTpr`.
 *
 * Every value is rounded with {@link roundMetric}; a NaN value is omitted (absent key = NaN).
 */
export function computeSample(
  raw: RawJobMetrics,
  window: readonly MetricSample[],
  options: AutoscalerOptions,
): MetricSample {
  const vertices: Record<VertexId, VertexSampleMetrics> = {};
  for (const vertex of raw.topology.vertices) {
    vertices[vertex.id] = computeVertexSampleMetrics(
      vertex,
      effectiveRawMetrics(raw, vertex),
      window,
      options,
    );
  }
  return {
    tsMs: raw.collectedAtMs,
    vertices,
    global: computeGlobalSampleMetrics(raw.taskManagers, raw.jobManager),
  };
}

/**
 * Vertices without a usable busy-time metric this cycle: their LOAD is unknown, so they are
 * excluded from scaling for this cycle (appended to `vertex.exclude.ids`, docs/algorithm.md §1.1, §2.4).
 * Returned separately from the sample so the persisted {@link MetricSample} shape stays as
 * declared in the domain. FINISHED vertices are not listed (their busy time counts as 0; they
 * are excluded as finished instead).
 */
export function verticesWithoutBusyTime(
  raw: RawJobMetrics,
  options: Pick<AutoscalerOptions, 'busyTimeAggregator'> = { busyTimeAggregator: 'MAX' },
): VertexId[] {
  return raw.topology.vertices
    .filter((vertex) => Number.isNaN(loadOf(effectiveRawMetrics(raw, vertex), options)))
    .map((vertex) => vertex.id);
}

/**
 * Sample metrics of one vertex from its raw metrics (docs/algorithm.md §2.4). Exposed for the vectors that
 * check single computations; {@link computeSample} is the normal entry point.
 */
export function computeVertexSampleMetrics(
  vertex: Pick<VertexInfo, 'id' | 'inputs'>,
  metrics: RawVertexMetrics,
  window: readonly MetricSample[],
  options: SampleOptions,
): VertexSampleMetrics {
  const out: VertexSampleMetrics = {};
  const put = (key: keyof VertexSampleMetrics, value: number | undefined): void => {
    if (value !== undefined && !Number.isNaN(value)) out[key] = roundMetric(value);
  };
  const isSource = vertex.inputs.length === 0;

  put('LOAD', loadOf(metrics, options));
  put('ACCUMULATED_BUSY_TIME', metrics.accumulatedBusyTimeMs);
  put('NUM_RECORDS_IN', numRecordsIn(metrics, isSource));
  put('NUM_RECORDS_OUT', metrics.writeRecords);

  if (isSource) {
    const lag = definedNumber(metrics.pendingRecords) ?? 0;
    put('LAG', lag);
    put(
      'OBSERVED_TPR',
      computeObservedTpr(
        {
          numRecordsInPerSecond: sourceInputRate(metrics),
          lag,
          avgBackpressuredTimeMsPerSecond: metrics.backPressuredTimeMsPerSecond?.avg ?? Number.NaN,
          previousAverage: () =>
            metricAverage(window, vertex.id, 'OBSERVED_TPR', options.observedTprMinObservations),
        },
        options,
      ),
    );
  } else {
    put('NUM_RECORDS_IN_PER_SECOND', metrics.numRecordsInPerSecond);
  }
  return out;
}

function effectiveRawMetrics(raw: RawJobMetrics, vertex: VertexInfo): RawVertexMetrics {
  const metrics = raw.vertices[vertex.id] ?? {};
  return vertex.finished || metrics.finished ? FINISHED_VERTEX_METRICS : metrics;
}

/** LOAD = aggregated busy ms/s ÷ 1000, negative clamped to 0; NaN when not reported. */
function loadOf(metrics: RawVertexMetrics, options: Pick<AutoscalerOptions, 'busyTimeAggregator'>): number {
  const aggregates = metrics.busyTimeMsPerSecond;
  const key =
    options.busyTimeAggregator === 'AVG' ? 'avg' : options.busyTimeAggregator === 'MIN' ? 'min' : 'max';
  const busyMsPerSecond = aggregates?.[key] ?? Number.NaN;
  return Number.isNaN(busyMsPerSecond) ? Number.NaN : Math.max(0, busyMsPerSecond) / 1000;
}

function numRecordsIn(metrics: RawVertexMetrics, isSource: boolean): number {
  let value = definedNumber(metrics.readRecords);
  if (isSource) {
    // "if that is 0 use Source__*.numRecordsIn, if still 0/absent use Source__*.numRecordsOut".
    if (!(value !== undefined && value > 0)) value = definedNumber(metrics.sourceNumRecordsIn) ?? value;
    if (!(value !== undefined && value > 0)) value = definedNumber(metrics.sourceNumRecordsOut) ?? value;
  }
  return value === undefined ? Number.NaN : Math.max(0, value);
}

/** Source input rate `r`: `Source__*.numRecordsInPerSecond`, falling back to `…numRecordsOutPerSecond`. */
function sourceInputRate(metrics: RawVertexMetrics): number {
  const inRate = definedNumber(metrics.sourceNumRecordsInPerSecond);
  if (inRate !== undefined && inRate !== 0) return inRate;
  return definedNumber(metrics.sourceNumRecordsOutPerSecond) ?? inRate ?? Number.NaN;
}

function definedNumber(value: number | undefined): number | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : value;
}
