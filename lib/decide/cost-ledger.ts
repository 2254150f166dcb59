/**
 * The running total of what the autoscaler saved or added against the resource's own spec
 * (issue #18 item 3), accrued once per cycle. Pure.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { CostLedger, JobState, JobTopology, TaskManagerResources, VertexId } from '../domain/index.ts';
import { pricedTaskManager, taskManagerUsdPerHour, unitPricesOf } from './price-decision.ts';
import { countTaskManagers } from './task-manager-count.ts';
import { currentParallelismOf } from './topology-parallelism.ts';

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
 * Parallelism of a vertex under the resource's own spec: before the oldest scaling the autoscaler
 * remembers of it, else what it runs now (nothing changed it yet). Exact for a ledger that starts
 * with the job; for state from before the ledger existed it is as good as the kept history.
 */
export function specParallelismOf(
  topology: JobTopology,
  scalingHistory: JobState['scalingHistory'],
  vertexId: VertexId,
): number {
  return scalingHistory[vertexId]?.[0]?.currentParallelism ?? currentParallelismOf(topology, vertexId);
}

/** The job state's ledger after this cycle's observation of `topology`. */
export function nextCostLedger(
  state: Pick<JobState, 'costLedger' | 'scalingHistory'>,
  topology: JobTopology,
  options: AutoscalerOptions,
  taskManager: TaskManagerResources | undefined,
  nowMs: number,
): CostLedger {
  const slots = options.numberOfTaskSlots;
  const count = (parallelismOf: (id: VertexId) => number) =>
    countTaskManagers(topology, parallelismOf, slots).taskManagers;
  return accrueCostLedger(state.costLedger, {
    nowMs,
    currentTaskManagers: count((id) => currentParallelismOf(topology, id)),
    specTaskManagers: state.costLedger
      ? state.costLedger.specTaskManagers
      : count((id) => specParallelismOf(topology, state.scalingHistory, id)),
    taskManagerUsdPerHour: taskManagerUsdPerHour(pricedTaskManager(taskManager, options), unitPricesOf(options)),
  });
}
