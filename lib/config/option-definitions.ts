import { PARALLELISM_OVERRIDES_KEY } from '../domain/owned-keys.ts';
import { MANAGED_LABEL } from '../domain/resource-metadata.ts';
import type { AutoscalerOptionValues, OptionName } from './option-values.ts';

/** How an option's text value is parsed. */
export type OptionType =
  | 'boolean'
  | 'integer'
  | 'double'
  | 'duration'
  | 'memory'
  | 'string'
  | 'enum'
  | 'list'
  | 'map';

/** Inclusive numeric range an option must lie in; an absent side is unbounded. */
export interface OptionRange {
  readonly min?: number;
  /** Name of another option whose value is the lower bound (e.g. `utilization.max` ≥ target). */
  readonly minOption?: OptionName;
  readonly max?: number;
  readonly maxOption?: OptionName;
}

/** Declaration of one option: the single source of truth for parsing, validation and docs. */
export interface OptionDefinition<N extends OptionName = OptionName> {
  /** Property name in {@link AutoscalerOptionValues}. */
  readonly name: N;
  /** Canonical Flink key. */
  readonly key: string;
  readonly type: OptionType;
  readonly default: AutoscalerOptionValues[N];
  /** Allowed values for `enum` options. */
  readonly values?: readonly string[];
  /** Unit of the resolved value, for docs (`ms`, `bytes`, `fraction`, `records`…). */
  readonly unit?: string;
  readonly description: string;
  /** Validation range, checked in declaration order (the Java validator's order). */
  readonly range?: OptionRange;
  /** Only validate the range when this boolean option is true (e.g. only with tuning enabled). */
  readonly validateWhen?: OptionName;
  /** Older spellings under the canonical prefix, still parsed (canonical wins). */
  readonly deprecatedKeys?: readonly string[];
  /** Legacy-prefix keys (`kubernetes.operator.job.autoscaler.*`), read when the others are absent. */
  readonly fallbackKeys?: readonly string[];
  /** Group heading in the docs. */
  readonly group: OptionGroup;
  /** True for options this project adds (not in the Flink operator). */
  readonly extension?: boolean;
}

/** Section of the options table an option is listed under (README, `fsa options`). */
export type OptionGroup =
  | 'Core and control'
  | 'Utilization'
  | 'Parallelism limits'
  | 'Backlog, catch-up and restart'
  | 'Effectiveness, history and scalability'
  | 'Memory pressure and tuning'
  | 'Resources, metrics and plugins'
  | 'Rollback of unhealthy rescales'
  | 'Flink and operator options read or written';

/** Prefix of the autoscaler's own keys. */
export const AUTOSCALER_PREFIX = 'job.autoscaler.';
/** Prefix of the same keys as older operator versions spelled them (still read as fallbacks). */
export const LEGACY_AUTOSCALER_PREFIX = 'kubernetes.operator.job.autoscaler.';

/** Declares an option, typing its default against the resolved value type. */
function option<N extends OptionName>(def: OptionDefinition<N>): OptionDefinition<N> {
  return def;
}

/** An autoscaler option: canonical key under `job.autoscaler.` with the legacy fallback key. */
function autoscaler<N extends OptionName>(
  suffix: string,
  def: Omit<OptionDefinition<N>, 'key'> & { readonly extraFallbackSuffixes?: readonly string[] },
): OptionDefinition<N> {
  const { extraFallbackSuffixes, ...rest } = def;
  return {
    ...rest,
    key: AUTOSCALER_PREFIX + suffix,
    fallbackKeys: def.extension
      ? []
      : [
          LEGACY_AUTOSCALER_PREFIX + suffix,
          ...(extraFallbackSuffixes ?? []).map((s) => LEGACY_AUTOSCALER_PREFIX + s),
        ],
  };
}

const MIN = 60_000;
const HOUR = 3_600_000;
const MB = 1024 * 1024;

/**
 * Every option, in the order of docs/algorithm.md §1 (which is also the Java validator's order for ranges).
 */
export const OPTION_DEFINITIONS = [
  // ---- §1.1 core / control
  autoscaler('enabled', {
    name: 'enabled',
    type: 'boolean',
    default: false,
    group: 'Core and control',
    description:
      `The Flink operator's own autoscaler switch. Must stay false: opt in with the label \`${MANAGED_LABEL}: "true"\` instead. A resource with both is refused.`,
  }),
  autoscaler('scaling.enabled', {
    name: 'scalingEnabled',
    type: 'boolean',
    default: true,
    group: 'Core and control',
    description:
      'If false, recommendation-only mode: metrics are collected and evaluated and a ScalingReport is emitted, but nothing is applied.',
  }),
  autoscaler('metrics.window', {
    name: 'metricsWindowMs',
    type: 'duration',
    default: 15 * MIN,
    unit: 'ms',
    group: 'Core and control',
    description: 'Length of the sliding metric window used for averages and rates.',
  }),
  autoscaler('stabilization.interval', {
    name: 'stabilizationIntervalMs',
    type: 'duration',
    default: 5 * MIN,
    unit: 'ms',
    group: 'Core and control',
    description:
      'Period after the job (re)enters RUNNING during which samples are collected but no scaling decision is made.',
  }),
  autoscaler('excluded.periods', {
    name: 'excludedPeriods',
    type: 'list',
    default: [],
    group: 'Core and control',
    description:
      '`;`-separated periods in which scaling is not executed (evaluation and reports continue): a Quartz cron expression (6 or 7 fields), a daily range `HH:mm:ss-HH:mm:ss`, or `<daily> && <cron>`.',
  }),
  autoscaler('excluded.periods.time-zone', {
    name: 'excludedPeriodsTimeZone',
    type: 'string',
    default: 'UTC',
    group: 'Core and control',
    extension: true,
    description:
      'IANA time zone (e.g. `Europe/Berlin`) in which excluded periods are evaluated. The operator uses its JVM default zone; a Lambda runs in UTC, so the zone is explicit here.',
  }),
  autoscaler('flink.rest-client.timeout', {
    name: 'restClientTimeoutMs',
    type: 'duration',
    default: 10_000,
    unit: 'ms',
    group: 'Core and control',
    description: 'Timeout of each call to the Flink REST API.',
  }),
  autoscaler('vertex.exclude.ids', {
    name: 'vertexExcludeIds',
    type: 'list',
    default: [],
    group: 'Core and control',
    description:
      'Hex job vertex ids never scaled (user overrides for them are kept). Downstream vertices still scale. Finished vertices and vertices without busy-time metrics are excluded automatically.',
  }),
  autoscaler('scaling.event.interval', {
    name: 'scalingEventIntervalMs',
    type: 'duration',
    default: 30 * MIN,
    unit: 'ms',
    group: 'Core and control',
    description: 'Repeated identical events within this interval are suppressed.',
  }),
  // ---- §1.2 utilization
  autoscaler('utilization.target', {
    name: 'utilizationTarget',
    type: 'double',
    default: 0.7,
    unit: 'fraction',
    group: 'Utilization',
    range: { min: 0, max: 1 },
    deprecatedKeys: [`${AUTOSCALER_PREFIX}target.utilization`],
    extraFallbackSuffixes: ['target.utilization'],
    description: 'Target busy ratio of every vertex after scaling.',
  }),
  autoscaler('target.utilization.boundary', {
    name: 'targetUtilizationBoundary',
    type: 'double',
    default: 0.3,
    unit: 'fraction',
    group: 'Utilization',
    range: { min: 0 },
    description:
      'Deprecated: half-width of the no-scaling band around the target when `utilization.max`/`utilization.min` are not set.',
  }),
  autoscaler('utilization.max', {
    name: 'utilizationMax',
    type: 'double',
    default: undefined,
    unit: 'fraction',
    group: 'Utilization',
    range: { minOption: 'utilizationTarget', max: 1 },
    description: 'Upper utilization bound: scale up above it. Default: target + boundary.',
  }),
  autoscaler('utilization.min', {
    name: 'utilizationMin',
    type: 'double',
    default: undefined,
    unit: 'fraction',
    group: 'Utilization',
    range: { min: 0, maxOption: 'utilizationTarget' },
    description: 'Lower utilization bound: scale down below it. Default: target − boundary.',
  }),
  // ---- §1.3 parallelism limits
  autoscaler('vertex.min-parallelism', {
    name: 'vertexMinParallelism',
    type: 'integer',
    default: 1,
    group: 'Parallelism limits',
    description:
      'Lower parallelism limit (never forces a vertex up: the effective limit is min(current, this)).',
  }),
  autoscaler('vertex.max-parallelism', {
    name: 'vertexMaxParallelism',
    type: 'integer',
    default: 200,
    group: 'Parallelism limits',
    description:
      'Upper parallelism limit (the effective limit is max(current, this), also capped by the key groups).',
  }),
  autoscaler('scale-down.max-factor', {
    name: 'scaleDownMaxFactor',
    type: 'double',
    default: 0.6,
    group: 'Parallelism limits',
    range: { min: 0 },
    description: 'Maximum relative scale-down per decision: factor ≥ 1 − this. 1 = unlimited.',
  }),
  autoscaler('scale-up.max-factor', {
    name: 'scaleUpMaxFactor',
    type: 'double',
    default: 100000,
    group: 'Parallelism limits',
    range: { min: 0 },
    description: 'Maximum relative scale-up per decision: factor ≤ 1 + this.',
  }),
  autoscaler('scale-down.interval', {
    name: 'scaleDownIntervalMs',
    type: 'duration',
    default: HOUR,
    unit: 'ms',
    group: 'Parallelism limits',
    deprecatedKeys: [`${AUTOSCALER_PREFIX}scale-up.grace-period`],
    extraFallbackSuffixes: ['scale-up.grace-period'],
    description:
      'Scale-downs are delayed over this window and the highest recommendation in it is applied. ≤ 0 disables the delay.',
  }),
  autoscaler('scaling.parallelism-alignment.mode', {
    name: 'parallelismAlignmentMode',
    type: 'string',
    default: 'BALANCED',
    group: 'Parallelism limits',
    description:
      'How parallelism is aligned to key groups or source partitions: `BALANCED` (default), `EVENLY_SPREAD` or `OFF`.',
  }),
  autoscaler('scaling.key-group.partitions.adjust.mode', {
    name: 'keyGroupPartitionsAdjustMode',
    type: 'enum',
    values: ['EVENLY_SPREAD', 'MAXIMIZE_UTILISATION'],
    default: 'EVENLY_SPREAD',
    group: 'Parallelism limits',
    description:
      'Deprecated blocking alignment; honoured only when set explicitly and the alignment mode above is not.',
  }),
  // ---- §1.4 backlog / catch-up / restart
  autoscaler('catch-up.duration', {
    name: 'catchUpDurationMs',
    type: 'duration',
    default: 30 * MIN,
    unit: 'ms',
    group: 'Backlog, catch-up and restart',
    description: 'Target time to drain the backlog after a scaling. 0 disables backlog-based extra capacity.',
  }),
  autoscaler('restart.time', {
    name: 'restartTimeMs',
    type: 'duration',
    default: 5 * MIN,
    unit: 'ms',
    group: 'Backlog, catch-up and restart',
    description: 'Assumed restart duration of a rescale (used unless tracked restart times are enabled).',
  }),
  autoscaler('restart.time-tracking.enabled', {
    name: 'restartTimeTrackingEnabled',
    type: 'boolean',
    default: false,
    group: 'Backlog, catch-up and restart',
    description: 'Use the maximum observed restart duration instead of `restart.time`.',
  }),
  autoscaler('restart.time-tracking.limit', {
    name: 'restartTimeTrackingLimitMs',
    type: 'duration',
    default: 15 * MIN,
    unit: 'ms',
    group: 'Backlog, catch-up and restart',
    description: 'Cap on the observed restart duration.',
  }),
  autoscaler('backlog-processing.lag-threshold', {
    name: 'backlogProcessingLagThresholdMs',
    type: 'duration',
    default: 5 * MIN,
    unit: 'ms',
    group: 'Backlog, catch-up and restart',
    description:
      'If any source lag exceeds this many seconds of input, the job is processing backlog (the no-scaling band widens).',
  }),
  autoscaler('observed-true-processing-rate.lag-threshold', {
    name: 'observedTprLagThresholdMs',
    type: 'duration',
    default: 30_000,
    unit: 'ms',
    group: 'Backlog, catch-up and restart',
    description: 'Minimum source lag (in time of input) before an observed true processing rate is sampled.',
  }),
  autoscaler('observed-true-processing-rate.switch-threshold', {
    name: 'observedTprSwitchThreshold',
    type: 'double',
    default: 0.15,
    group: 'Backlog, catch-up and restart',
    description: 'Use the observed rate when the busy-time rate exceeds it by more than this fraction.',
  }),
  autoscaler('observed-true-processing-rate.min-observations', {
    name: 'observedTprMinObservations',
    type: 'integer',
    default: 2,
    group: 'Backlog, catch-up and restart',
    description: 'Minimum number of observed-rate samples for their average to be used.',
  }),
  autoscaler('catch-up.settle.enabled', {
    name: 'catchUpSettleEnabled',
    type: 'boolean',
    default: true,
    group: 'Backlog, catch-up and restart',
    extension: true,
    description:
      "Catch-up settle: part of a scale-up's target capacity is for draining backlog and the restart's lag within `catch-up.duration`. Once that backlog is drained (not processing backlog, every source lag ≤ `catch-up.settle.lag-threshold`) and at least one `metrics.window` after the scale-up, one scale-down to the steady-state target (TDR / `utilization.target`, limits and alignment applied) is made without waiting for the utilization band or `scale-down.interval`. False = as the Flink operator (the extra capacity stays while inside the band).",
  }),
  autoscaler('catch-up.settle.lag-threshold', {
    name: 'catchUpSettleLagThresholdMs',
    type: 'duration',
    default: 30_000,
    unit: 'ms',
    group: 'Backlog, catch-up and restart',
    extension: true,
    range: { min: 0 },
    description: 'Catch-up settle: a source lag at or below this much time of its input counts as drained.',
  }),
  autoscaler('target-data-rate.step-aware.enabled', {
    name: 'stepAwareTargetRateEnabled',
    type: 'boolean',
    default: true,
    group: 'Backlog, catch-up and restart',
    extension: true,
    description:
      "Step-aware target rate: when a source's target data rate (input + lag growth) over the recent part of the window (`target-data-rate.step-aware.recent-fraction`, at least 2 samples) exceeds its full-window rate by more than `target-data-rate.step-aware.threshold`, a scale-up of that source and of the vertices downstream of it is sized for the recent rate, so the first scale-up after an upward load step is not sized for a window average that still mixes in the old load. Never used for a scale-down or for the utilization band (what triggers a scaling is unchanged). False = as the Flink operator (the full-window average).",
  }),
  autoscaler('target-data-rate.step-aware.recent-fraction', {
    name: 'stepAwareTargetRateRecentFraction',
    type: 'double',
    default: 0.5,
    unit: 'fraction',
    group: 'Backlog, catch-up and restart',
    extension: true,
    range: { min: 0, max: 1 },
    description:
      "Step-aware target rate: the recent part of the window is the samples in this last fraction of the window's time span (0.5 of a 15 min window = its last 7.5 min). A longer part honours a short spike only in part: a spike must last that long to count in full.",
  }),
  autoscaler('target-data-rate.step-aware.threshold', {
    name: 'stepAwareTargetRateThreshold',
    type: 'double',
    default: 0.1,
    unit: 'fraction',
    group: 'Backlog, catch-up and restart',
    extension: true,
    range: { min: 0 },
    description:
      'Step-aware target rate: the recent rate is used only when it is above the full-window rate × (1 + this threshold).',
  }),
  // ---- §1.5 effectiveness, history, scalability
  autoscaler('scaling.effectiveness.detection.enabled', {
    name: 'scalingEffectivenessDetectionEnabled',
    type: 'boolean',
    default: false,
    group: 'Effectiveness, history and scalability',
    description:
      'Block further scale-ups of a vertex whose previous scale-up was ineffective (events are emitted either way).',
  }),
  autoscaler('scaling.effectiveness.threshold', {
    name: 'scalingEffectivenessThreshold',
    type: 'double',
    default: 0.1,
    group: 'Effectiveness, history and scalability',
    range: { min: 0, max: 1 },
    validateWhen: 'scalingEffectivenessDetectionEnabled',
    description: 'Minimum fraction of the expected processing-rate increase that must materialise.',
  }),
  autoscaler('scale-up.shortfall.enabled', {
    name: 'scaleUpShortfallEnabled',
    type: 'boolean',
    default: true,
    group: 'Effectiveness, history and scalability',
    extension: true,
    description:
      "Scale-up shortfall correction: a scale-up is sized by assuming the true processing rate grows linearly with parallelism. One `metrics.window` after it (backlog drained), the vertex's rates at the new parallelism are checked once: when its true processing rate fell short of the expected one by more than `scale-up.shortfall.tolerance` and its utilization (TDR / TPR) is above `utilization.target` × (1 + the tolerance), one further scale-up to TDR / `utilization.target` at the measured rate is made, without waiting for the vertex to reach `utilization.max`. That scale-up is checked the same way. False = as the Flink operator (a vertex that scales sub-linearly stays inside the band above its target).",
  }),
  autoscaler('scale-up.shortfall.tolerance', {
    name: 'scaleUpShortfallTolerance',
    type: 'double',
    default: 0.05,
    unit: 'fraction',
    group: 'Effectiveness, history and scalability',
    extension: true,
    range: { min: 0, max: 1 },
    validateWhen: 'scaleUpShortfallEnabled',
    description:
      'Scale-up shortfall correction: how far the measured rate may fall below the expected one, and the utilization rise above its target, before a correction is made (0.05 = 5 %).',
  }),
  autoscaler('scale-up.load-step.enabled', {
    name: 'scaleUpLoadStepEnabled',
    type: 'boolean',
    default: true,
    group: 'Effectiveness, history and scalability',
    extension: true,
    description:
      "Load-step correction: on a real cadence the first scale-up after a load step can come while the metric window still mixes the old and the new load, and is sized for too little. One `metrics.window` after each scale-up (backlog drained), when the vertex's target data rate has grown by more than `scale-up.shortfall.tolerance` since that decision and its utilization (TDR / TPR) is above `utilization.target` × (1 + the tolerance), one further scale-up to TDR / `utilization.target` at the measured rate is made (reason `load-step-correction`; limits, alignment and the ineffective-scaling block apply). While the load of a source still rises over the window (its newer half's rate above the older half's × (1 + the tolerance): a ramp, not a step) the check waits. False = as the Flink operator (the vertex stays inside the band above its target until it reaches `utilization.max`).",
  }),
  autoscaler('history.max.count', {
    name: 'historyMaxCount',
    type: 'integer',
    default: 3,
    group: 'Effectiveness, history and scalability',
    description: 'Maximum scaling summaries kept per vertex (and scaling records for restart tracking).',
  }),
  autoscaler('history.max.age', {
    name: 'historyMaxAgeMs',
    type: 'duration',
    default: 24 * HOUR,
    unit: 'ms',
    group: 'Effectiveness, history and scalability',
    description: 'Maximum age of kept scaling summaries and records.',
  }),
  autoscaler('history.retention', {
    name: 'historyRetentionMs',
    type: 'duration',
    default: 7 * 24 * HOUR,
    unit: 'ms',
    group: 'Effectiveness, history and scalability',
    extension: true,
    range: { min: 0 },
    description:
      "How long each cycle's metric sample is kept in the state table, with the cycle's decision, for the what-if replay (`fsa replay --table`). No extra write: the sample the cycle writes anyway expires later (DynamoDB TTL), and the job's topology and configuration are written only when they change. 0 = keep only the metric window, as the Flink operator does (no replay from the table).",
  }),
  autoscaler('observed-scalability.enabled', {
    name: 'observedScalabilityEnabled',
    type: 'boolean',
    default: false,
    group: 'Effectiveness, history and scalability',
    description: 'Divide the scale factor by a scalability coefficient fitted to the scaling history.',
  }),
  autoscaler('observed-scalability.min-observations', {
    name: 'observedScalabilityMinObservations',
    type: 'integer',
    default: 3,
    group: 'Effectiveness, history and scalability',
    description: 'Minimum history entries to fit the scalability coefficient (otherwise 1.0).',
  }),
  autoscaler('observed-scalability.coefficient-min', {
    name: 'observedScalabilityCoefficientMin',
    type: 'double',
    default: 0.5,
    group: 'Effectiveness, history and scalability',
    range: { min: 0.01, max: 1 },
    validateWhen: 'observedScalabilityEnabled',
    description: 'Lower clamp of the scalability coefficient (the upper clamp is 1.0).',
  }),
  // ---- §1.6 memory pressure and tuning
  autoscaler('memory.gc-pressure.threshold', {
    name: 'gcPressureThreshold',
    type: 'double',
    default: 1.0,
    unit: 'fraction',
    group: 'Memory pressure and tuning',
    range: { min: 0, max: 1 },
    description:
      'Block scaling while the latest GC pressure (fraction of time in GC, max over TaskManagers) exceeds this.',
  }),
  autoscaler('memory.heap-usage.threshold', {
    name: 'heapUsageThreshold',
    type: 'double',
    default: 1.0,
    unit: 'fraction',
    group: 'Memory pressure and tuning',
    range: { min: 0, max: 1 },
    description: 'Block scaling while the window-average heap usage ratio exceeds this.',
  }),
  autoscaler('memory.tuning.enabled', {
    name: 'memoryTuningEnabled',
    type: 'boolean',
    default: false,
    group: 'Memory pressure and tuning',
    description: 'Apply the TaskManager memory plan (otherwise it is only reported as a recommendation).',
  }),
  autoscaler('memory.tuning.scale-down-compensation.enabled', {
    name: 'memoryTuningScaleDownCompensationEnabled',
    type: 'boolean',
    default: true,
    group: 'Memory pressure and tuning',
    description: 'When TaskManagers are removed, grow heap so the total heap of the job stays constant.',
  }),
  autoscaler('memory.tuning.overhead', {
    name: 'memoryTuningOverhead',
    type: 'double',
    default: 0.2,
    unit: 'fraction',
    group: 'Memory pressure and tuning',
    range: { min: 0, max: 1 },
    validateWhen: 'memoryTuningEnabled',
    description: 'Headroom for heap and metaspace: size = usage × (1 + overhead).',
  }),
  autoscaler('memory.tuning.maximize-managed-memory', {
    name: 'memoryTuningMaximizeManagedMemory',
    type: 'boolean',
    default: false,
    group: 'Memory pressure and tuning',
    description: 'If managed memory is used (RocksDB), give it all memory left in the budget.',
  }),
  autoscaler('memory.tuning.history.enabled', {
    name: 'memoryTuningHistoryEnabled',
    type: 'boolean',
    default: true,
    group: 'Memory pressure and tuning',
    extension: true,
    description:
      'Size heap and metaspace from a decaying history of per-interval usage peaks (in the spirit of the Kubernetes VPA recommender), so a quiet metric window does not shrink memory that a daily peak needs. False = window average only, as the Flink operator does.',
  }),
  autoscaler('memory.tuning.history.interval', {
    name: 'memoryTuningHistoryIntervalMs',
    type: 'duration',
    default: 24 * HOUR,
    unit: 'ms',
    group: 'Memory pressure and tuning',
    extension: true,
    range: { min: 60_000 },
    description:
      'Length of one peak bucket of the memory history: each bucket keeps the highest usage seen in it.',
  }),
  autoscaler('memory.tuning.history.max-age', {
    name: 'memoryTuningHistoryMaxAgeMs',
    type: 'duration',
    default: 8 * 24 * HOUR,
    unit: 'ms',
    group: 'Memory pressure and tuning',
    extension: true,
    range: { min: 60_000 },
    description: 'Peak buckets older than this are forgotten (VPA keeps 8 daily memory peaks).',
  }),
  autoscaler('memory.tuning.history.half-life', {
    name: 'memoryTuningHistoryHalfLifeMs',
    type: 'duration',
    default: 24 * HOUR,
    unit: 'ms',
    group: 'Memory pressure and tuning',
    extension: true,
    range: { min: 1 },
    description: 'Age at which a peak weighs half as much as the current bucket in the percentile.',
  }),
  autoscaler('memory.tuning.history.percentile', {
    name: 'memoryTuningHistoryPercentile',
    type: 'double',
    default: 0.9,
    unit: 'fraction',
    group: 'Memory pressure and tuning',
    extension: true,
    range: { min: 0, max: 1 },
    description:
      'Weighted percentile of the bucket peaks used as the usage estimate (VPA target: 0.9; 1 = maximum).',
  }),
  autoscaler('memory.tuning.history.safety-margin', {
    name: 'memoryTuningHistorySafetyMargin',
    type: 'double',
    default: 0.0,
    unit: 'fraction',
    group: 'Memory pressure and tuning',
    extension: true,
    range: { min: 0, max: 1 },
    description:
      'Extra headroom on the history estimate only, on top of `memory.tuning.overhead` (VPA uses 0.15; 0 because the overhead already adds 20 %).',
  }),
  // ---- §1.7 resources, metrics, plugins
  autoscaler('metrics.busy-time.aggregator', {
    name: 'busyTimeAggregator',
    type: 'enum',
    values: ['MAX', 'AVG', 'MIN'],
    default: 'MAX',
    group: 'Resources, metrics and plugins',
    description: 'Subtask aggregate of busyTimeMsPerSecond used for the true processing rate.',
  }),
  // Defaults: AWS Fargate on-demand, Linux/x86, US East (N. Virginia), from
  // https://aws.amazon.com/fargate/pricing/ (rates unchanged as of June 2026). Fargate bills
  // exactly the pod's vCPU and memory, so they are the list price of a TaskManager's resources.
  autoscaler('cost.vcpu-hour-usd', {
    name: 'costVcpuHourUsd',
    type: 'double',
    default: 0.04048,
    unit: 'USD per vCPU-hour',
    group: 'Resources, metrics and plugins',
    extension: true,
    range: { min: 0 },
    description:
      'Price of a decision: US dollars per vCPU-hour of TaskManager CPU. Default: AWS Fargate on-demand, Linux/x86, us-east-1 (aws.amazon.com/fargate/pricing, June 2026). Set it deployment-wide to your own rate (EC2 instance price ÷ vCPUs, Savings Plan, Spot); 0 leaves CPU out.',
  }),
  autoscaler('cost.memory-gb-hour-usd', {
    name: 'costMemoryGbHourUsd',
    type: 'double',
    default: 0.004445,
    unit: 'USD per GB-hour',
    group: 'Resources, metrics and plugins',
    extension: true,
    range: { min: 0 },
    description:
      'Price of a decision: US dollars per GB-hour of TaskManager memory (GB = 1024³ bytes, as Fargate sizes pods). Default: AWS Fargate on-demand, Linux/x86, us-east-1 (aws.amazon.com/fargate/pricing, June 2026); 0 leaves memory out.',
  }),
  autoscaler('quota.memory', {
    name: 'quotaMemoryBytes',
    type: 'memory',
    default: undefined,
    unit: 'bytes',
    group: 'Resources, metrics and plugins',
    description: 'Memory quota of the job: block a scale-up whose TaskManagers would exceed it.',
  }),
  autoscaler('quota.cpu', {
    name: 'quotaCpu',
    type: 'double',
    default: undefined,
    unit: 'cores',
    group: 'Resources, metrics and plugins',
    description: 'CPU quota of the job: block a scale-up whose TaskManagers would exceed it.',
  }),
  autoscaler('metrics.custom-evaluators', {
    name: 'customEvaluators',
    type: 'list',
    default: [],
    group: 'Resources, metrics and plugins',
    description: 'Java evaluator plugins of the operator: not loadable here; a warning is reported when set.',
  }),
  autoscaler('scaling.custom-executors', {
    name: 'customExecutors',
    type: 'list',
    default: [],
    group: 'Resources, metrics and plugins',
    description:
      'Java scaling-executor plugins of the operator: not loadable here (use the policy hook); a warning is reported when set.',
  }),
  // ---- §1.8 other Flink and operator options
  option({
    name: 'parallelismOverrides',
    key: PARALLELISM_OVERRIDES_KEY,
    type: 'map',
    default: {},
    group: 'Flink and operator options read or written',
    description:
      'Per-vertex parallelism `hex1:p1,hex2:p2`; written by the autoscaler, merged with the user’s.',
  }),
  option({
    name: 'numberOfTaskSlots',
    key: 'taskmanager.numberOfTaskSlots',
    type: 'integer',
    default: 1,
    group: 'Flink and operator options read or written',
    description: 'Task slots per TaskManager.',
  }),
  option({
    name: 'networkBuffersPerChannel',
    key: 'taskmanager.network.memory.buffers-per-channel',
    type: 'integer',
    default: 2,
    group: 'Flink and operator options read or written',
    description: 'Exclusive network buffers per channel (network memory sizing).',
  }),
  option({
    name: 'networkFloatingBuffersPerGate',
    key: 'taskmanager.network.memory.floating-buffers-per-gate',
    type: 'integer',
    default: 8,
    group: 'Flink and operator options read or written',
    description: 'Floating network buffers per gate (network memory sizing).',
  }),
  option({
    name: 'memorySegmentSizeBytes',
    key: 'taskmanager.memory.segment-size',
    type: 'memory',
    default: 32 * 1024,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Network buffer (memory segment) size.',
  }),
  option({
    name: 'taskManagerCpu',
    // Flink 1.17+ KubernetesConfigOptions.TASK_MANAGER_CPU: `kubernetes.taskmanager.cpu.amount`,
    // with the older `kubernetes.taskmanager.cpu` kept as a deprecated key.
    key: 'kubernetes.taskmanager.cpu.amount',
    deprecatedKeys: ['kubernetes.taskmanager.cpu'],
    type: 'double',
    default: undefined,
    unit: 'cores',
    group: 'Flink and operator options read or written',
    description:
      'TaskManager CPU (quota and capacity checks); the resource spec’s CPU is used when set there.',
  }),
  option({
    name: 'jobManagerScheduler',
    key: 'jobmanager.scheduler',
    type: 'string',
    default: undefined,
    group: 'Flink and operator options read or written',
    description: 'Must be `adaptive` for in-place rescaling (Flink ≥ 1.18).',
  }),
  option({
    name: 'inPlaceScalingEnabled',
    key: 'kubernetes.operator.job.upgrade.inplace-scaling.enabled',
    type: 'boolean',
    default: true,
    group: 'Flink and operator options read or written',
    description: 'Whether the operator may rescale in place instead of a full upgrade.',
  }),
  option({
    name: 'resourceViewRefreshIntervalMs',
    key: 'kubernetes.operator.cluster.resource-view.refresh-interval',
    type: 'duration',
    default: -MIN,
    unit: 'ms',
    group: 'Flink and operator options read or written',
    description: 'Cluster capacity check refresh interval; negative disables the capacity check.',
  }),
  option({
    name: 'reconcileIntervalMs',
    key: 'kubernetes.operator.reconcile.interval',
    type: 'duration',
    default: 60_000,
    unit: 'ms',
    group: 'Flink and operator options read or written',
    description: 'Operator reconcile interval. Read for compatibility only: the autoscaler runs on its schedule (`FSA_CADENCE_MS`, `fsa run --interval`), and a `metrics.window` shorter than two schedule intervals is warned about as an InvalidConfiguration event.',
  }),
  option({
    name: 'tmProcessSizeBytes',
    key: 'taskmanager.memory.process.size',
    type: 'memory',
    default: undefined,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Total TaskManager process memory (the memory-tuning budget).',
  }),
  option({
    name: 'tmFlinkSizeBytes',
    key: 'taskmanager.memory.flink.size',
    type: 'memory',
    default: undefined,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Total Flink memory of a TaskManager.',
  }),
  option({
    name: 'tmTaskHeapBytes',
    key: 'taskmanager.memory.task.heap.size',
    type: 'memory',
    default: undefined,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Task heap of a TaskManager.',
  }),
  option({
    name: 'tmManagedSizeBytes',
    key: 'taskmanager.memory.managed.size',
    type: 'memory',
    default: undefined,
    unit: 'bytes',
    deprecatedKeys: ['taskmanager.memory.size'],
    group: 'Flink and operator options read or written',
    description: 'Managed memory size of a TaskManager.',
  }),
  option({
    name: 'tmManagedFraction',
    key: 'taskmanager.memory.managed.fraction',
    type: 'double',
    default: 0.4,
    unit: 'fraction',
    group: 'Flink and operator options read or written',
    description: 'Managed memory as a fraction of total Flink memory.',
  }),
  option({
    name: 'tmNetworkMinBytes',
    key: 'taskmanager.memory.network.min',
    type: 'memory',
    default: 64 * MB,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Minimum network memory.',
  }),
  option({
    name: 'tmNetworkMaxBytes',
    key: 'taskmanager.memory.network.max',
    type: 'memory',
    default: 1024 * MB,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Maximum network memory.',
  }),
  option({
    name: 'tmNetworkFraction',
    key: 'taskmanager.memory.network.fraction',
    type: 'double',
    default: 0.1,
    unit: 'fraction',
    group: 'Flink and operator options read or written',
    description: 'Network memory as a fraction of total Flink memory.',
  }),
  option({
    name: 'tmJvmMetaspaceBytes',
    key: 'taskmanager.memory.jvm-metaspace.size',
    type: 'memory',
    default: 256 * MB,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'JVM metaspace of a TaskManager.',
  }),
  option({
    name: 'tmJvmOverheadFraction',
    key: 'taskmanager.memory.jvm-overhead.fraction',
    type: 'double',
    default: 0.1,
    unit: 'fraction',
    group: 'Flink and operator options read or written',
    description: 'JVM overhead as a fraction of process memory.',
  }),
  option({
    name: 'tmJvmOverheadMinBytes',
    key: 'taskmanager.memory.jvm-overhead.min',
    type: 'memory',
    default: 192 * MB,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Minimum JVM overhead.',
  }),
  option({
    name: 'tmJvmOverheadMaxBytes',
    key: 'taskmanager.memory.jvm-overhead.max',
    type: 'memory',
    default: 1024 * MB,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Maximum JVM overhead.',
  }),
  option({
    name: 'tmFrameworkHeapBytes',
    key: 'taskmanager.memory.framework.heap.size',
    type: 'memory',
    default: 128 * MB,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Framework heap of a TaskManager.',
  }),
  option({
    name: 'tmFrameworkOffHeapBytes',
    key: 'taskmanager.memory.framework.off-heap.size',
    type: 'memory',
    default: 128 * MB,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Framework off-heap memory of a TaskManager.',
  }),
  option({
    name: 'tmTaskOffHeapBytes',
    key: 'taskmanager.memory.task.off-heap.size',
    type: 'memory',
    default: 0,
    unit: 'bytes',
    group: 'Flink and operator options read or written',
    description: 'Task off-heap memory of a TaskManager.',
  }),
  // ---- extension: rollback of an unhealthy rescale (docs/algorithm.md §13, README "Differences")
  autoscaler('rollback.enabled', {
    name: 'rollbackEnabled',
    type: 'boolean',
    default: true,
    group: 'Rollback of unhealthy rescales',
    extension: true,
    description:
      'Watch every change the autoscaler applies; when the job does not come back RUNNING within `rollback.timeout`, fails, restarts in a loop, cannot schedule its TaskManager pods, or processes well below its pre-change rate while lag grows, revert the parallelism overrides and memory settings the autoscaler wrote to the last known-good ones (a `ScalingRolledBack` event) and block the same change for `rollback.cool-down`. The Flink operator has no rollback (proposed in FLINK-33801, FLINK-37411).',
  }),
  autoscaler('rollback.timeout', {
    name: 'rollbackTimeoutMs',
    type: 'duration',
    default: undefined,
    unit: 'ms',
    group: 'Rollback of unhealthy rescales',
    extension: true,
    range: { min: 1 },
    description:
      'How long an applied change may leave the job not RUNNING before it is rolled back. Unset = `restart.time-tracking.limit` (the longest restart the autoscaler accepts as normal).',
  }),
  autoscaler('rollback.unschedulable.timeout', {
    name: 'rollbackUnschedulableTimeoutMs',
    type: 'duration',
    default: 5 * MIN,
    unit: 'ms',
    group: 'Rollback of unhealthy rescales',
    extension: true,
    range: { min: 0 },
    description:
      'How long TaskManager pods of a changed job may stay Pending with `PodScheduled=False` (reason `Unschedulable`) before the change is rolled back; leaves time for Karpenter or the cluster autoscaler to add nodes.',
  }),
  autoscaler('rollback.max-restarts', {
    name: 'rollbackMaxRestarts',
    type: 'integer',
    default: 3,
    group: 'Rollback of unhealthy rescales',
    extension: true,
    range: { min: 1 },
    description:
      'Times the job may be seen leaving RUNNING again after the change first brought it up before the change counts as a restart loop and is rolled back.',
  }),
  autoscaler('rollback.throughput-ratio', {
    name: 'rollbackThroughputRatio',
    type: 'double',
    default: 0.5,
    unit: 'fraction',
    group: 'Rollback of unhealthy rescales',
    extension: true,
    range: { min: 0, max: 1 },
    description:
      "At the first full metric window after a change, the change is rolled back when the sources' processing rate is below this fraction of the rate before the change while their lag grew. 0 disables the check.",
  }),
  autoscaler('rollback.cool-down', {
    name: 'rollbackCooldownMs',
    type: 'duration',
    default: 1 * HOUR,
    unit: 'ms',
    group: 'Rollback of unhealthy rescales',
    extension: true,
    range: { min: 0 },
    description:
      'How long a rolled-back change is blocked: no decision moves a vertex to (or beyond) the parallelism that was rolled back, in the same direction.',
  }),
] as const satisfies readonly OptionDefinition[];

// Compile-time check: every resolved option is declared exactly once above.
type DeclaredNames = (typeof OPTION_DEFINITIONS)[number]['name'];
type Undeclared = Exclude<OptionName, DeclaredNames>;
/** Compile-time check that every option name has a definition above (a type error names the missing ones). */
export const EVERY_OPTION_DECLARED: [Undeclared] extends [never] ? true : Undeclared = true;

/**
 * Key patterns of plugin options (`…mode.<name>.class`, `…custom-evaluator.<name>.<param>`, …):
 * known keys that are not warned about.
 */
export const AUTOSCALER_KEY_PATTERNS: readonly RegExp[] = [
  /^scaling\.parallelism-alignment\.mode\.[^.]+\..+$/,
  /^metrics\.custom-evaluator\.[^.]+\..+$/,
  /^scaling\.custom-executor\.[^.]+\..+$/,
];
