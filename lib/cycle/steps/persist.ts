/**
 * Step 6, persist: conditional on the loaded revision, so of two runs that loaded the same state
 * only the first saves; the other stops here before touching the resource.
 */
import type { JobState } from '../../domain/index.ts';
import type { DecideOutput } from '../../decide/decide.ts';
import { type LoadedJob, StateConflictError } from '../../ports/state-store.ts';
import { type CycleContext, type Stop, stop } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';

/** Saves the state and the new sample; a stop when another run saved first. */
export async function persist(
  cycle: CycleContext,
  { options }: ObservedJob,
  loaded: LoadedJob,
  output: DecideOutput,
  stateToSave: JobState,
): Promise<Stop | undefined> {
  try {
    await cycle.deps.store.save(cycle.key, loaded, {
      state: stateToSave,
      sample: output.sample,
      windowMs: options.metricsWindowMs,
    });
    cycle.savedState = true;
    return undefined;
  } catch (error) {
    if (error instanceof StateConflictError) {
      return stop({ outcome: 'skipped', reason: `another run saved this job first: ${error.message}` });
    }
    throw error;
  }
}
