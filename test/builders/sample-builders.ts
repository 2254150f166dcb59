/**
 * Small fixture builders for the metrics and evaluation tests.
 */
import type {
  GlobalSampleMetrics,
  JobTopology,
  MetricSample,
  VertexInfo,
  VertexSampleMetrics,
} from '../../lib/domain/index.ts';

/** A window sample at `tsMs` with the given per-vertex and global metrics. */
export function aSample(
  tsMs: number,
  vertices: Record<string, VertexSampleMetrics> = {},
  global: GlobalSampleMetrics = {},
): MetricSample {
  return { tsMs, vertices, global };
}

/** A vertex reading from `inputs` (REBALANCE edges); defaults: parallelism 1, 128 key groups. */
export function aVertex(
  id: string,
  inputs: readonly string[] = [],
  extra: Partial<VertexInfo> = {},
): VertexInfo {
  return {
    id,
    parallelism: 1,
    maxParallelism: 128,
    inputs: inputs.map((input) => ({ id: input, shipStrategy: 'REBALANCE' })),
    finished: false,
    numSourcePartitions: 0,
    ...extra,
  };
}

/** A topology of the given vertices, RUNNING since `jobRunningTsMs`. */
export function aTopology(vertices: readonly VertexInfo[], jobRunningTsMs = 0): JobTopology {
  return { jobId: 'f'.repeat(32), jobRunningTsMs, vertices };
}
