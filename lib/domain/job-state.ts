import type { RollbackState } from './rollback-state.ts';
import type { VertexId } from './topology.ts';

/**
 * Metrics kept with each scaling summary (what ineffective-scaling detection and the observed
 * scalability fit need later). Rates in records/s.
 */
export interface ScalingSummaryMetrics {
  /** TRUE_PROCESSING_RATE window average at decision time. */
  readonly trueProcessingRateAvg: number;
  /** EXPECTED_PROCESSING_RATE current value at decision time (TPR / cur × new). */
  readonly expectedProcessingRate: number;
  /** TARGET_DATA_RATE window average at decision time. */
  readonly targetDataRateAvg: number;
}

/** One executed scaling of one vertex (Java `ScalingSummary`), keyed by decision time. */
export interface ScalingSummary {
  /** Epoch ms of the decision that executed this scaling. */
  readonly tsMs: number;
  readonly currentParallelism: number;
  readonly newParallelism: number;
  readonly metrics: ScalingSummaryMetrics;
  /**
   * Extension (catch-up settle): records/s of a scale-up's target capacity that were for catch-up
   * (CATCH_UP_DATA_RATE plus the restart term), i.e. target capacity − TDR / utilization.target.
   * Present only on scale-ups that had such a part and whose one right-sizing check is still due;
   * the check removes it. Absent on entries written by older versions (no settle then).
   */
  readonly catchUpCapacity?: number;
  /**
   * Extension (scale-up shortfall correction): true on a scale-up whose one check of the rate
   * reached at the new parallelism is still due; the check removes it. Absent on scale-downs,
   * when the feature is off, and on entries written by older versions (no check then).
   */
  readonly shortfallCheckDue?: boolean;
}

/** One executed scaling of the job, for restart-time tracking (Java `ScalingRecord`, docs/algorithm.md §6). */
export interface ScalingRecord {
  /** Epoch ms when the scaling was decided. */
  readonly startMs: number;
  /** Observed restart duration in ms (RUNNING timestamp − start); absent until measured. */
  readonly restartDurationMs?: number;
}

/** One pending scale-down recommendation (docs/algorithm.md §4.6). */
export interface DelayedRecommendation {
  readonly triggerTimeMs: number;
  readonly parallelism: number;
  readonly outsideUtilizationBound: boolean;
}

/** Pending delayed scale-down of one vertex (docs/algorithm.md §4.6). */
export interface DelayedScaleDownState {
  /** Epoch ms of the first scale-down trigger since the state was last cleared. */
  readonly firstTriggerTimeMs: number;
  /** Recommendations, oldest first, kept strictly decreasing in parallelism. */
  readonly recommendations: readonly DelayedRecommendation[];
}

/** Memory configuration changes to apply (Java `ConfigChanges`): removals first, then overrides. */
export interface ConfigChanges {
  readonly overrides: Readonly<Record<string, string>>;
  readonly removals: readonly string[];
}

/**
 * Everything the autoscaler remembers about one job between cycles, except the metric window
 * samples (stored as separate items) and the event log. Persisted as the `STATE` item.
 */
export interface JobState {
  /** Schema of this object; unknown versions are discarded and rebuilt. */
  readonly schemaVersion: 1;
  /** Flink JobID the state was built for; a new job id resets what depends on it. */
  readonly jobId?: string;
  /** Hash of the vertex set and edges; a changed topology resets per-vertex state. */
  readonly topologyHash?: string;
  /** Executed scalings per vertex, oldest first, trimmed by `history.max.count` / `history.max.age`. */
  readonly scalingHistory: Readonly<Record<VertexId, readonly ScalingSummary[]>>;
  /** Executed scalings of the job, oldest first, with measured restart durations. */
  readonly scalingTracking: readonly ScalingRecord[];
  /** Pending delayed scale-downs per vertex. */
  readonly delayedScaleDown: Readonly<Record<VertexId, DelayedScaleDownState>>;
  /** Parallelism overrides the autoscaler wants applied (every evaluated vertex). */
  readonly parallelismOverrides: Readonly<Record<VertexId, number>>;
  /** Memory configuration changes the autoscaler wants applied. */
  readonly configOverrides: ConfigChanges;
  /**
   * Memory usage history for the decaying-peak memory model (issue: memory tuning). Opaque to
   * everything but lib/tune.
   */
  readonly memoryHistory?: unknown;
  /** Epoch ms of the last completed evaluation. */
  readonly lastEvaluationMs?: number;
  /**
   * Extension: display names of the job's vertices (operator chains, shortened to
   * `MAX_STORED_VERTEX_NAME_CHARS`) from the last observed topology, so what is read from state
   * alone (`fsa status`) can name vertices. Absent in state written by older versions.
   */
  readonly vertexNames?: Readonly<Record<VertexId, string>>;
  /**
   * Extension: what the autoscaler has saved or added against the resource's own spec (see
   * {@link CostLedger}). Absent in state written by older versions: it starts on the next cycle.
   */
  readonly costLedger?: CostLedger;
  /**
   * Extension (rollback of an unhealthy rescale, docs/algorithm.md §13): the change under watch,
   * blocked changes and the last rollback. Absent on state written by older versions.
   */
  readonly rollback?: RollbackState;
}

/**
 * Running total of the TaskManager cost the autoscaler saved (positive) or added (negative)
 * compared with running the job as its resource spec says, accrued every cycle at the unit prices
 * of `job.autoscaler.cost.*` then in force.
 */
export interface CostLedger {
  /** Epoch ms the ledger started (the first cycle that priced this job). */
  readonly sinceMs: number;
  /** Epoch ms up to which the total is accrued (the last cycle). */
  readonly accruedToMs: number;
  /** TaskManagers the job runs at its spec's parallelism (before any change of the autoscaler). */
  readonly specTaskManagers: number;
  /** TaskManagers the job ran at the last cycle. */
  readonly currentTaskManagers: number;
  /** Price of one TaskManager at the last cycle, US dollars per hour. */
  readonly taskManagerUsdPerHour: number;
  /** US dollars saved against the spec since `sinceMs`; negative = the autoscaler added cost. */
  readonly savedUsd: number;
}

/** The empty state of a job that has never been evaluated. */
export function emptyJobState(): JobState {
  return {
    schemaVersion: 1,
    scalingHistory: {},
    scalingTracking: [],
    delayedScaleDown: {},
    parallelismOverrides: {},
    configOverrides: { overrides: {}, removals: [] },
  };
}
