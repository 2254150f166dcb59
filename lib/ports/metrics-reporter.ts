import type { EvaluatedMetrics, JobKey, MemoryPlan, ScalingDecision } from '../domain/index.ts';

/** Per-job values reported next to the evaluation. */
export interface EvaluationReportExtras {
  /** The memory plan of this cycle (recommended or applied). */
  readonly memoryPlan?: MemoryPlan;
  /** Seconds since the job's previous evaluation (the cadence it really gets: jitter, missed ticks). */
  readonly evaluationAgeSeconds?: number;
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
  /** One failed cycle of a job. */
  reportJobError(jobKey: JobKey): void;
}
