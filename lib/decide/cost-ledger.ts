/**
 * The running total of what the autoscaler saved or added against the resource's own spec
 * (issue #18 item 3), accrued once per cycle. Pure. The accrual itself is domain arithmetic
 * (lib/domain/cost-ledger-accrual.ts), which the stores also use.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import {
  accrueCostLedger,
  type CostLedger,
  type JobState,
  type JobTopology,
  type TaskManagerResources,
  type VertexId,
} from '../domain/index.ts';
import { pricedTaskManager, taskManagerUsdPerHour, unitPricesOf } from './price-decision.ts';
import { countTaskManagers } from './task-manager-count.ts';
import { currentParallelismOf } from './topology-parallelism.ts';

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
