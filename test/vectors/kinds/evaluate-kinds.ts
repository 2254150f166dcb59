/**
 * Vector kinds of the metrics and evaluation stages (docs/algorithm.md §2.4, §2.5, §3, §6): evaluation.json,
 * the collection kinds of end_to_end.json and the tracking kinds of tracking_and_state.json.
 * Each handler maps the vector's inputs onto our functions and asserts `expected`.
 */
import { expect } from 'vitest';
import { type AutoscalerOptions, defaultOptions, resolveOptions } from '../../../lib/config/index.ts';
import type {
  GlobalSampleMetrics,
  JobTopology,
  MetricSample,
  RawJobMetrics,
  RawVertexMetrics,
  ScalingRecord,
  ScalingSummary,
  ShipStrategy,
  VertexInfo,
  VertexSampleMetrics,
} from '../../../lib/domain/index.ts';
import {
  computeBusyTimeMsPerSecond,
  computeOutputRatio,
  computeTprInputRate,
  computeTrueProcessingRate,
  evaluateMetrics,
  isProcessingBacklog,
} from '../../../lib/evaluate/evaluate-metrics.ts';
import { computeScaleThresholds } from '../../../lib/evaluate/target-capacity.ts';
import { computeSample } from '../../../lib/collect/compute-sample.ts';
import { updateMetricWindow } from '../../../lib/window/update-metric-window.ts';
import { observedTprFromBackpressure } from '../../../lib/collect/observed-tpr.ts';
import {
  computeRestartTimeMs,
  recordRestartDuration,
  trimScalingTracking,
} from '../../../lib/evaluate/scaling-tracking.ts';
import { counterRate } from '../../../lib/domain/sample-series.ts';
import { type KindHandler, vectorConfig, vectorNumber } from '../vector-format.ts';

type Json = Record<string, unknown>;

/** Symbolic vertex used by the kinds about a single vertex (flat samples). */
const SINGLE = 'v';

function optionsOf(config: Json | undefined): AutoscalerOptions {
  return resolveOptions(vectorConfig(config)).options;
}

/** Asserts a number, treating NaN and ±∞ exactly and finite values to `digits` decimals. */
function expectNumber(actual: number | undefined, expected: unknown, digits = 6): void {
  const want = vectorNumber(expected);
  const got = actual ?? Number.NaN;
  if (Number.isFinite(want)) expect(got).toBeCloseTo(want, digits);
  else expect(got).toBe(want);
}

function vertexInfo(id: string, inputs: Record<string, string> | string[], extra: Partial<VertexInfo> = {}) {
  const edges = Array.isArray(inputs)
    ? inputs.map((input) => ({ id: input, shipStrategy: 'REBALANCE' as ShipStrategy }))
    : Object.entries(inputs).map(([input, ship]) => ({ id: input, shipStrategy: ship as ShipStrategy }));
  return {
    id,
    parallelism: 1,
    maxParallelism: 128,
    inputs: edges,
    finished: false,
    numSourcePartitions: 0,
    ...extra,
  } satisfies VertexInfo;
}

/** `topology` (`{v: {inputs: {u: ship}, parallelism?, max_parallelism?}}`) or `topology_inputs`. */
function topologyOf(inputs: Json): JobTopology {
  const vertices: VertexInfo[] = [];
  if (inputs.topology) {
    for (const [id, spec] of Object.entries(inputs.topology as Record<string, Json>)) {
      const parallelism = (inputs.parallelism as Record<string, number> | undefined)?.[id];
      const maxParallelism = (inputs.max_parallelism as Record<string, number> | undefined)?.[id];
      vertices.push(
        vertexInfo(id, spec.inputs as Record<string, string>, {
          parallelism: (spec.parallelism as number | undefined) ?? parallelism ?? 1,
          maxParallelism: (spec.max_parallelism as number | undefined) ?? maxParallelism ?? 128,
        }),
      );
    }
  } else {
    for (const [id, ups] of Object.entries(inputs.topology_inputs as Record<string, string[]>)) {
      vertices.push(vertexInfo(id, ups));
    }
  }
  return { jobId: 'job', jobRunningTsMs: 0, vertices };
}

function metricsOf<T extends VertexSampleMetrics | GlobalSampleMetrics = VertexSampleMetrics>(
  values: Json,
): T {
  const out: Record<string, number> = {};
  for (const [metric, value] of Object.entries(values)) {
    if (metric === 'ts_ms' || value === null) continue;
    const number = vectorNumber(value);
    if (!Number.isNaN(number)) out[metric] = number;
  }
  return out as T;
}

/** Metric history with `vertices` maps. */
function samplesOf(history: Json[]): MetricSample[] {
  return history.map((entry) => ({
    tsMs: entry.ts_ms as number,
    vertices: Object.fromEntries(
      Object.entries((entry.vertices ?? {}) as Record<string, Json>).map(([id, values]) => [
        id,
        metricsOf(values),
      ]),
    ),
    global: {},
  }));
}

/** Flat single-vertex history `{ts_ms, METRIC: value}` → samples of vertex {@link SINGLE}. */
function flatSamplesOf(history: Json[]): MetricSample[] {
  return history.map((entry) => ({
    tsMs: entry.ts_ms as number,
    vertices: { [SINGLE]: metricsOf(entry) },
    global: {},
  }));
}

/** Window whose OBSERVED_TPR fallback average (min observations 2) is `average` (NaN → none). */
function windowWithObservedAverage(vertexId: string, average: unknown): MetricSample[] {
  const value = vectorNumber(average);
  if (Number.isNaN(value)) return [];
  return [1, 2].map((tsMs) => ({ tsMs, vertices: { [vertexId]: { OBSERVED_TPR: value } }, global: {} }));
}

function rawJob(
  topology: JobTopology,
  vertices: Record<string, RawVertexMetrics>,
  extra: Partial<RawJobMetrics> = {},
) {
  return {
    collectedAtMs: 10_000,
    topology,
    vertices,
    taskManagers: {},
    jobManager: {},
    ...extra,
  } satisfies RawJobMetrics;
}

function singleVertexJob(isSource: boolean, extra: Partial<VertexInfo> = {}): JobTopology {
  const vertices = isSource
    ? [vertexInfo(SINGLE, [], extra)]
    : [vertexInfo('upstream', []), vertexInfo(SINGLE, ['upstream'], extra)];
  return { jobId: 'job', jobRunningTsMs: 0, vertices };
}

function recordsOf(records: Json[]): ScalingRecord[] {
  return records.map((record) => ({
    startMs: Date.parse(record.start as string),
    ...(record.restart_duration_s == null
      ? {}
      : { restartDurationMs: (record.restart_duration_s as number) * 1000 }),
  }));
}

const TM_METRIC_FIELDS: Record<string, string> = {
  HEAP_MEMORY_USED: 'heapUsedBytes',
  HEAP_MEMORY_MAX: 'heapMaxBytes',
  MANAGED_MEMORY_USED: 'managedUsedBytes',
  METASPACE_MEMORY_USED: 'metaspaceUsedBytes',
  GC_TIME_PER_SECOND: 'gcTimeMsPerSecond',
};

const JM_METRIC_FIELDS: Record<string, string> = {
  NUM_TASK_SLOTS_TOTAL: 'taskSlotsTotal',
  NUM_TASK_SLOTS_AVAILABLE: 'taskSlotsAvailable',
  taskSlotsTotal: 'taskSlotsTotal',
  taskSlotsAvailable: 'taskSlotsAvailable',
};

function renamed(values: Json, fields: Record<string, string>): Json {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => {
      const field = fields[key];
      if (field === undefined) throw new Error(`unmapped vector metric ${key}`);
      return [field, value];
    }),
  );
}

export const evaluateKinds: Record<string, KindHandler> = {
  thresholds: ({ inputs, expected }) => {
    // Prepare
    const options = optionsOf(inputs.config);
    const restartTimeMs = inputs.scaling_tracking
      ? computeRestartTimeMs(recordsOf(inputs.scaling_tracking), options)
      : inputs.restart_time_s * 1000;
    expect(restartTimeMs).toBe(inputs.restart_time_s * 1000);
    // Act
    const thresholds = computeScaleThresholds(
      { targetDataRateAvg: inputs.target_data_rate_avg, catchUpDataRate: inputs.catch_up_data_rate_current },
      options,
      restartTimeMs,
      inputs.processing_backlog,
    );
    // Assess
    expectNumber(thresholds.scaleUpRateThreshold, expected.scale_up_rate_threshold);
    expectNumber(thresholds.scaleDownRateThreshold, expected.scale_down_rate_threshold);
  },

  evaluate_vertices: ({ inputs, expected }) => {
    const evaluated = evaluateMetrics({
      samples: samplesOf(inputs.metric_history),
      topology: topologyOf(inputs),
      options: optionsOf(inputs.config),
      restartTimeMs: inputs.restart_time_s * 1000,
    });
    for (const [vertex, metrics] of Object.entries(expected as Record<string, Json>)) {
      const actual = evaluated.vertices[vertex];
      expectNumber(actual?.TARGET_DATA_RATE?.average, metrics.TARGET_DATA_RATE_avg, 3);
      if ('CATCH_UP_DATA_RATE_cur' in metrics) {
        expectNumber(actual?.CATCH_UP_DATA_RATE?.current, metrics.CATCH_UP_DATA_RATE_cur, 3);
      }
    }
  },

  busy_time_avg: ({ inputs, expected }) => {
    const busy = computeBusyTimeMsPerSecond(
      flatSamplesOf(inputs.metric_history),
      SINGLE,
      inputs.parallelism,
      optionsOf(inputs.config),
    );
    expectNumber(busy, expected.busy_time_ms_per_sec);
  },

  output_ratio: ({ inputs, expected }) => {
    const ratio = computeOutputRatio(
      samplesOf(inputs.metric_history),
      topologyOf(inputs),
      inputs.from_vertex,
      inputs.to_vertex,
    );
    expectNumber(ratio, expected.output_ratio);
  },

  rate: ({ inputs, expected }) => {
    expectNumber(
      counterRate(samplesOf(inputs.metric_history), inputs.vertex, inputs.metric),
      expected.rate_per_second,
    );
  },

  true_processing_rate: ({ inputs, expected }) => {
    const tpr = computeTrueProcessingRate(
      vectorNumber(inputs.busy_time_ms_per_sec),
      vectorNumber(inputs.input_rate),
      flatSamplesOf(inputs.observed_tpr_history),
      SINGLE,
      optionsOf(inputs.config),
    );
    expectNumber(tpr, expected.true_processing_rate);
  },

  tpr_input_rate: ({ inputs, expected }) => {
    const rate = computeTprInputRate(flatSamplesOf(inputs.metric_history), SINGLE, optionsOf(inputs.config));
    expectNumber(rate, expected.input_rate);
  },

  processing_backlog: ({ inputs, expected }) => {
    const backlog = isProcessingBacklog(
      samplesOf(inputs.metric_history),
      topologyOf(inputs),
      optionsOf(inputs.config),
    );
    expect(backlog).toBe(expected.processing_backlog);
  },

  global_metrics: ({ inputs, expected }) => {
    // Through the full evaluator with an empty job graph: global metrics need no vertices.
    const samples = (inputs.global_history as Json[]).map((global, index) => ({
      tsMs: (index + 1) * 1000,
      vertices: {},
      global: metricsOf<GlobalSampleMetrics>(global),
    }));
    const evaluated = evaluateMetrics({
      samples,
      topology: { jobId: 'job', jobRunningTsMs: 0, vertices: [] },
      options: defaultOptions(),
      restartTimeMs: 0,
    });
    for (const [metric, [current, average]] of Object.entries(
      expected as Record<string, [unknown, unknown]>,
    )) {
      const actual = evaluated.global[metric as keyof typeof evaluated.global];
      expect(actual, metric).toBeDefined();
      expectNumber(actual?.current, current);
      expectNumber(actual?.average, average);
    }
  },

  load_metric: ({ inputs, expected }) => {
    const raw = rawJob(singleVertexJob(false), {
      [SINGLE]: {
        busyTimeMsPerSecond: {
          min: inputs.busy_time_min,
          max: inputs.busy_time_max,
          avg: inputs.busy_time_avg,
        },
        accumulatedBusyTimeMs: inputs.accumulated_busy_time,
      },
    });
    const sample = computeSample(raw, [], optionsOf(inputs.config));
    expectNumber(sample.vertices[SINGLE]?.LOAD, expected.LOAD);
    expectNumber(sample.vertices[SINGLE]?.ACCUMULATED_BUSY_TIME, expected.ACCUMULATED_BUSY_TIME);
  },

  observed_tpr_formula: ({ inputs, expected }) => {
    expectNumber(
      observedTprFromBackpressure(inputs.num_records_in_per_second, inputs.backpressure_ms_per_second),
      expected.observed_tpr,
    );
  },

  observed_tpr_sample: ({ inputs, expected }) => {
    const raw = rawJob(singleVertexJob(true), {
      [SINGLE]: {
        pendingRecords: inputs.lag,
        sourceNumRecordsInPerSecond: inputs.source_num_records_in_per_second,
        backPressuredTimeMsPerSecond: { avg: inputs.avg_backpressure_ms_per_second },
      },
    });
    const window = windowWithObservedAverage(SINGLE, inputs.previous_observed_tpr_average);
    const sample = computeSample(raw, window, optionsOf(inputs.config));
    // The vector holds the unrounded formula value; samples are rounded to 3 decimals (§2.4).
    expectNumber(sample.vertices[SINGLE]?.OBSERVED_TPR, expected.OBSERVED_TPR, 3);
  },

  global_metrics_sample: ({ inputs, expected }) => {
    const raw = rawJob(
      singleVertexJob(true),
      {},
      {
        taskManagers: renamed(inputs.tm_metrics, TM_METRIC_FIELDS),
        jobManager: renamed(inputs.jm_metrics, JM_METRIC_FIELDS),
      },
    );
    const sample = computeSample(raw, [], defaultOptions());
    expect(sample.global).toEqual(expected);
  },

  data_rate_sample: ({ inputs, expected }) => {
    const io = inputs.io_metrics;
    const metrics: RawVertexMetrics = {
      readRecords: io.read_records,
      writeRecords: io.write_records,
      accumulatedBusyTimeMs: io.accumulated_busy,
      ...(inputs.source_num_records_in_per_second_sum == null
        ? {}
        : { sourceNumRecordsInPerSecond: inputs.source_num_records_in_per_second_sum }),
      ...(inputs.lag == null ? {} : { pendingRecords: inputs.lag }),
    };
    const raw = rawJob(singleVertexJob(inputs.is_source), { [SINGLE]: metrics });
    const window = windowWithObservedAverage(SINGLE, inputs.previous_observed_tpr_average);
    const sample = computeSample(raw, window, defaultOptions());
    for (const [metric, value] of Object.entries(expected as Json)) {
      expectNumber(sample.vertices[SINGLE]?.[metric as keyof VertexSampleMetrics], value);
    }
  },

  observed_tpr_collection: ({ inputs, expected }) => {
    const topology = singleVertexJob(true);
    const options = defaultOptions();
    let window: MetricSample[] = [];
    const observed: number[] = [];
    for (const step of inputs.samples as { t_ms: number; lag: number; bp: number }[]) {
      const raw = rawJob(
        topology,
        {
          [SINGLE]: {
            pendingRecords: step.lag,
            sourceNumRecordsInPerSecond: inputs.source_num_records_in_per_second,
            backPressuredTimeMsPerSecond: { avg: step.bp },
          },
        },
        { collectedAtMs: step.t_ms },
      );
      const sample = computeSample(raw, window, options);
      window = [...window, sample];
      observed.push(sample.vertices[SINGLE]?.OBSERVED_TPR ?? Number.NaN);
    }
    expect(observed).toHaveLength(expected.OBSERVED_TPR.length);
    (expected.OBSERVED_TPR as unknown[]).forEach((want, index) => {
      expectNumber(observed[index], want, 3);
    });
  },

  finished_vertex: ({ inputs, expected }) => {
    const topology = singleVertexJob(inputs.is_source, { finished: inputs.vertex_state === 'FINISHED' });
    // A finished vertex reports nothing useful; the collector substitutes zeros.
    const sample = computeSample(rawJob(topology, {}), [], defaultOptions());
    for (const [metric, value] of Object.entries(expected as Json)) {
      expectNumber(sample.vertices[SINGLE]?.[metric as keyof VertexSampleMetrics], value);
    }
  },

  window_sequence: ({ inputs, expected }) => {
    const options = {
      ...defaultOptions(),
      metricsWindowMs: inputs.window_ms,
      stabilizationIntervalMs: inputs.stabilization_ms,
    };
    let samples: MetricSample[] = [];
    const sizes: number[] = [];
    const full: boolean[] = [];
    for (const nowMs of inputs.collect_at_ms as number[]) {
      const update = updateMetricWindow({
        samples,
        newSample: { tsMs: nowMs, vertices: {}, global: {} },
        jobRunningTsMs: inputs.job_running_ms,
        options,
        nowMs,
        // The Java collector's trimming: no anchor before `now − window` (our cycles pass
        // 3 cadences; lib/window/update-metric-window.ts explains why).
        lookbackMs: 0,
      });
      samples = update.samples;
      sizes.push(samples.length);
      full.push(update.windowFull);
    }
    expect(sizes).toEqual(expected.history_size_after_each);
    expect(full).toEqual(expected.fully_collected_after_each);
  },

  restart_time: ({ inputs, expected }) => {
    const restartTimeMs = computeRestartTimeMs(recordsOf(inputs.scaling_records), optionsOf(inputs.config));
    expect(restartTimeMs).toBe(expected.restart_time_s * 1000);
  },

  record_restart: ({ inputs, expected }) => {
    // Prepare: one record without duration and one history entry per scaled vertex at its time.
    const startMs = inputs.last_scaling_ts_s * 1000;
    const scalingHistory: Record<string, ScalingSummary[]> = {};
    for (const [vertex, target] of Object.entries(inputs.history_targets as Record<string, number>)) {
      scalingHistory[vertex] = [
        {
          tsMs: startMs,
          currentParallelism: 1,
          newParallelism: target,
          metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 1, targetDataRateAvg: 1 },
        },
      ];
    }
    const topology: JobTopology = {
      jobId: 'job',
      jobRunningTsMs: inputs.job_running_ts_s * 1000,
      vertices: Object.entries(inputs.actual_parallelism as Record<string, number>).map(([id, parallelism]) =>
        vertexInfo(id, [], { parallelism }),
      ),
    };
    // Act
    const updated = recordRestartDuration({ records: [{ startMs }], scalingHistory, topology });
    // Assess
    expect(updated !== undefined).toBe(expected.recorded);
    const duration = updated?.at(-1)?.restartDurationMs;
    expect(duration === undefined ? null : duration / 1000).toBe(expected.restart_duration_s);
  },

  trim_records: ({ inputs, expected }) => {
    const nowMs = Date.parse('2024-01-01T00:00:00Z');
    const records = (inputs.record_offsets_s as number[]).map((offset) => ({
      startMs: nowMs + offset * 1000,
    }));
    const options = {
      historyMaxAgeMs: inputs.kept_time_span_s * 1000,
      historyMaxCount: inputs.kept_num_records,
    };
    expect(trimScalingTracking(records, options, nowMs)).toHaveLength(expected.remaining);
  },
};
