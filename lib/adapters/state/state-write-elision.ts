/**
 * When a save may leave the stored state alone and write only the cycle's sample, the same in
 * every `StateStore` (issue #16: the state write was half of a steady cycle's write units).
 *
 * A steady cycle changes nothing in the state the next decision depends on; it only moves two
 * pieces of bookkeeping forward:
 * - `lastEvaluationMs`: the sample written by the same save records the evaluation, and `load`
 *   reports the later of the stored time and the newest sample's (see {@link lastEvaluationOf});
 * - the cost ledger's `accruedToMs` and `savedUsd`: with the TaskManager count and price unchanged
 *   (both are compared), accruing once over several cycles adds the same amount as accruing each
 *   cycle, as long as the gap stays under the ledger's cap (lib/decide/cost-ledger.ts, 1 h), which
 *   the refresh interval (`ItemLimits.stateRefreshMs`, 15 min) guarantees.
 *
 * Everything else — parallelism overrides, scaling history, delayed scale-downs, memory history,
 * the rollback watch, trimming of aged entries — is compared in the store's own stored form, so a
 * change of any of it is written, conditional on the revision, as before.
 */
import { costLedgerAsOf, type JobState, type MetricSample } from '../../domain/index.ts';
import type { LoadedJob, SaveRequest } from '../../ports/state-store.ts';
import type { ItemLimits } from './save-window.ts';

/**
 * `state` without its evaluation time and with the ledger's accrual of `reference` (both are
 * per-cycle bookkeeping): two states equal in this form decide the same.
 */
export function withoutBookkeeping(state: JobState, reference: JobState): JobState {
  const { lastEvaluationMs: _evaluated, ...rest } = state;
  const ledger = state.costLedger;
  const referenceLedger = reference.costLedger;
  if (!ledger || !referenceLedger) return rest;
  return {
    ...rest,
    costLedger: { ...ledger, accruedToMs: referenceLedger.accruedToMs, savedUsd: referenceLedger.savedUsd },
  };
}

/**
 * Whether `request` may leave the loaded state unwritten, by the rules every store shares: asked
 * for (`writeState` not `always`), a sample to record the evaluation, a state stored before
 * (and read, not discarded) and written less than `stateRefreshMs` before the sample. The store
 * then compares the states in its stored form ({@link withoutBookkeeping} applied to both) and
 * checks that its own encoding context (epoch, vertex dictionary, history context) is unchanged.
 */
export function mayLeaveStateUnwritten(loaded: LoadedJob, request: SaveRequest, limits: ItemLimits): boolean {
  const sample = request.sample;
  const writtenMs = loaded.basis.stateWrittenMs;
  if (request.writeState === 'always' || !sample || writtenMs === undefined) return false;
  if (loaded.revision === 0 || loaded.discarded !== undefined || loaded.basis.epoch < 0) return false;
  if (request.state.jobId !== loaded.basis.jobId || request.state.topologyHash !== loaded.basis.topologyHash)
    return false;
  const ageMs = sample.tsMs - writtenMs;
  return ageMs >= 0 && ageMs < limits.stateRefreshMs;
}

/**
 * The evaluation time a loaded job reports: the later of the stored state's and the newest
 * sample's of its window (a cycle that left the state unwritten is recorded by its sample).
 */
export function lastEvaluationOf(storedMs: number | undefined, samples: readonly MetricSample[]): number | undefined {
  const newest = samples.length > 0 ? samples[samples.length - 1]!.tsMs : undefined;
  if (storedMs === undefined) return newest;
  return newest === undefined ? storedMs : Math.max(storedMs, newest);
}

/**
 * `state` as of its last evaluation ({@link lastEvaluationOf}): that time, and the cost ledger
 * accrued to it at its own rate (exact: a cycle that saw another TaskManager count or price would
 * have written the state). Unchanged when no sample is later than the stored evaluation.
 */
export function withLastEvaluation(state: JobState, samples: readonly MetricSample[]): JobState {
  const lastEvaluationMs = lastEvaluationOf(state.lastEvaluationMs, samples);
  if (lastEvaluationMs === undefined || lastEvaluationMs === state.lastEvaluationMs) return state;
  const ledger = state.costLedger;
  return { ...state, lastEvaluationMs, ...(ledger ? { costLedger: costLedgerAsOf(ledger, lastEvaluationMs) } : {}) };
}
