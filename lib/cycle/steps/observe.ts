/**
 * Step 2, observe: the resource as it is now (readiness, conflicts) and its options resolved from
 * the deployment defaults and its own flinkConfiguration. A resource that needs a user fix is
 * refused with a de-duplicated event; one that is merely not ready yet is skipped quietly.
 */
import { type AutoscalerOptions, InvalidOptionError, resolveOptions, shortWindowWarning } from '../../config/index.ts';
import { wantsDetailedMetrics } from '../../domain/resource-metadata.ts';
import type { DiscoveredJob } from '../../ports/job-discovery.ts';
import { type CycleContext, emit, isStop, type Stop, stop } from './cycle-context.ts';

/** How long a refusal event is not repeated for the same cause. */
const REFUSAL_EVENT_INTERVAL_MS = 30 * 60_000;

/** A managed, ready job and its effective options. */
export interface ObservedJob {
  readonly job: DiscoveredJob;
  readonly options: AutoscalerOptions;
  /**
   * The job's configuration as its JobManager reports it, with the resource's on top
   * (apply-effective-configuration.ts); absent before collection or when it could not be read.
   */
  readonly effectiveConfiguration?: Readonly<Record<string, string>>;
}

/**
 * Reads the job; undefined when it is no longer managed (deleted or opt-in label removed: the
 * caller retires it), a stop when it is not ready or refused.
 */
export async function observe(cycle: CycleContext): Promise<ObservedJob | Stop | undefined> {
  const job = await cycle.deps.discovery.getJob(cycle.key);
  if (!job) return undefined;
  cycle.detailedMetrics = wantsDetailedMetrics(job.annotations);
  cycle.job = job;
  if (!job.readiness.ready) {
    if (job.readiness.refused) {
      await emit(cycle, {
        reason: 'InvalidConfiguration',
        type: 'Warning',
        message: job.readiness.reason,
        messageKey: `refused:${job.readiness.code}`,
        dedupeIntervalMs: REFUSAL_EVENT_INTERVAL_MS,
      });
      cycle.mode = 'refused';
      return stop({ outcome: 'refused', reason: job.readiness.reason });
    }
    cycle.log.debug('not ready', { code: job.readiness.code, reason: job.readiness.reason });
    cycle.notReadyReason = 'resource';
    return stop({ outcome: 'not-ready', reason: job.readiness.reason });
  }
  const options = await resolveJobOptions(cycle, job);
  if (isStop(options)) return options;
  cycle.options = options;
  return { job, options };
}

/** Resolves the options; warnings become events, an invalid value refuses the job until fixed. */
async function resolveJobOptions(
  cycle: CycleContext,
  job: DiscoveredJob,
): Promise<AutoscalerOptions | Stop> {
  try {
    const resolved = resolveOptions(cycle.deps.deploymentDefaults ?? {}, job.flinkConfiguration);
    const options = resolved.options;
    cycle.mode = options.scalingEnabled ? 'active' : 'recommendation-only';
    const shortWindow = shortWindowWarning(options, cycle.cadenceMs);
    for (const warning of [...resolved.warnings, ...(shortWindow ? [shortWindow] : [])]) {
      await emit(cycle, {
        reason: 'InvalidConfiguration',
        type: 'Warning',
        message: warning,
        messageKey: `warning:${warning}`,
        dedupeIntervalMs: options.scalingEventIntervalMs,
      });
    }
    return options;
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    await emit(cycle, {
      reason: 'InvalidConfiguration',
      type: 'Warning',
      message: `${error.message}. This job is skipped until the value is fixed.`,
      messageKey: `invalid:${error.key}:${error.value}`,
      dedupeIntervalMs: REFUSAL_EVENT_INTERVAL_MS,
    });
    cycle.mode = 'refused';
    return stop({ outcome: 'refused', reason: error.message });
  }
}
