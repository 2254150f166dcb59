/**
 * The price of a decision: its TaskManager delta in US dollars (issue #18 item 3). Plain data,
 * carried by the decision, the cycle result and the run record (lib/decide/price-decision.ts
 * computes it).
 */

/** Unit prices a decision is priced at (`job.autoscaler.cost.*`). */
export interface UnitPrices {
  /** US dollars per vCPU-hour. */
  readonly vcpuHourUsd: number;
  /** US dollars per GB-hour of memory (GB = 1024³ bytes). */
  readonly memoryGbHourUsd: number;
}

/** What one decision's change of TaskManagers costs (positive) or saves (negative). */
export interface DecisionPrice extends UnitPrices {
  /** TaskManagers before the change. */
  readonly currentTaskManagers: number;
  /** TaskManagers after the change. */
  readonly newTaskManagers: number;
  /** CPU cores per TaskManager that were priced. */
  readonly taskManagerCpu: number;
  /** Memory per TaskManager that was priced, bytes; absent = unknown, left out of the price. */
  readonly taskManagerMemoryBytes?: number;
  /** Price of one TaskManager, US dollars per hour. */
  readonly taskManagerUsdPerHour: number;
  /** (new − current) × the TaskManager's price, US dollars per hour. */
  readonly deltaUsdPerHour: number;
  /** The same over a month of 730 hours, US dollars. */
  readonly deltaUsdPerMonth: number;
}
