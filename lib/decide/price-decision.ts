/**
 * The price of a decision (issue #18 item 3): a change of TaskManagers turned into US dollars per
 * hour and per month at the unit prices of `job.autoscaler.cost.*`. Pure.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { DecisionPrice, TaskManagerResources, UnitPrices } from '../domain/index.ts';

/** Hours in a month as AWS prices monthly figures (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** Bytes in a GB as Fargate and EC2 price memory (binary: a "4 GB" pod has 4096 MiB). */
export const BYTES_PER_GB = 1024 ** 3;

/** CPU and memory of one TaskManager as priced. */
export interface PricedTaskManager {
  readonly cpu: number;
  /** Absent = unknown (neither the spec nor `taskmanager.memory.process.size` says). */
  readonly memoryBytes?: number;
}

/** The unit prices of `job.autoscaler.cost.*`. */
export function unitPricesOf(options: Pick<AutoscalerOptions, 'costVcpuHourUsd' | 'costMemoryGbHourUsd'>): UnitPrices {
  return { vcpuHourUsd: options.costVcpuHourUsd, memoryGbHourUsd: options.costMemoryGbHourUsd };
}

/**
 * The TaskManager that is priced: CPU and memory from the resource spec, else from the
 * configuration. Without a CPU anywhere, Flink's Kubernetes default applies: "the cpu is set to
 * the number of slots per TaskManager" (KubernetesConfigOptions.TASK_MANAGER_CPU, default -1;
 * key `kubernetes.taskmanager.cpu.amount`, formerly `kubernetes.taskmanager.cpu`).
 */
export function pricedTaskManager(
  taskManager: TaskManagerResources | undefined,
  options: Pick<AutoscalerOptions, 'taskManagerCpu' | 'tmProcessSizeBytes' | 'numberOfTaskSlots'>,
): PricedTaskManager {
  const cpu = taskManager?.cpu ?? options.taskManagerCpu ?? options.numberOfTaskSlots;
  const memoryBytes = taskManager?.memoryBytes ?? options.tmProcessSizeBytes;
  return { cpu, ...(memoryBytes !== undefined ? { memoryBytes } : {}) };
}

/** US dollars per hour of one TaskManager: cpu × vCPU-hour + memory GB × GB-hour. */
export function taskManagerUsdPerHour(taskManager: PricedTaskManager, prices: UnitPrices): number {
  const memoryGb = (taskManager.memoryBytes ?? 0) / BYTES_PER_GB;
  return taskManager.cpu * prices.vcpuHourUsd + memoryGb * prices.memoryGbHourUsd;
}

/** The price of going from `currentTaskManagers` to `newTaskManagers`. */
export function priceOfChange(
  currentTaskManagers: number,
  newTaskManagers: number,
  taskManager: PricedTaskManager,
  prices: UnitPrices,
): DecisionPrice {
  const perTaskManager = taskManagerUsdPerHour(taskManager, prices);
  const deltaUsdPerHour = (newTaskManagers - currentTaskManagers) * perTaskManager;
  return {
    ...prices,
    currentTaskManagers,
    newTaskManagers,
    taskManagerCpu: taskManager.cpu,
    ...(taskManager.memoryBytes !== undefined ? { taskManagerMemoryBytes: taskManager.memoryBytes } : {}),
    taskManagerUsdPerHour: perTaskManager,
    deltaUsdPerHour,
    deltaUsdPerMonth: deltaUsdPerHour * HOURS_PER_MONTH,
  };
}

/**
 * Dollars for people: `$12.34`, with four decimals below one dollar (`$0.0988`: a TaskManager-hour
 * costs cents), and a sign when asked (`+$0.0988`, `−$73.53`; zero has none).
 */
export function formatUsd(amount: number, signed = false): string {
  const abs = Math.abs(amount);
  const digits = abs !== 0 && abs < 1 ? 4 : 2;
  const text = `$${abs.toFixed(digits)}`;
  if (Number(abs.toFixed(digits)) === 0) return text;
  if (amount < 0) return `−${text}`;
  return signed ? `+${text}` : text;
}

/** A count with its sign (`+2`, `−1`, `0`). */
function signedCount(n: number, digits = 0): string {
  const text = Math.abs(n).toFixed(digits).replace(/\.?0+$/, '') || '0';
  return n > 0 ? `+${text}` : n < 0 ? `−${text}` : text;
}

/**
 * One sentence a person can check:
 * `+2 TaskManagers (+4 vCPU, +8 GB): +$0.3949/h, +$288.29/month at $0.04048/vCPU-h and $0.004445/GB-h`.
 */
export function describePrice(price: DecisionPrice): string {
  const delta = price.newTaskManagers - price.currentTaskManagers;
  if (delta === 0) {
    return `no change in TaskManagers (${price.currentTaskManagers} before and after): $0.00/h`;
  }
  const tms = `${signedCount(delta)} TaskManager${Math.abs(delta) === 1 ? '' : 's'}`;
  const cpu = `${signedCount(delta * price.taskManagerCpu, 2)} vCPU`;
  const memory =
    price.taskManagerMemoryBytes === undefined
      ? 'memory unknown, not priced'
      : `${signedCount((delta * price.taskManagerMemoryBytes) / BYTES_PER_GB, 2)} GB`;
  return (
    `${tms} (${cpu}, ${memory}): ${formatUsd(price.deltaUsdPerHour, true)}/h, ` +
    `${formatUsd(price.deltaUsdPerMonth, true)}/month at $${price.vcpuHourUsd}/vCPU-h and ` +
    `$${price.memoryGbHourUsd}/GB-h`
  );
}
