/**
 * Job-level metrics of one window sample (docs/algorithm.md §2.4, "Global"), from TaskManager metrics
 * aggregated across TaskManagers and the JobManager's slot metrics.
 */
import type { GlobalSampleMetrics, RawJobManagerMetrics, RawTaskManagerMetrics } from '../domain/index.ts';
import { roundMetric } from '../domain/metric-rounding.ts';

/**
 * Computes the global sample metrics. Memory values are the max across TaskManagers of the
 * point-in-time value (the most loaded TaskManager decides whether memory is short). A metric
 * whose inputs are missing is omitted:
 * - `NUM_TASK_SLOTS_USED` = total − available, only when the JobManager reported both;
 * - `GC_PRESSURE` = max GC ms/s ÷ 1000, only on Flink versions with the GC metric;
 * - `HEAP_MEMORY_USED` and `HEAP_MAX_USAGE_RATIO` only when both heap used and heap max are
 *   present (the Java collector guards both on the pair; vector `global_metrics_sample`
 *   "heap used without heap max → nothing");
 * - `MANAGED_MEMORY_USED`, `METASPACE_MEMORY_USED` = max.
 * Every value goes through {@link roundMetric}.
 */
export function computeGlobalSampleMetrics(
  taskManagers: RawTaskManagerMetrics,
  jobManager: RawJobManagerMetrics,
): GlobalSampleMetrics {
  const out: { -readonly [K in keyof GlobalSampleMetrics]: number } = {};
  const put = (key: keyof GlobalSampleMetrics, value: number | undefined): void => {
    if (value !== undefined && !Number.isNaN(value)) out[key] = roundMetric(value);
  };

  const { taskSlotsTotal, taskSlotsAvailable } = jobManager;
  if (taskSlotsTotal !== undefined && taskSlotsAvailable !== undefined) {
    put('NUM_TASK_SLOTS_USED', taskSlotsTotal - taskSlotsAvailable);
  }
  const gcMax = taskManagers.gcTimeMsPerSecond?.max;
  if (gcMax !== undefined) put('GC_PRESSURE', gcMax / 1000);

  const heapUsed = taskManagers.heapUsedBytes?.max;
  const heapMax = taskManagers.heapMaxBytes?.max;
  if (heapUsed !== undefined && heapMax !== undefined) {
    put('HEAP_MEMORY_USED', heapUsed);
    put('HEAP_MAX_USAGE_RATIO', heapUsed / heapMax);
  }
  put('MANAGED_MEMORY_USED', taskManagers.managedUsedBytes?.max);
  put('METASPACE_MEMORY_USED', taskManagers.metaspaceUsedBytes?.max);
  return out;
}
