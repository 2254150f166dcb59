/**
 * Step 6, persist: conditional on the loaded revision, so of two runs that loaded the same state
 * only the first saves; the other stops here before touching the resource. A steady cycle whose
 * state changed only by bookkeeping writes just its sample; should realize then need to write
 * the resource, it first makes the conditional state write (`stateWriteBeforeRealize`).
 */
import { optionConfigurationOf } from '../../config/index.ts';
import { type HistoryRecord, type JobState, recordedDecisionOf } from '../../domain/index.ts';
import type { DecideOutput } from '../../decide/decide.ts';
import { type LoadedJob, type SaveRequest, StateConflictError } from '../../ports/state-store.ts';
import type { RawObservation } from './collect.ts';
import { type CycleContext, type Stop, stop } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';

/**
 * Saves the state and the new sample (kept for the replay history with the decision when
 * `history.retention` > 0); a stop when another run saved first.
 */
export async function persist(
  cycle: CycleContext,
  observed: ObservedJob,
  raw: RawObservation,
  loaded: LoadedJob,
  output: DecideOutput,
  stateToSave: JobState,
): Promise<Stop | undefined> {
  const { options } = observed;
  const history = options.historyRetentionMs > 0 ? historyRecord(cycle, observed, raw, output) : undefined;
  const request: SaveRequest = {
    state: stateToSave,
    sample: output.sample,
    windowMs: options.metricsWindowMs,
    ...(history ? { history } : {}),
  };
  try {
    const saved = await cycle.deps.store.save(cycle.key, loaded, request);
    cycle.savedState = true;
    if (!saved.stateWritten) cycle.stateWriteBeforeRealize = once(() => saveState(cycle, loaded, request));
    return undefined;
  } catch (error) {
    if (error instanceof StateConflictError) return conflictStop(error);
    throw error;
  }
}

/** How a cycle ends that lost the job's revision to another run, at persist or before a deferred write. */
export function conflictStop(error: StateConflictError): Stop {
  return stop({ outcome: 'skipped', reason: `another run saved this job first: ${error.message}` });
}

/**
 * The state write a steady save left out, conditional on the loaded revision (the sample is
 * written again with it: an idempotent overwrite, in the rare cycle that patches without a change
 * of state, such as re-applying overrides someone removed from the spec).
 */
async function saveState(cycle: CycleContext, loaded: LoadedJob, request: SaveRequest): Promise<void> {
  await cycle.deps.store.save(cycle.key, loaded, { ...request, writeState: 'always' });
}

/** `run` called at most once; later calls share the first call's promise. */
function once(run: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => (pending ??= run());
}

/**
 * What the replay needs beyond the sample: the decision as persisted (after the rollback watch),
 * and the context the core decided in — the store writes the context only when it changes.
 */
function historyRecord(
  cycle: CycleContext,
  { job, options }: ObservedJob,
  raw: RawObservation,
  output: DecideOutput,
): HistoryRecord {
  const missing = raw.missingRequired ?? [];
  return {
    retentionMs: options.historyRetentionMs,
    decision: recordedDecisionOf(output.decision),
    ...(missing.length > 0 ? { missingRequired: missing } : {}),
    context: {
      topology: raw.topology,
      configuration: optionConfigurationOf(options.flinkConfiguration),
      cadenceMs: cycle.cadenceMs,
      ...(job.taskManager ? { taskManager: job.taskManager } : {}),
    },
  };
}
