/**
 * Job-level "processing backlog" flag (docs/algorithm.md §3.1).
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { JobTopology, MetricSample } from '../domain/index.ts';
import { counterRate, vertexMetricValue } from '../domain/sample-series.ts';

/**
 * True when some source needs more than `backlog-processing.lag-threshold` (whole seconds) to
 * drain its current lag at its window input rate. A catching-up job runs hot by design, so the
 * thresholds widen (docs/algorithm.md §3.6) instead of scaling it down. A source without an input rate
 * (NaN) does not count; a missing latest LAG counts as 0.
 */
export function isProcessingBacklog(
  samples: readonly MetricSample[],
  topology: JobTopology,
  options: Pick<AutoscalerOptions, 'backlogProcessingLagThresholdMs'>,
): boolean {
  const latest = samples.at(-1);
  if (latest === undefined) return false;
  const thresholdSeconds = Math.trunc(options.backlogProcessingLagThresholdMs / 1000);
  return topology.vertices
    .filter((vertex) => vertex.inputs.length === 0)
    .some((source) => {
      const inputRate = counterRate(samples, source.id, 'NUM_RECORDS_IN');
      if (Number.isNaN(inputRate)) return false;
      const lag = vertexMetricValue(latest, source.id, 'LAG');
      return (Number.isNaN(lag) ? 0 : lag) / inputRate > thresholdSeconds;
    });
}
