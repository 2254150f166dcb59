/**
 * Resolved values of every option the autoscaler reads (docs/algorithm.md §1.1–1.8,
 * plus this project's extensions marked as such). Durations are milliseconds, memory sizes bytes,
 * fractions 0..1. `undefined` means "not set" for options without a default.
 */
export interface AutoscalerOptionValues {
  // §1.1 core / control
  /** `job.autoscaler.enabled`: the operator's built-in autoscaler switch; must stay false for us. */
  readonly enabled: boolean;
  /** `scaling.enabled`: false = recommendation-only (advisor) mode. */
  readonly scalingEnabled: boolean;
  readonly metricsWindowMs: number;
  readonly stabilizationIntervalMs: number;
  readonly excludedPeriods: readonly string[];
  /** Extension: IANA time zone in which excluded periods are evaluated. */
  readonly excludedPeriodsTimeZone: string;
  readonly restClientTimeoutMs: number;
  readonly vertexExcludeIds: readonly string[];
  readonly scalingEventIntervalMs: number;
  // §1.2 utilization
  readonly utilizationTarget: number;
  readonly targetUtilizationBoundary: number;
  readonly utilizationMax: number | undefined;
  readonly utilizationMin: number | undefined;
  // §1.3 parallelism limits
  readonly vertexMinParallelism: number;
  readonly vertexMaxParallelism: number;
  readonly scaleDownMaxFactor: number;
  readonly scaleUpMaxFactor: number;
  readonly scaleDownIntervalMs: number;
  readonly parallelismAlignmentMode: string;
  readonly keyGroupPartitionsAdjustMode: 'EVENLY_SPREAD' | 'MAXIMIZE_UTILISATION';
  // §1.4 backlog / catch-up / restart
  readonly catchUpDurationMs: number;
  readonly restartTimeMs: number;
  readonly restartTimeTrackingEnabled: boolean;
  readonly restartTimeTrackingLimitMs: number;
  readonly backlogProcessingLagThresholdMs: number;
  readonly observedTprLagThresholdMs: number;
  readonly observedTprSwitchThreshold: number;
  readonly observedTprMinObservations: number;
  /** Extension: one right-sizing scale-down after a scale-up once its backlog is drained. */
  readonly catchUpSettleEnabled: boolean;
  /** Extension: source lag (time of input, ms) below which the backlog counts as drained. */
  readonly catchUpSettleLagThresholdMs: number;
  /** Extension: size scale-ups for a source's recent input rate after an upward load step. */
  readonly stepAwareTargetRateEnabled: boolean;
  /** Extension: the recent part of the window, as a fraction of the window's span. */
  readonly stepAwareTargetRateRecentFraction: number;
  /** Extension: relative excess of the recent over the full-window rate that counts as a step. */
  readonly stepAwareTargetRateThreshold: number;
  // §1.5 effectiveness, history, scalability
  readonly scalingEffectivenessDetectionEnabled: boolean;
  readonly scalingEffectivenessThreshold: number;
  /** Extension: one corrective scale-up when a scale-up's measured rate fell short of the expected one. */
  readonly scaleUpShortfallEnabled: boolean;
  /** Extension: relative shortfall (rate) and excess (utilization) that trigger the correction. */
  readonly scaleUpShortfallTolerance: number;
  /** Extension: one more scale-up when the load grew after a scale-up that only partly saw it. */
  readonly scaleUpLoadStepEnabled: boolean;
  readonly historyMaxCount: number;
  readonly historyMaxAgeMs: number;
  /** Retention of samples and decisions for the what-if replay (`history.retention`); 0 = window only. */
  readonly historyRetentionMs: number;
  readonly observedScalabilityEnabled: boolean;
  readonly observedScalabilityMinObservations: number;
  readonly observedScalabilityCoefficientMin: number;
  // §1.6 memory pressure and tuning
  readonly gcPressureThreshold: number;
  readonly heapUsageThreshold: number;
  readonly memoryTuningEnabled: boolean;
  readonly memoryTuningScaleDownCompensationEnabled: boolean;
  readonly memoryTuningOverhead: number;
  readonly memoryTuningMaximizeManagedMemory: boolean;
  /** Extension: size heap and metaspace from the decaying history of peaks (lib/tune/memory-history.ts). */
  readonly memoryTuningHistoryEnabled: boolean;
  /** Extension: length of one peak bucket of the memory history (ms). */
  readonly memoryTuningHistoryIntervalMs: number;
  /** Extension: peak buckets older than this are dropped (ms). */
  readonly memoryTuningHistoryMaxAgeMs: number;
  /** Extension: age at which a peak counts half as much as a current one (ms). */
  readonly memoryTuningHistoryHalfLifeMs: number;
  /** Extension: weighted percentile of the bucket peaks used as the usage estimate (0..1). */
  readonly memoryTuningHistoryPercentile: number;
  /** Extension: extra headroom on the history estimate, on top of `memory.tuning.overhead`. */
  readonly memoryTuningHistorySafetyMargin: number;
  // §1.7 resources, metrics, plugins
  readonly busyTimeAggregator: 'MAX' | 'AVG' | 'MIN';
  readonly quotaMemoryBytes: number | undefined;
  readonly quotaCpu: number | undefined;
  readonly customEvaluators: readonly string[];
  readonly customExecutors: readonly string[];
  /** Extension: US dollars per vCPU-hour of a TaskManager, for the price of each decision. */
  readonly costVcpuHourUsd: number;
  /** Extension: US dollars per GB-hour (GiB of TaskManager memory), for the price of each decision. */
  readonly costMemoryGbHourUsd: number;
  // §1.8 non-autoscaler options read or written
  readonly parallelismOverrides: Readonly<Record<string, string>>;
  readonly numberOfTaskSlots: number;
  readonly networkBuffersPerChannel: number;
  readonly networkFloatingBuffersPerGate: number;
  readonly memorySegmentSizeBytes: number;
  readonly taskManagerCpu: number | undefined;
  readonly jobManagerScheduler: string | undefined;
  readonly inPlaceScalingEnabled: boolean;
  readonly resourceViewRefreshIntervalMs: number;
  readonly reconcileIntervalMs: number;
  readonly tmProcessSizeBytes: number | undefined;
  readonly tmFlinkSizeBytes: number | undefined;
  readonly tmTaskHeapBytes: number | undefined;
  readonly tmManagedSizeBytes: number | undefined;
  readonly tmManagedFraction: number;
  readonly tmNetworkMinBytes: number;
  readonly tmNetworkMaxBytes: number;
  readonly tmNetworkFraction: number;
  readonly tmJvmMetaspaceBytes: number;
  readonly tmJvmOverheadFraction: number;
  readonly tmJvmOverheadMinBytes: number;
  readonly tmJvmOverheadMaxBytes: number;
  readonly tmFrameworkHeapBytes: number;
  readonly tmFrameworkOffHeapBytes: number;
  readonly tmTaskOffHeapBytes: number;
  // Extension: rollback of an unhealthy rescale (docs/algorithm.md §13)
  /** Extension: watch every applied change and revert an unhealthy one to the last known-good settings. */
  readonly rollbackEnabled: boolean;
  /** Extension: how long a change may leave the job not RUNNING; undefined = `restart.time-tracking.limit`. */
  readonly rollbackTimeoutMs: number | undefined;
  /** Extension: how long TaskManager pods may stay unschedulable after a change. */
  readonly rollbackUnschedulableTimeoutMs: number;
  /** Extension: restarts seen after the change's first RUNNING that count as a restart loop. */
  readonly rollbackMaxRestarts: number;
  /** Extension: fraction of the pre-change processing rate below which (with growing lag) a change is unhealthy. */
  readonly rollbackThroughputRatio: number;
  /** Extension: how long a rolled-back change is not tried again. */
  readonly rollbackCooldownMs: number;
}

/** Name of an option (a field of the resolved options). */
export type OptionName = keyof AutoscalerOptionValues;

/**
 * Resolved options of one job: every value, which options were set explicitly, and the
 * flattened configuration they were read from (for keys other stages interpret themselves).
 */
export interface AutoscalerOptions extends AutoscalerOptionValues {
  /** Names of options whose value came from configuration rather than the default. */
  readonly explicitlySet: ReadonlySet<OptionName>;
  /** The flattened, merged configuration (all keys, strings) the options were read from. */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
}
