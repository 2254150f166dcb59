/**
 * The CloudWatch metric catalog: namespace, dimension names and metric names shared by the EMF
 * reporter (which writes them) and the CDK dashboard and alarms (which read them). Keeping both
 * sides on these constants is what stops a renamed metric from silently emptying a dashboard.
 *
 * This module must stay free of runtime dependencies: the CDK app imports it at synth time.
 */

/** CloudWatch namespace of every metric the autoscaler emits. */
export const METRICS_NAMESPACE = 'FlinkServerlessAutoscaler';

/** Dimension names. `Resource` is `<kind>/<name>` because a deployment and a session job may share a name. */
export const DIMENSION = {
  cluster: 'Cluster',
  namespace: 'Namespace',
  resource: 'Resource',
  vertex: 'Vertex',
  service: 'Service',
} as const;

/** Dimension set of per-vertex metrics, in emission order. */
export const VERTEX_DIMENSIONS = [
  DIMENSION.cluster,
  DIMENSION.namespace,
  DIMENSION.resource,
  DIMENSION.vertex,
] as const;

/** Dimension set of per-job metrics, in emission order. */
export const JOB_DIMENSIONS = [DIMENSION.cluster, DIMENSION.namespace, DIMENSION.resource] as const;

/**
 * Dimension set of per-run metrics. `Service` is the deployment's service name, so two deployments in
 * one account (stages) keep separate run metrics and alarms.
 */
export const RUN_DIMENSIONS = [DIMENSION.service] as const;

/** CloudWatch units used by the catalog (the strings CloudWatch and Powertools share). */
export type CatalogUnit = 'Count' | 'Count/Second' | 'Bytes' | 'Milliseconds' | 'Seconds' | 'None';

/**
 * Per-vertex metrics with the operator's names (docs/algorithm.md §8.2). Each carries the latest value
 * (the operator's `Current` gauge).
 */
export const VERTEX_METRIC = {
  LOAD: { name: 'LOAD', unit: 'None' },
  TRUE_PROCESSING_RATE: { name: 'TRUE_PROCESSING_RATE', unit: 'Count/Second' },
  TARGET_DATA_RATE: { name: 'TARGET_DATA_RATE', unit: 'Count/Second' },
  CATCH_UP_DATA_RATE: { name: 'CATCH_UP_DATA_RATE', unit: 'Count/Second' },
  LAG: { name: 'LAG', unit: 'Count' },
  PARALLELISM: { name: 'PARALLELISM', unit: 'Count' },
  RECOMMENDED_PARALLELISM: { name: 'RECOMMENDED_PARALLELISM', unit: 'Count' },
  MAX_PARALLELISM: { name: 'MAX_PARALLELISM', unit: 'Count' },
  NUM_SOURCE_PARTITIONS: { name: 'NUM_SOURCE_PARTITIONS', unit: 'Count' },
  SCALE_UP_RATE_THRESHOLD: { name: 'SCALE_UP_RATE_THRESHOLD', unit: 'Count/Second' },
  SCALE_DOWN_RATE_THRESHOLD: { name: 'SCALE_DOWN_RATE_THRESHOLD', unit: 'Count/Second' },
  EXPECTED_PROCESSING_RATE: { name: 'EXPECTED_PROCESSING_RATE', unit: 'Count/Second' },
} as const satisfies Record<string, MetricSpec>;

/** Suffix of the window-average companion metric (the operator's `Average` gauge). */
export const AVERAGE_SUFFIX = '_AVERAGE';

/** The vertex metrics that also get a window average, as in the operator (docs/algorithm.md §8.2). */
export const AVERAGED_VERTEX_METRICS = ['LOAD', 'TRUE_PROCESSING_RATE', 'TARGET_DATA_RATE'] as const;

/** Per-job metrics. */
export const JOB_METRIC = {
  HEAP_MAX_USAGE_RATIO: { name: 'HEAP_MAX_USAGE_RATIO', unit: 'None' },
  GC_PRESSURE: { name: 'GC_PRESSURE', unit: 'None' },
  /** Recommended TaskManager process memory of the memory plan. */
  MEMORY_RECOMMENDATION: { name: 'MemoryRecommendationBytes', unit: 'Bytes' },
  /** Per-TaskManager saving of the memory plan. */
  MEMORY_SAVING: { name: 'MemorySavingBytes', unit: 'Bytes' },
  /** 1 when the cycle decided to rescale (the operator's `scalings` counter). */
  SCALINGS: { name: 'Scalings', unit: 'Count' },
  /** 1 when the cycle found the job balanced (the operator's `balanced` counter). */
  BALANCED: { name: 'Balanced', unit: 'Count' },
  /** 1 when a change was recommended but a guard blocked it. */
  BLOCKED: { name: 'Blocked', unit: 'Count' },
  /** 1 per failed cycle of the job (the operator's `errors` counter). */
  ERRORS: { name: 'Errors', unit: 'Count' },
  /** Age of the newest sample the evaluation used: grows when collection stalls. */
  EVALUATION_AGE: { name: 'EvaluationAgeSeconds', unit: 'Seconds' },
} as const satisfies Record<string, MetricSpec>;

/**
 * Per-run metrics (one worker batch or one dispatcher tick): the fleet-level metrics. Every one has
 * only the `Service` dimension (plus `Reason` for NotReadyCycles), so their number does not grow
 * with jobs or vertices. Per-job ({@link JOB_METRIC}) and per-vertex ({@link VERTEX_METRIC})
 * metrics are written only for jobs with the detailed-metrics annotation; every job's detail is in
 * its {@link CYCLE_RECORD}.
 */
export const RUN_METRIC = {
  /** Duration of one worker run (a batch of job cycles). */
  RUN_DURATION: { name: 'RunDurationMs', unit: 'Milliseconds' },
  /** Duration of one dispatcher tick; separate so worker durations are not averaged with it. */
  DISPATCH_DURATION: { name: 'DispatchDurationMs', unit: 'Milliseconds' },
  /** Cycles that evaluated a job on a full metric window (not-ready cycles do not count). */
  JOBS_EVALUATED: { name: 'JobsEvaluated', unit: 'Count' },
  /**
   * Cycles that found a job not ready, with the dimension `Reason` (see {@link NOT_READY_REASONS}):
   * a handful of fleet-level metrics, never one per job.
   */
  NOT_READY_CYCLES: { name: 'NotReadyCycles', unit: 'Count' },
  /**
   * Jobs not ready for longer than they can be by design (stabilization + metric window + three
   * cadences + a margin): the autoscaler is stuck on them, and the alarm says so.
   */
  STUCK_JOBS: { name: 'StuckJobs', unit: 'Count' },
  /** Jobs the dispatcher fanned out to the queue. */
  JOBS_DISPATCHED: { name: 'JobsDispatched', unit: 'Count' },
  ERRORS: { name: 'Errors', unit: 'Count' },
  /** Cycles that decided to rescale their job (the fleet's sum of the operator's `scalings`). */
  JOBS_SCALED: { name: 'JobsScaled', unit: 'Count' },
  /** Cycles whose recommended change a guard blocked. */
  JOBS_BLOCKED: { name: 'JobsBlocked', unit: 'Count' },
} as const satisfies Record<string, MetricSpec>;

/**
 * The per-cycle log record (./cycle-record.ts) that carries per-job and per-vertex detail: a JSON
 * line with `"fsa":"cycle"`, which the dashboard's Logs Insights widgets filter on.
 */
export const CYCLE_RECORD = { markerKey: 'fsa', markerValue: 'cycle' } as const;

/** Dimension of {@link RUN_METRIC.NOT_READY_CYCLES}: why a cycle could not evaluate its job. */
export const REASON_DIMENSION = 'Reason';

/** Values of {@link REASON_DIMENSION}: lib/domain/run-record.ts (a handful, never one per job). */
export { NOT_READY_REASONS } from '../../domain/run-record.ts';

/** A metric name with its unit. */
export interface MetricSpec {
  readonly name: string;
  readonly unit: CatalogUnit;
}
