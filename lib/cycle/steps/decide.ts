/**
 * Step 5, decide: the pure core, fed with the observation, the loaded window and state, and the
 * cluster's capacity when the capacity guard is enabled (`resource-view.refresh-interval` > 0).
 */
import { type DecideOutput, decide } from '../../decide/decide.ts';
import type { LoadedJob } from '../../ports/state-store.ts';
import type { RawObservation } from './collect.ts';
import type { CycleContext } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';

/** Runs the core for this cycle. */
export async function decideStep(
  cycle: CycleContext,
  { job, options }: ObservedJob,
  raw: RawObservation,
  loaded: LoadedJob,
): Promise<DecideOutput> {
  const { deps, nowMs } = cycle;
  // The capacity read is a cluster-wide list: only made when the guard will use it.
  const capacity =
    deps.capacity && options.resourceViewRefreshIntervalMs > 0
      ? await deps.capacity.snapshot({ nowMs, maxAgeMs: options.resourceViewRefreshIntervalMs })
      : undefined;
  const output = decide({
    options,
    raw,
    samples: loaded.samples,
    state: loaded.state,
    nowMs,
    cadenceMs: cycle.cadenceMs,
    ...(job.taskManager ? { taskManager: job.taskManager } : {}),
    ...(capacity ? { clusterCapacity: capacity } : {}),
    memoryTuning: job.memoryTuning,
  });
  if (output.notReadyReason) cycle.notReadyReason = output.notReadyReason;
  return output;
}
