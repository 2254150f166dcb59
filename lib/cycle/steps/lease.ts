/**
 * Step 1, lease: only one run acts on a job at a time (duplicate or concurrent SQS deliveries).
 * The lease lapses on its own after its TTL, so a crashed run never blocks a job for long.
 */
import { LeaseHeldError } from '../../ports/state-store.ts';
import { describeError } from '../../report/describe-error.ts';
import { type CycleContext, type Stop, stop } from './cycle-context.ts';
import { fail } from './fail.ts';

const DEFAULT_LEASE_TTL_MS = 5 * 60_000;

/** Takes the job's lease; a stop when another run holds it or the store failed. */
export async function acquireLease(cycle: CycleContext): Promise<Stop | undefined> {
  const { deps, key, nowMs, log } = cycle;
  try {
    await deps.store.acquireLease(key, {
      owner: deps.runId,
      nowMs,
      ttlMs: deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
    });
    return undefined;
  } catch (error) {
    if (error instanceof LeaseHeldError) {
      log.info('another run holds the lease; skipping', { reason: error.message });
      return stop({ outcome: 'skipped', reason: `another run holds the lease: ${error.message}` });
    }
    return stop(await fail(cycle, error, 'acquire the job lease'));
  }
}

/** Gives the lease back; a failure is logged only (the lease lapses on its own). */
export async function releaseLease(cycle: CycleContext): Promise<void> {
  await cycle.deps.store.releaseLease(cycle.key, cycle.deps.runId).catch((error: unknown) => {
    cycle.log.warn('could not release the lease; it lapses on its own', { error: describeError(error) });
  });
}
