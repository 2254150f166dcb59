/**
 * Retire: the job is no longer managed (deleted, or the opt-in label removed). Once, while it still
 * has state, take our overrides back if the resource asks for it (`on-disable: restore`), remove the
 * job's items and record an event that outlives them (TTL). Later ticks find nothing to do.
 */
import type { WithdrawResult } from '../../ports/scaling-realizer.ts';
import { retirementMessage } from '../../report/retirement-message.ts';
import type { CycleResult } from '../cycle-result.ts';
import { ownedChangesOf } from '../owned-changes.ts';
import { type CycleContext, emit } from './cycle-context.ts';

/** Cleans up a job that is no longer managed; `gone`, or `skipped` while it is still managed. */
export async function retire(cycle: CycleContext): Promise<CycleResult> {
  const { deps, key, nowMs, log } = cycle;
  const loaded = await deps.store.load(key, { sinceMs: nowMs });
  if (loaded.revision === 0 && !loaded.discarded) {
    return { outcome: 'gone', reason: 'the resource no longer exists or lost the opt-in label' };
  }
  const owned = ownedChangesOf(loaded.state);
  const withdrawn: WithdrawResult = deps.realizer.withdraw
    ? await deps.realizer.withdraw(key, owned)
    : { outcome: 'kept', reason: 'the realizer cannot withdraw; the resource was left as it is' };
  if (withdrawn.outcome === 'still-managed') {
    return { outcome: 'skipped', reason: `not cleaned up: ${withdrawn.reason}` };
  }
  const forgotten = await deps.store.forgetJob(key);
  const message = retirementMessage(withdrawn, forgotten.itemsDeleted);
  await emit(cycle, { reason: 'AutoscalerDisabled', type: 'Normal', message });
  log.info('job no longer managed; state removed', {
    resource: withdrawn.outcome,
    items: forgotten.itemsDeleted,
  });
  return {
    outcome: 'gone',
    reason: message,
    cleanup: { resource: withdrawn.outcome, itemsDeleted: forgotten.itemsDeleted },
  };
}
