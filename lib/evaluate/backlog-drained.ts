/**
 * Extension (catch-up settle): whether the backlog a scale-up was sized to drain is gone.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { EvaluatedMetrics, JobTopology } from '../domain/index.ts';

/**
 * True when the job is not processing backlog (docs/algorithm.md §3.1) and every source's latest lag is at
 * most `catch-up.settle.lag-threshold` worth of its input (LAG ≤ threshold s × TARGET_DATA_RATE).
 *
 * The backlog flag alone is not enough: it only trips above `backlog-processing.lag-threshold`
 * (5 min of input by default), far more than a drained job carries. A source whose target rate is
 * unknown (NaN) makes the answer false: "drained" must be shown, never assumed. A missing lag was
 * already evaluated as 0 (docs/algorithm.md §3.2).
 */
export function isBacklogDrained(
  evaluated: EvaluatedMetrics,
  topology: JobTopology,
  options: Pick<AutoscalerOptions, 'catchUpSettleLagThresholdMs'>,
): boolean {
  if (evaluated.processingBacklog) return false;
  const thresholdSeconds = options.catchUpSettleLagThresholdMs / 1000;
  return topology.vertices
    .filter((vertex) => vertex.inputs.length === 0)
    .every((source) => {
      const metrics = evaluated.vertices[source.id];
      const lag = metrics?.LAG?.current ?? 0;
      const targetRate = metrics?.TARGET_DATA_RATE?.average ?? Number.NaN;
      if (Number.isNaN(targetRate)) return false;
      return (Number.isNaN(lag) ? 0 : lag) <= thresholdSeconds * targetRate;
    });
}
