import type { GlobalSampleMetricName, VertexSampleMetricName } from './metric-names.ts';
import type { JobTopology, VertexId } from './topology.ts';

/**
 * Subtask aggregates of one Flink metric as returned by `…/subtasks/metrics?agg=…` or
 * `/taskmanagers/metrics?agg=…`. Absent fields were not reported.
 */
export interface MetricAggregates {
  readonly min?: number;
  readonly max?: number;
  readonly avg?: number;
  readonly sum?: number;
}

/**
 * What the collector read from Flink for one vertex in one cycle, before any autoscaler math.
 * Every field is optional because Flink versions and sources differ; the pure code decides what
 * a missing value means (docs/algorithm.md §2.3–2.4).
 */
export interface RawVertexMetrics {
  /** Execution state FINISHED: all metrics are treated as zero. */
  readonly finished?: boolean;
  /** `busyTimeMsPerSecond` aggregated over subtasks (0..1000 ms/s). */
  readonly busyTimeMsPerSecond?: MetricAggregates;
  /** `backPressuredTimeMsPerSecond` aggregated over subtasks (sources). */
  readonly backPressuredTimeMsPerSecond?: MetricAggregates;
  /** Sum over subtasks of `Source__*.numRecordsInPerSecond` (sources). */
  readonly sourceNumRecordsInPerSecond?: number;
  /** Sum over subtasks of `Source__*.numRecordsOutPerSecond` (sources; fallback of the above). */
  readonly sourceNumRecordsOutPerSecond?: number;
  /** Sum over subtasks of `Source__*.numRecordsIn` (cumulative, sources). */
  readonly sourceNumRecordsIn?: number;
  /** Sum over subtasks of `Source__*.numRecordsOut` (cumulative, sources). */
  readonly sourceNumRecordsOut?: number;
  /** Sum over subtasks and all matching `*.pendingRecords` metrics (sources). */
  readonly pendingRecords?: number;
  /** Sum over subtasks of `numRecordsInPerSecond` (non-sources). */
  readonly numRecordsInPerSecond?: number;
  /** Job-details IO counter `read-records` (cumulative, summed over subtasks). */
  readonly readRecords?: number;
  /** Job-details IO counter `write-records` (cumulative, summed over subtasks). */
  readonly writeRecords?: number;
  /** Job-details IO counter `accumulated-busy-time` in ms (summed over subtasks). */
  readonly accumulatedBusyTimeMs?: number;
}

/** TaskManager metrics aggregated across TaskManagers (`/taskmanagers/metrics`). */
export interface RawTaskManagerMetrics {
  readonly heapUsedBytes?: MetricAggregates;
  readonly heapMaxBytes?: MetricAggregates;
  readonly managedUsedBytes?: MetricAggregates;
  readonly metaspaceUsedBytes?: MetricAggregates;
  /** `Status.JVM.GarbageCollector.All.TimeMsPerSecond`; absent on Flink versions without it. */
  readonly gcTimeMsPerSecond?: MetricAggregates;
  /** Network (shuffle) memory used; informational. */
  readonly networkMemoryUsedBytes?: MetricAggregates;
}

/** JobManager slot metrics (`/jobmanager/metrics`). */
export interface RawJobManagerMetrics {
  readonly taskSlotsTotal?: number;
  readonly taskSlotsAvailable?: number;
}

/**
 * One cycle's raw observation of a running job: the collector's output and the pure core's
 * input. `complete` is false when any required metric was missing; the core never scales on an
 * incomplete observation.
 */
export interface RawJobMetrics {
  /** Epoch ms at which the metrics were read (the cycle's `now`). */
  readonly collectedAtMs: number;
  readonly topology: JobTopology;
  readonly vertices: Readonly<Record<VertexId, RawVertexMetrics>>;
  readonly taskManagers: RawTaskManagerMetrics;
  readonly jobManager: RawJobManagerMetrics;
  /** Names of required metrics that were missing (empty = complete). */
  readonly missingRequired?: readonly string[];
  /** Job name as reported by Flink (informational). */
  readonly jobName?: string;
  /**
   * Effective Flink configuration of the job (`GET /jobs/{id}/jobmanager/config` on Flink ≥ 1.19,
   * else `GET /jobmanager/config`), e.g. `taskmanager.numberOfTaskSlots`, memory sizes. Secret
   * values arrive masked (`******`). Absent when the collector did not read it.
   */
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
}

/** Per-vertex scaling metrics of one window sample; a missing key means NaN / not available. */
export type VertexSampleMetrics = Partial<Record<VertexSampleMetricName, number>>;

/** Global scaling metrics of one window sample; a missing key means NaN / not available. */
export type GlobalSampleMetrics = Partial<Record<GlobalSampleMetricName, number>>;

/**
 * One compact sample of the metric window (Java `CollectedMetrics`), computed from
 * {@link RawJobMetrics} at collection time (docs/algorithm.md §2.4) and persisted once per cycle.
 */
export interface MetricSample {
  /** Epoch ms of collection. */
  readonly tsMs: number;
  readonly vertices: Readonly<Record<VertexId, VertexSampleMetrics>>;
  readonly global: GlobalSampleMetrics;
}
