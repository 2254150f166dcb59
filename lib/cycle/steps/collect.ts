/**
 * Step 3, collect: one raw observation over the Flink REST API. A job whose metrics are not there
 * yet, or whose id the cluster does not know (a redeploy in progress), is not ready, not failed.
 */
import {
  JobNotFoundError,
  MetricsNotReadyError,
  type MetricsSource,
} from '../../ports/metrics-source.ts';
import { type CycleContext, type Stop, stop } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';

/** The raw observation the metrics source returns. */
export type RawObservation = Awaited<ReturnType<MetricsSource['collect']>>;

/** Collects the job's metrics; a stop when they cannot be measured yet. */
export async function collect(
  cycle: CycleContext,
  { job, options }: ObservedJob,
): Promise<RawObservation | Stop> {
  const { deps, nowMs, log } = cycle;
  const target = await deps.restTarget(job);
  try {
    const jobId = target.jobId ?? job.jobId;
    return await deps.metrics.collect(jobId ? { ...target, jobId } : target, options, nowMs);
  } catch (error) {
    if (error instanceof MetricsNotReadyError) {
      log.debug('metrics not ready', { reason: error.reason });
      cycle.notReadyReason = 'metrics';
      if (error.jobState !== undefined) cycle.flinkJobState = error.jobState;
      return stop({ outcome: 'not-ready', reason: error.message });
    }
    if (error instanceof JobNotFoundError) {
      // The resource's status still names the previous job id while the operator redeploys.
      log.info('job id unknown to the cluster (redeploy in progress?)', { jobId: error.jobId });
      cycle.notReadyReason = 'resource';
      return stop({ outcome: 'not-ready', reason: error.message });
    }
    throw error;
  }
}
