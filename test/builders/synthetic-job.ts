/**
 * Synthetic Flink jobs for benchmarks and property tests: a layered DAG of any size whose
 * metrics are consistent over time (cumulative counters grow linearly with the input rate, busy
 * time follows load ÷ capacity), so the window math sees a steady job.
 */
import type { JobTopology, RawJobMetrics, RawVertexMetrics, VertexInfo } from '../../lib/domain/index.ts';

export interface SyntheticJobSpec {
  /** Number of vertices (≥ 2). Roughly one in ten is a source. */
  readonly vertexCount: number;
  /** Input rate of each source in records/s. */
  readonly sourceRatePerSecond?: number;
  /** Records per second one subtask can process (the same for every vertex). */
  readonly subtaskCapacityPerSecond?: number;
  /** Parallelism of every vertex. */
  readonly parallelism?: number;
  /** Pending records of each source (constant). */
  readonly lagRecords?: number;
}

/** Hex-looking vertex id for index i (32 characters, like a JobVertexID). */
export function syntheticVertexId(index: number): string {
  return index.toString(16).padStart(32, '0');
}

/**
 * A layered DAG: sources in layer 0, then layers of up to 10 vertices; each vertex reads from
 * one or two vertices of the previous layer (HASH), so there are joins as well as chains.
 */
export function syntheticTopology(spec: SyntheticJobSpec, jobRunningTsMs = 0): JobTopology {
  const parallelism = spec.parallelism ?? 4;
  const sourceCount = Math.max(1, Math.floor(spec.vertexCount / 10));
  const vertices: VertexInfo[] = [];
  let previousLayer: string[] = [];
  let layer: string[] = [];
  for (let i = 0; i < spec.vertexCount; i++) {
    const id = syntheticVertexId(i);
    if (i < sourceCount) {
      vertices.push({
        id,
        parallelism,
        maxParallelism: 720,
        inputs: [],
        finished: false,
        numSourcePartitions: 0,
      });
      layer.push(id);
      if (i === sourceCount - 1) {
        previousLayer = layer;
        layer = [];
      }
      continue;
    }
    const position = (i - sourceCount) % 10;
    const first = previousLayer[position % previousLayer.length]!;
    const second = previousLayer[(position + 1) % previousLayer.length]!;
    const inputs = position % 3 === 0 && first !== second ? [first, second] : [first];
    vertices.push({
      id,
      parallelism,
      maxParallelism: 720,
      inputs: inputs.map((input) => ({ id: input, shipStrategy: 'HASH' as const })),
      finished: false,
      numSourcePartitions: 0,
    });
    layer.push(id);
    if (layer.length === 10 || i === spec.vertexCount - 1) {
      previousLayer = layer;
      layer = [];
    }
  }
  return { jobId: 'b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5', jobRunningTsMs, vertices };
}

/** Steady-state input rate of every vertex (records/s): sources get the source rate, others the sum of inputs. */
export function syntheticRates(topology: JobTopology, sourceRatePerSecond: number): Map<string, number> {
  const rates = new Map<string, number>();
  for (const vertex of topology.vertices) {
    rates.set(
      vertex.id,
      vertex.inputs.length === 0
        ? sourceRatePerSecond
        : vertex.inputs.reduce((sum, input) => sum + (rates.get(input.id) ?? 0), 0),
    );
  }
  return rates;
}

/** The raw observation of the synthetic job at `tsMs` (counters are cumulative since time 0). */
export function syntheticRawMetrics(
  spec: SyntheticJobSpec,
  topology: JobTopology,
  tsMs: number,
): RawJobMetrics {
  const sourceRate = spec.sourceRatePerSecond ?? 1000;
  const capacity = spec.subtaskCapacityPerSecond ?? 500;
  const rates = syntheticRates(topology, sourceRate);
  const seconds = tsMs / 1000;
  const vertices: Record<string, RawVertexMetrics> = {};
  for (const vertex of topology.vertices) {
    const rate = rates.get(vertex.id) ?? 0;
    const busyRatio = Math.min(1, rate / (capacity * vertex.parallelism));
    const isSource = vertex.inputs.length === 0;
    const busy = busyRatio * 1000;
    vertices[vertex.id] = {
      busyTimeMsPerSecond: {
        min: busy * 0.9,
        max: busy,
        avg: busy * 0.95,
        sum: busy * 0.95 * vertex.parallelism,
      },
      readRecords: isSource ? 0 : Math.round(rate * seconds),
      writeRecords: Math.round(rate * seconds),
      accumulatedBusyTimeMs: busy * vertex.parallelism * seconds,
      ...(isSource
        ? {
            backPressuredTimeMsPerSecond: { min: 0, max: 0, avg: 0, sum: 0 },
            sourceNumRecordsInPerSecond: rate,
            sourceNumRecordsIn: Math.round(rate * seconds),
            sourceNumRecordsOut: Math.round(rate * seconds),
            pendingRecords: spec.lagRecords ?? 0,
          }
        : { numRecordsInPerSecond: rate }),
    };
  }
  const gib = 1024 ** 3;
  return {
    collectedAtMs: tsMs,
    topology,
    vertices,
    taskManagers: {
      heapUsedBytes: { min: 0.4 * gib, max: 0.6 * gib, avg: 0.5 * gib },
      heapMaxBytes: { min: gib, max: gib, avg: gib },
      managedUsedBytes: { min: 0, max: 0, avg: 0 },
      metaspaceUsedBytes: { min: 80 * 1024 ** 2, max: 90 * 1024 ** 2, avg: 85 * 1024 ** 2 },
      gcTimeMsPerSecond: { min: 1, max: 5, avg: 2 },
    },
    jobManager: {
      taskSlotsTotal: topology.vertices.length * 4,
      taskSlotsAvailable:
        topology.vertices.length * 4 - Math.max(...topology.vertices.map((v) => v.parallelism)),
    },
  };
}
