/** Keeps how the cycle ended for `fsa status`; see ../run-record.ts for what is recorded. */
import { describeError } from '../../report/describe-error.ts';
import type { CycleResult } from '../cycle-result.ts';
import { isRepeatedRun, runRecordOf } from '../run-record.ts';
import type { CycleContext } from './cycle-context.ts';

/**
 * Writes the run record; a failure to record is logged, never fails the cycle. A cycle that saved
 * the state and ended exactly as the recorded run did writes nothing (docs/design.md §5: one write
 * unit less per steady cycle); its time is the state's `lastEvaluationMs`, which `fsa status` shows.
 */
export async function recordRun(cycle: CycleContext, result: CycleResult): Promise<void> {
  const run = runRecordOf(result, cycle.nowMs, cycle.mode);
  if (!run) return;
  if (cycle.savedState && cycle.previousRun && isRepeatedRun(cycle.previousRun, run)) return;
  await cycle.deps.store.recordRun(cycle.key, run).catch((error: unknown) => {
    cycle.log.warn('could not record the run for status', { error: describeError(error) });
  });
}
