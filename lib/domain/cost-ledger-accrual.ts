/**
 * How the running total against the spec (`JobState.costLedger`, issue #18 item 3) accrues: pure
 * arithmetic on the ledger, shared by the core's per-cycle accrual (lib/decide/cost-ledger.ts) and
 * the stores, which report a ledger left unwritten by steady cycles as of its last evaluation
 * (lib/adapters/state/state-write-elision.ts).
 */
import type { CostLedger } from './job-state.ts';

/**
 * Longest stretch between two cycles that is accrued. Longer gaps (the autoscaler paused, the job
 * suspended or not RUNNING for a while) are not counted beyond this: nobody saw what ran then.
 */
export const MAX_ACCRUAL_GAP_MS = 60 * 60_000;

/** What one cycle knows for the ledger. */
export interface LedgerObservation {
  readonly nowMs: number;
  /** TaskManagers the job runs now. */
  readonly currentTaskManagers: number;
  /** TaskManagers at the spec's parallelism; only read when the ledger starts. */
  readonly specTaskManagers: number;
  /** Price of one TaskManager now, US dollars per hour. */
  readonly taskManagerUsdPerHour: number;
}

/**
 * The ledger after one more cycle. The time since the last cycle (capped at
 * {@link MAX_ACCRUAL_GAP_MS}) ran with the TaskManagers and price the last cycle saw, so it adds
 * (spec − those TaskManagers) × that price. The first cycle only starts the ledger.
 */
export function accrueCostLedger(previous: CostLedger | undefined, now: LedgerObservation): CostLedger {
  const next = {
    currentTaskManagers: now.currentTaskManagers,
    taskManagerUsdPerHour: now.taskManagerUsdPerHour,
    accruedToMs: now.nowMs,
  };
  if (!previous) return { sinceMs: now.nowMs, specTaskManagers: now.specTaskManagers, savedUsd: 0, ...next };
  const hours = Math.min(Math.max(0, now.nowMs - previous.accruedToMs), MAX_ACCRUAL_GAP_MS) / 3_600_000;
  const savedTaskManagers = previous.specTaskManagers - previous.currentTaskManagers;
  return {
    ...previous,
    ...next,
    accruedToMs: Math.max(previous.accruedToMs, now.nowMs),
    savedUsd: previous.savedUsd + savedTaskManagers * previous.taskManagerUsdPerHour * hours,
  };
}

/**
 * The ledger accrued to `nowMs` with its own TaskManager count and price (the cycles since it was
 * written saw them unchanged, or they would have written it); unchanged when `nowMs` is not later.
 */
export function costLedgerAsOf(ledger: CostLedger, nowMs: number): CostLedger {
  if (nowMs <= ledger.accruedToMs) return ledger;
  return accrueCostLedger(ledger, {
    nowMs,
    currentTaskManagers: ledger.currentTaskManagers,
    specTaskManagers: ledger.specTaskManagers,
    taskManagerUsdPerHour: ledger.taskManagerUsdPerHour,
  });
}
