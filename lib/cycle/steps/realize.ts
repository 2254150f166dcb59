/**
 * Step 7, realize: the stored overrides, every cycle (as the operator does in `finally`), so a run
 * that died between persist and realize is reconciled by the next one. No change → no write.
 */
import { type AutoscalerOptions, parseMemoryBytes } from '../../config/index.ts';
import type { DecideOutput } from '../../decide/decide.ts';
import type { RealizeResult, ScalingPlan } from '../../ports/scaling-realizer.ts';
import { StateConflictError } from '../../ports/state-store.ts';
import type { CycleContext, Stop } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';
import { conflictStop } from './persist.ts';

/** Builds the realizer's plan from the stored state; undefined when there is nothing of ours to apply. */
export function scalingPlanFor(
  output: Pick<DecideOutput, 'state'>,
  options: AutoscalerOptions,
  memoryTuning: boolean,
): ScalingPlan | undefined {
  const overrides = output.state.parallelismOverrides;
  const memory = output.state.configOverrides;
  const applyMemory =
    memoryTuning &&
    options.memoryTuningEnabled &&
    (Object.keys(memory.overrides).length > 0 || memory.removals.length > 0);
  if (Object.keys(overrides).length === 0 && !applyMemory) return undefined;
  const processSize = memory.overrides['taskmanager.memory.process.size'];
  return {
    parallelismOverrides: overrides,
    excludedVertices: options.vertexExcludeIds,
    ...(applyMemory ? { memoryConfig: memory } : {}),
    ...(applyMemory && processSize !== undefined
      ? { taskManagerMemoryBytes: parseMemoryBytes(processSize) }
      : {}),
  };
}

/**
 * Applies the plan (with the policy hook's patch instead of the proposed one when it modified the
 * change); undefined when there is nothing to apply. A steady cycle that left its state unwritten
 * makes the conditional state write before any write to the resource, and stops there if another
 * run saved the job first.
 */
export async function realize(
  cycle: CycleContext,
  { job, options, effectiveConfiguration }: ObservedJob,
  output: DecideOutput,
  patchOverride: Record<string, unknown> | undefined,
): Promise<RealizeResult | Stop | undefined> {
  const { deps, key } = cycle;
  const plan = scalingPlanFor(output, options, job.memoryTuning);
  if (!plan) return undefined;
  const beforeWrite = cycle.stateWriteBeforeRealize;
  try {
    return await deps.realizer.realize(key, plan, {
      ...(patchOverride ? { patchOverride } : {}),
      ...(effectiveConfiguration ? { effectiveConfiguration } : {}),
      ...(beforeWrite ? { beforeWrite } : {}),
    });
  } catch (error) {
    if (error instanceof StateConflictError) return conflictStop(error);
    throw error;
  }
}
