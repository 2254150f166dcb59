import type { EvaluatedMetrics, JobKey, MemoryPlan, ScalingDecision, VertexId } from '../domain/index.ts';

/** Per-job values reported next to the evaluation. */
export interface EvaluationReportExtras {
  /** The memory plan of this cycle (recommended or applied). */
  readonly memoryPlan?: MemoryPlan;
  /** Seconds since the job's previous evaluation (the cadence it really gets: jitter, missed ticks). */
  readonly evaluationAgeSeconds?: number;
  /**
   * Whether the job opted in to per-job and per-vertex metrics (annotation
   * `flink-serverless-autoscaler/detailed-metrics: "true"`). @default false: fleet metrics only
   */
  readonly detailedMetrics?: boolean;
  /** Vertex names (operator chains) by JobVertexID, so per-vertex detail is readable. */
  readonly vertexNames?: Readonly<Record<VertexId, string>>;
  /**
   * Time of the cycle (epoch ms): with {@link previousEvaluationMs} it tells whether the per-vertex
   * detail of a cycle that changed nothing is due (the log reporter writes it once per interval).
   */
  readonly cycleTimeMs?: number;
  /** Time of the job's previous evaluation (epoch ms); absent on its first. */
  readonly previousEvaluationMs?: number;
  /** The cycle scaled, was blocked, realized something or got a policy verdict. @default false */
  readonly changed?: boolean;
  /** What the autoscaler saved (+) or added (−) against the resource's own spec so far, USD. */
  readonly savedUsd?: number;
}

/**
 * Where per-job metrics go (CloudWatch through EMF in Lambda, a collector in tests). Reporting
 * never fails a cycle: implementations buffer and flush outside the cycle.
 */
export interface MetricsReporter {
  /** The evaluated metrics per vertex and the decision of one job. */
  reportEvaluation(
    jobKey: JobKey,
    evaluated: EvaluatedMetrics | undefined,
    decision: ScalingDecision,
    extras?: EvaluationReportExtras,
  ): void;
  /** One failed cycle of a job (per-job metric only with `detailedMetrics`). */
  reportJobError(jobKey: JobKey, options?: { readonly detailedMetrics?: boolean }): void;
}
