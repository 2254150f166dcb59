/**
 * Evaluated job-level metrics (docs/algorithm.md §3.7).
 */
import type { EvaluatedGlobalMetricName, EvaluatedMetric, MetricSample } from '../domain/index.ts';
import { globalMetricAverage, globalMetricValue } from '../domain/sample-series.ts';
import { roundMetric } from '../domain/metric-rounding.ts';

const WITH_AVERAGE: readonly EvaluatedGlobalMetricName[] = [
  'HEAP_MAX_USAGE_RATIO',
  'HEAP_MEMORY_USED',
  'MANAGED_MEMORY_USED',
  'METASPACE_MEMORY_USED',
];

/**
 * Every global metric, always present (NaN when unknown, so the executor's capacity check can
 * tell "JM metrics not ready" only by NaN, as in Java): GC_PRESSURE and NUM_TASK_SLOTS_USED as
 * latest values only (GC spikes are acted on immediately); heap, managed and metaspace memory as
 * latest value plus window average.
 */
export function evaluateGlobalMetrics(
  samples: readonly MetricSample[],
): Record<EvaluatedGlobalMetricName, EvaluatedMetric> {
  const latest = samples.at(-1);
  const current = (metric: EvaluatedGlobalMetricName): number =>
    latest === undefined ? Number.NaN : roundMetric(globalMetricValue(latest, metric));
  const out = {
    GC_PRESSURE: { current: current('GC_PRESSURE'), average: Number.NaN },
    NUM_TASK_SLOTS_USED: { current: current('NUM_TASK_SLOTS_USED'), average: Number.NaN },
  } as Record<EvaluatedGlobalMetricName, EvaluatedMetric>;
  for (const metric of WITH_AVERAGE) {
    out[metric] = { current: current(metric), average: roundMetric(globalMetricAverage(samples, metric)) };
  }
  return out;
}
