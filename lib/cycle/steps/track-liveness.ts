/**
 * After the cycle: a job that could not be evaluated continues (or starts) its not-ready spell,
 * read from the previous run record — loaded with the state, or one small read on a not-ready
 * cycle that stopped before loading.
 */
import { describeError } from '../../report/describe-error.ts';
import { notReadySpell, stuckLimitMs } from '../../report/liveness.ts';
import type { CycleResult } from '../cycle-result.ts';
import type { CycleContext } from './cycle-context.ts';

/** Whether the cycle ended without evaluating its job for a not-ready reason. */
export function isNotReady(result: CycleResult): boolean {
  return result.outcome === 'not-ready' || (result.outcome === 'decided' && result.decision?.action === 'not-ready');
}

/** The result with its not-ready spell, when the job was not ready. */
export async function trackLiveness(cycle: CycleContext, result: CycleResult): Promise<CycleResult> {
  const reason = cycle.notReadyReason;
  if (!reason || !isNotReady(result)) return result;
  if (cycle.previousRun === undefined) {
    cycle.previousRun = await cycle.deps.store.lastRun(cycle.key).then(
      (run) => run ?? null,
      (error: unknown) => {
        cycle.log.warn('could not read the last run; the not-ready spell starts now', {
          error: describeError(error),
        });
        return undefined;
      },
    );
  }
  const previous = cycle.previousRun ?? undefined;
  const limitMs = stuckLimitMs(cycle.options, cycle.cadenceMs);
  const spell = notReadySpell(reason, previous, cycle.nowMs, limitMs);
  if (spell.stuck) {
    cycle.log.warn('job not ready for longer than it can be by design', {
      reason,
      notReadyForMinutes: Math.round((cycle.nowMs - spell.sinceMs) / 60_000),
    });
  }
  return { ...result, notReady: spell };
}
