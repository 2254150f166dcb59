/**
 * Step 3b, effective configuration: the configuration the job's JobManager reports (read by the
 * collector) holds what the operator's default configuration adds to the resource's own
 * `flinkConfiguration` (`FlinkConfigManager.getDeployConfig`, operator 1.x). It is used where it
 * matters: an operator-wide `job.autoscaler.enabled: true` refuses the job like a resource-level
 * one (two autoscalers would fight over the overrides), the task slots and the memory settings
 * the resource leaves out feed the options, and the realizer decides the upgrade path with it.
 * The read is best-effort: without it the cycle goes on with the resource's configuration.
 */
import { InvalidOptionError, resolveOptions } from '../../config/index.ts';
import { PARALLELISM_OVERRIDES_KEY } from '../../domain/owned-keys.ts';
import { MANAGED_LABEL } from '../../domain/resource-metadata.ts';
import { type CycleContext, emit, type Stop, stop } from './cycle-context.ts';
import type { RawObservation } from './collect.ts';
import type { ObservedJob } from './observe.ts';

/** How long a refusal event is not repeated for the same cause (as in observe.ts). */
const REFUSAL_EVENT_INTERVAL_MS = 30 * 60_000;

/** Flink's REST handlers mask secret values (`GlobalConfiguration.HIDDEN_CONTENT`). */
const MASKED_VALUE = '******';

/**
 * Whether a key the JobManager reports may feed the options: task slots and memory settings.
 * `taskmanager.memory.process.size` is left out: the operator writes it from
 * `spec.taskManager.resource.memory` (`FlinkConfigBuilder.applyTaskManagerSpec`), which discovery
 * reads from the resource itself, and a reported value is stale after a memory change.
 */
function feedsOptions(key: string, value: string): boolean {
  if (value === MASKED_VALUE || key === PARALLELISM_OVERRIDES_KEY) return false;
  if (key === 'taskmanager.memory.process.size') return false;
  return key === 'taskmanager.numberOfTaskSlots' || key.startsWith('taskmanager.memory.');
}

/** The operator's built-in autoscaler switch as the job's effective configuration sets it. */
function builtinAutoscalerEnabled(config: Readonly<Record<string, string>>): boolean {
  const value = config['job.autoscaler.enabled'] ?? config['kubernetes.operator.job.autoscaler.enabled'];
  return value?.trim().toLowerCase() === 'true';
}

/**
 * The observed job with its effective configuration and the options re-resolved from it, or a
 * stop when the operator's own autoscaler is enabled operator-wide.
 */
export async function applyEffectiveConfiguration(
  cycle: CycleContext,
  observed: ObservedJob,
  raw: RawObservation,
): Promise<ObservedJob | Stop> {
  const reported = raw.flinkConfiguration;
  if (!reported) return observed;
  const { job } = observed;
  const effective = { ...reported, ...job.flinkConfiguration };
  if (builtinAutoscalerEnabled(effective)) {
    const reason = `the operator's built-in autoscaler is enabled in the operator's default configuration (job.autoscaler.enabled: true, reported by the JobManager); set job.autoscaler.enabled: "false" in spec.flinkConfiguration or remove the ${MANAGED_LABEL} label`;
    await emit(cycle, {
      reason: 'InvalidConfiguration',
      type: 'Warning',
      message: reason,
      messageKey: 'refused:builtin-autoscaler-enabled',
      dedupeIntervalMs: REFUSAL_EVENT_INTERVAL_MS,
    });
    cycle.mode = 'refused';
    return stop({ outcome: 'refused', reason });
  }
  const fromJobManager = Object.fromEntries(
    Object.entries(reported).filter(([key, value]) => feedsOptions(key, value)),
  );
  if (Object.keys(fromJobManager).length === 0) return { ...observed, effectiveConfiguration: effective };
  try {
    // deployment defaults < what the operator deployed < the resource (which may be newer)
    const { options } = resolveOptions(cycle.deps.deploymentDefaults ?? {}, fromJobManager, job.flinkConfiguration);
    cycle.options = options;
    return { ...observed, options, effectiveConfiguration: effective };
  } catch (error) {
    // A value the operator deployed that our parser rejects must not stop the job: keep the
    // options resolved from the resource (observe.ts has already validated those).
    if (!(error instanceof InvalidOptionError)) throw error;
    cycle.log.warn('ignoring the JobManager-reported configuration for the options', { error: error.message });
    return { ...observed, effectiveConfiguration: effective };
  }
}
