import { expect } from 'vitest';
import { isInExcludedPeriod, parseExcludedPeriods } from '../../../lib/config/excluded-periods.ts';
import type { AutoscalerOptions } from '../../../lib/config/index.ts';
import { resolveOptions } from '../../../lib/config/resolve-options.ts';
import { parseMemoryBytes } from '../../../lib/config/value-parsers.ts';
import {
  type EvaluatedMetrics,
  type EvaluatedVertexMetrics,
  emptyJobState,
  type JobState,
  type JobTopology,
  type MetricSample,
  parseShipStrategy,
  type RawJobMetrics,
  type RawVertexMetrics,
  type VertexInfo,
} from '../../../lib/domain/index.ts';
import { computeScaleThresholds } from '../../../lib/evaluate/target-capacity.ts';
import { decide } from '../../../lib/decide/decide.ts';
import { executeScaling } from '../../../lib/decide/execute-scaling.ts';
import {
  formatScalingReportEntry,
  SCALING_DISABLED_HEADER_PREFIX,
  SCALING_ENABLED_HEADER,
} from '../../../lib/decide/scaling-report.ts';
import { countTaskManagers } from '../../../lib/decide/task-manager-count.ts';
import { type KindHandler, type VectorCase, vectorDurationMs, vectorNumber } from '../vector-format.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector JSON is free-form
type Json = any;

/**
 * Zones in which the `excluded_periods_check` vectors are evaluated. The Java test builds the
 * instant from a local date-time in the JVM zone; we read that date-time in each of these zones
 * (fixed offsets, no DST) and evaluate the periods in the same zone, so the result must not depend
 * on which zone is chosen.
 */
const CHECK_ZONES: readonly { zone: string; offsetMs: number }[] = [
  { zone: 'UTC', offsetMs: 0 },
  { zone: 'Asia/Kolkata', offsetMs: 5.5 * 3_600_000 },
];

function localDateTimeToEpochMs(text: string, offsetMs: number): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!match) throw new TypeError(`not a local date-time: ${text}`);
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as number[];
  return Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) - offsetMs;
}

const excludedPeriodsValidate: KindHandler = ({ inputs, expected }) => {
  const parse = () => parseExcludedPeriods(inputs.excluded_periods, 'UTC');
  if (expected.valid) expect(parse).not.toThrow();
  else expect(parse).toThrow();
};

const excludedPeriodsCheck: KindHandler = ({ inputs, expected }) => {
  for (const { zone, offsetMs } of CHECK_ZONES) {
    const periods = parseExcludedPeriods(inputs.excluded_periods, zone);
    const instantMs = localDateTimeToEpochMs(inputs.instant, offsetMs) + vectorDurationMs(inputs.offset);
    expect(isInExcludedPeriod(periods, instantMs), zone).toBe(expected.excluded);
  }
};

// --- executor.json ----------------------------------------------------------------------------

/** Vector config → options. Lists (e.g. `vertex.exclude.ids`) are `;`-joined as in Flink config. */
function optionsFrom(config: Record<string, unknown> | undefined, extra: Record<string, string> = {}) {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(config ?? {})) {
    flat[key] = Array.isArray(value)
      ? value.join(';')
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  }
  return resolveOptions({ ...flat, ...extra }).options;
}

/** `<name> vertex id <hex>` in a vector's notes maps a symbolic vertex to its real id. */
function vertexIdMap(vector: VectorCase): (name: string) => string {
  const ids = new Map<string, string>();
  for (const match of (vector.notes ?? '').matchAll(/(\w+) vertex id ([0-9a-f]{32})/g)) {
    ids.set(match[1] as string, match[2] as string);
  }
  return (name) => ids.get(name) ?? name;
}

/** A job from `topology` (inputs only) and per-vertex states (spec vectors README, "Vertex state"). */
function jobFrom(
  topology: Record<string, { inputs: Record<string, string> }>,
  states: Record<string, Json>,
  idOf: (name: string) => string = (name) => name,
  slotSharingGroupOf: (name: string) => string | undefined = () => undefined,
): JobTopology {
  const vertices: VertexInfo[] = Object.entries(topology).map(([name, vertex]) => {
    const state = states[name] ?? {};
    const group = slotSharingGroupOf(name);
    return {
      id: idOf(name),
      parallelism: state.parallelism,
      maxParallelism: state.max_parallelism ?? 720,
      numSourcePartitions: state.num_source_partitions ?? 0,
      finished: false,
      inputs: Object.entries(vertex.inputs).map(([input, ship]) => ({
        id: idOf(input),
        shipStrategy: parseShipStrategy(ship),
      })),
      ...(group ? { slotSharingGroupId: group } : {}),
    };
  });
  return { jobId: 'job', jobRunningTsMs: 0, vertices };
}

/** Evaluated metrics of vertex states; thresholds from the same options with backlog = false. */
function evaluatedFrom(
  states: Record<string, Json>,
  options: AutoscalerOptions,
  idOf: (name: string) => string = (name) => name,
  global: EvaluatedMetrics['global'] = {},
): EvaluatedMetrics {
  const vertices: Record<string, EvaluatedVertexMetrics> = {};
  for (const [name, state] of Object.entries(states)) {
    const inputs = {
      targetDataRateAvg: vectorNumber(state.target_data_rate_avg),
      catchUpDataRate: vectorNumber(state.catch_up_data_rate_current),
    };
    const thresholds = computeScaleThresholds(inputs, options, options.restartTimeMs, false);
    const cur = (value: number) => ({ current: value, average: Number.NaN });
    vertices[idOf(name)] = {
      PARALLELISM: cur(state.parallelism),
      MAX_PARALLELISM: cur(state.max_parallelism ?? 720),
      NUM_SOURCE_PARTITIONS: cur(state.num_source_partitions ?? 0),
      TARGET_DATA_RATE: { current: Number.NaN, average: inputs.targetDataRateAvg },
      CATCH_UP_DATA_RATE: cur(inputs.catchUpDataRate),
      TRUE_PROCESSING_RATE: { current: Number.NaN, average: vectorNumber(state.true_processing_rate_avg) },
      SCALE_UP_RATE_THRESHOLD: cur(thresholds.scaleUpRateThreshold),
      SCALE_DOWN_RATE_THRESHOLD: cur(thresholds.scaleDownRateThreshold),
    };
  }
  return { vertices, global, processingBacklog: false };
}

function execute(
  options: AutoscalerOptions,
  topology: JobTopology,
  evaluated: EvaluatedMetrics,
  extra: Partial<Parameters<typeof executeScaling>[0]> = {},
) {
  const state = emptyJobState();
  return executeScaling({
    options,
    topology,
    evaluated,
    scalingHistory: state.scalingHistory,
    delayedScaleDown: state.delayedScaleDown,
    restartTimeMs: options.restartTimeMs,
    nowMs: 0,
    ...extra,
  });
}

const scalingSummary: KindHandler = (vector) => {
  const { inputs, expected } = vector;
  const idOf = vertexIdMap(vector);
  const options = optionsFrom(inputs.config);
  const topology = jobFrom(inputs.topology, inputs.vertices, idOf);
  const result = execute(options, topology, evaluatedFrom(inputs.vertices, options, idOf));
  const newParallelism = Object.fromEntries(
    Object.entries(result.summaries).map(([id, change]) => [id, change.newParallelism]),
  );
  if ('scaled_vertex_set' in expected) {
    expect(Object.keys(result.summaries).sort()).toEqual([...expected.scaled_vertex_set].map(idOf).sort());
  }
  if ('scaled_vertices' in expected) expect(newParallelism).toEqual(expected.scaled_vertices);
  if ('scaled' in expected) expect(result.action === 'scale').toBe(expected.scaled);
  if ('derived_scaled_vertices' in expected) expect(newParallelism).toEqual(expected.derived_scaled_vertices);
};

const memoryPressure: KindHandler = ({ inputs, expected }) => {
  const options = optionsFrom(inputs.config);
  const states = { v: inputs.vertex };
  const topology = jobFrom({ v: { inputs: {} } }, states);
  const global: EvaluatedMetrics['global'] = {
    GC_PRESSURE: { current: vectorNumber(inputs.GC_PRESSURE_current), average: Number.NaN },
    HEAP_MAX_USAGE_RATIO: {
      current: vectorNumber(inputs.HEAP_MAX_USAGE_RATIO.current),
      average: vectorNumber(inputs.HEAP_MAX_USAGE_RATIO.average),
    },
  };
  const result = execute(options, topology, evaluatedFrom(states, options, undefined, global));
  expect(result.action === 'scale').toBe(expected.scaled);
  const event = result.events.find((e) => e.reason === 'MemoryPressure');
  expect(event?.reason ?? null).toBe(expected.event_reason);
  expect(result.guards.find((g) => g.guard === 'memory-pressure')?.passed).toBe(!expected.event_reason);
};

/**
 * Quota vectors. The vertex states are synthesized so that the per-vertex decision yields the
 * vector's `new` parallelism: TPR 100 at p = 1, alignment OFF, target 0.6, catch-up 30 min,
 * restart 5 min ⇒ capacity = TDR × (300/1800 + 1/0.6) = TDR × 11/6, and TDR is chosen so that
 * capacity = 100 × new − 50 ⇒ ceil(capacity / 100) = new.
 *
 * TaskManager counts: we round up over every vertex (IMPROVEMENT, docs/algorithm.md §11 #3); the Java guard's
 * integer division gives the `derived` counts (e.g. 1 slot / 2 per TM = 0). On these six vectors
 * the quota verdicts are the same either way; the differing TM counts are asserted as ours.
 */
const quota: KindHandler = ({ inputs, expected, derived }) => {
  const config: Record<string, unknown> = {
    'job.autoscaler.utilization.target': 0.6,
    'job.autoscaler.scaling.parallelism-alignment.mode': 'OFF',
    'kubernetes.taskmanager.cpu': inputs.tm_cpu,
    'taskmanager.numberOfTaskSlots': inputs.task_slots_per_tm,
  };
  if (inputs.cpu_quota !== null) config['job.autoscaler.quota.cpu'] = inputs.cpu_quota;
  if (inputs.memory_quota !== null) config['job.autoscaler.quota.memory'] = inputs.memory_quota;
  const options = optionsFrom(config);
  const states: Record<string, Json> = {};
  const topologyInputs: Record<string, { inputs: Record<string, string> }> = {};
  for (const [name, p] of Object.entries(
    inputs.vertices as Record<string, { current: number; new: number }>,
  )) {
    expect(p.current).toBe(1);
    states[name] = {
      parallelism: 1,
      max_parallelism: 720,
      target_data_rate_avg: ((100 * p.new - 50) * 6) / 11,
      catch_up_data_rate_current: 0,
      true_processing_rate_avg: 100,
    };
    topologyInputs[name] = { inputs: {} };
  }
  const group = (name: string) => (inputs.same_slot_sharing_group ? 'shared' : name);
  const topology = jobFrom(topologyInputs, states, undefined, group);
  const result = execute(options, topology, evaluatedFrom(states, options), {
    taskManager: { cpu: inputs.tm_cpu, memoryBytes: parseMemoryBytes(inputs.tm_memory) },
  });

  for (const [name, p] of Object.entries(inputs.vertices as Record<string, { new: number }>)) {
    expect(result.summaries[name]?.newParallelism, name).toBe(p.new);
  }
  const quotaOutcome = result.guards.find((g) => g.guard === 'quota');
  expect(quotaOutcome?.passed === false).toBe(expected.quota_reached);
  expect(result.action === 'scale').toBe(expected.scaled);
  expect(result.events.find((e) => e.reason === 'ResourceQuotaReached')?.reason ?? null).toBe(
    expected.event_reason,
  );

  const slots = (pick: 'current' | 'new') =>
    countTaskManagers(topology, (id) => inputs.vertices[id][pick], inputs.task_slots_per_tm);
  // Ours: ceil(Σ group maxima / slots per TM). Java (derived): the same sum, integer division.
  expect(result.taskManagers).toEqual({
    current: slots('current').taskManagers,
    next: slots('new').taskManagers,
  });
  expect(Math.floor(slots('current').slots / inputs.task_slots_per_tm)).toBe(derived.current_tms);
  expect(Math.floor(slots('new').slots / inputs.task_slots_per_tm)).toBe(derived.new_tms);
};

const scalingReport: KindHandler = ({ inputs, expected }) => {
  if (inputs.summaries) {
    const entries = (inputs.summaries as Json[]).map((s) =>
      formatScalingReportEntry({
        vertexId: s.vertex,
        currentParallelism: s.cur,
        newParallelism: s.new,
        trueProcessingRateAvg: vectorNumber(s.tpr_avg),
        expectedProcessingRate: vectorNumber(s.epr_cur),
        targetDataRateAvg: vectorNumber(s.tdr_avg),
      }),
    );
    expect(entries).toEqual(expected.entries);
    return;
  }
  const vertexId = '0a448493b4782967b150582570326227';
  const states = { v: inputs.vertex };
  const idOf = () => vertexId;
  const topology = jobFrom({ v: { inputs: {} } }, states, idOf);
  const entry = expected.summary_entry.replace('<vertexId>', vertexId);

  const enabled = optionsFrom(inputs.config);
  const scaled = execute(enabled, topology, evaluatedFrom(states, enabled, idOf));
  const report = scaled.events.find((e) => e.reason === expected.reason);
  // Extension: the report's price follows the operator's text, which stays its exact prefix.
  const operatorText = expected.header_when_enabled + entry;
  expect(report?.message.slice(0, operatorText.length)).toBe(operatorText);
  expect(report?.message.slice(operatorText.length)).toMatch(/^ Price: \+1 TaskManager \(.*\/month .*\.$/);
  expect(SCALING_ENABLED_HEADER).toBe(expected.header_when_enabled);

  const disabled = optionsFrom({ ...inputs.config, 'job.autoscaler.scaling.enabled': false });
  const blocked = execute(disabled, topology, evaluatedFrom(states, disabled, idOf));
  const blockedReport = blocked.events.find((e) => e.reason === expected.reason);
  expect(blocked.action).toBe('blocked');
  expect(blockedReport?.message.startsWith(expected.header_when_disabled_prefix)).toBe(true);
  expect(blockedReport?.message).toContain(`${entry} Price: +1 TaskManager (`);
  expect(SCALING_DISABLED_HEADER_PREFIX).toBe(expected.header_when_disabled_prefix);
};

// --- end_to_end.json -------------------------------------------------------------------------

/** Raw metrics that `computeSample` turns back into the vector sample's metrics. */
function rawFrom(sample: Json, topology: JobTopology): RawJobMetrics {
  const vertices: Record<string, RawVertexMetrics> = {};
  for (const vertex of topology.vertices) {
    const m = sample.vertices[vertex.id] ?? {};
    const load = m.LOAD === undefined ? undefined : vectorNumber(m.LOAD) * 1000;
    const isSource = vertex.inputs.length === 0;
    vertices[vertex.id] = {
      ...(load === undefined ? {} : { busyTimeMsPerSecond: { min: load, max: load, avg: load } }),
      ...(m.NUM_RECORDS_IN === undefined ? {} : { readRecords: m.NUM_RECORDS_IN }),
      ...(m.NUM_RECORDS_IN !== undefined && isSource ? { sourceNumRecordsIn: m.NUM_RECORDS_IN } : {}),
      ...(m.NUM_RECORDS_OUT === undefined ? {} : { writeRecords: m.NUM_RECORDS_OUT }),
      ...(m.LAG === undefined ? {} : { pendingRecords: m.LAG }),
      // OBSERVED_TPR = +∞ is what a source with no incoming records reports (docs/algorithm.md §2.4).
      ...(m.OBSERVED_TPR === 'Infinity' ? { sourceNumRecordsInPerSecond: 0 } : {}),
    };
  }
  return { collectedAtMs: sample.ts_ms, topology, vertices, taskManagers: {}, jobManager: {} };
}

/**
 * End-to-end vectors run cycle by cycle through `decide()`: each sample of `metric_history` is one
 * cycle's observation. The metric window is set to span the history exactly (the Java tests
 * override it, see the vectors' notes), so the window is full at the last sample; the reconcile
 * interval is lowered with it, or the option validation would reject such a short window.
 */
const evaluateAndScale: KindHandler = ({ inputs, expected }) => {
  const history = inputs.metric_history as Json[];
  const firstTs = history[0].ts_ms as number;
  const lastTs = history.at(-1).ts_ms as number;
  const options = optionsFrom(inputs.config, {
    'job.autoscaler.metrics.window': `${lastTs - firstTs} ms`,
    'kubernetes.operator.reconcile.interval': '1 ms',
  });
  const states: Record<string, Json> = {};
  for (const name of Object.keys(inputs.topology)) {
    states[name] = { parallelism: inputs.parallelism[name], max_parallelism: inputs.max_parallelism[name] };
  }
  const topology = { ...jobFrom(inputs.topology, states), jobRunningTsMs: firstTs };

  let state: JobState = emptyJobState();
  let samples: MetricSample[] = [];
  let output: ReturnType<typeof decide> | undefined;
  for (const sample of history) {
    output = decide({ options, raw: rawFrom(sample, topology), samples, state, nowMs: sample.ts_ms });
    if (sample !== history.at(-1)) {
      expect(output.decision.action).toBe('not-ready');
      if ('recommended_before_window_full' in expected && output.report.evaluated) {
        for (const metrics of Object.values(output.report.evaluated.vertices)) {
          expect(metrics.RECOMMENDED_PARALLELISM?.current ?? null).toBe(
            expected.recommended_before_window_full,
          );
        }
      }
    }
    state = output.state;
    samples = output.samples;
  }
  if (!output) throw new Error('empty metric history');
  const { decision, report } = output;
  expect(report.windowFull).toBe(true);
  const evaluated = report.evaluated?.vertices ?? {};
  if (expected.new_parallelism) {
    const chosen = Object.fromEntries(decision.vertices.map((v) => [v.vertexId, v.recommendedParallelism]));
    expect(chosen).toEqual(expected.new_parallelism);
    if (options.scalingEnabled) expect(decision.parallelismOverrides).toEqual(expected.new_parallelism);
  }
  if (expected.recommended_parallelism) {
    const recommended = Object.fromEntries(
      Object.entries(evaluated).map(([id, m]) => [id, m.RECOMMENDED_PARALLELISM?.current]),
    );
    expect(recommended).toEqual(expected.recommended_parallelism);
  }
  if (expected.parallelism_overrides) {
    expect(decision.parallelismOverrides).toEqual(expected.parallelism_overrides);
    expect(output.state.parallelismOverrides).toEqual(expected.parallelism_overrides);
  }
  const only = Object.values(evaluated)[0];
  const metricChecks: [string, number | undefined][] = [
    ['TARGET_DATA_RATE_avg', only?.TARGET_DATA_RATE?.average],
    ['TRUE_PROCESSING_RATE_avg', only?.TRUE_PROCESSING_RATE?.average],
    ['SCALE_UP_RATE_THRESHOLD', only?.SCALE_UP_RATE_THRESHOLD?.current],
    ['SCALE_DOWN_RATE_THRESHOLD', only?.SCALE_DOWN_RATE_THRESHOLD?.current],
  ];
  for (const [key, actual] of metricChecks) {
    if (key in expected) expect(actual, key).toBe(vectorNumber(expected[key]));
  }
};

/** Vector kinds owned by this module's area; see ../../../../shared/vectors/README.md. */
export const executorKinds: Record<string, KindHandler> = {
  scaling_summary: scalingSummary,
  memory_pressure: memoryPressure,
  quota,
  scaling_report: scalingReport,
  excluded_periods_validate: excludedPeriodsValidate,
  excluded_periods_check: excludedPeriodsCheck,
  evaluate_and_scale: evaluateAndScale,
};
