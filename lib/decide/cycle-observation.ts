/**
 * What `decide` needs of a cycle's observation, from either of its two forms: the raw metrics a
 * live cycle collects ({@link observationOfRaw}), or a sample as the state store kept it with its
 * topology (the what-if replay over the state table, {@link observationOfSample}). Both give the
 * core the same numbers: `computeSample` rounds every value the way the stores keep it
 * (`roundMetric`, docs/algorithm.md §2.4), so a stored sample is the live one.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { JobTopology, MetricSample, RawJobMetrics, VertexId } from '../domain/index.ts';
import { computeSample, verticesWithoutBusyTime } from '../collect/index.ts';

/** One cycle's observation as the core uses it. */
export interface CycleObservation {
  /** The job graph with the parallelism that ran, the job id and its RUNNING time. */
  readonly topology: JobTopology;
  /** This cycle's sample, given the window before it (cleared after a restart). */
  sampleFor(previous: readonly MetricSample[]): MetricSample;
  /** Required metrics missing from the observation: the core never scales on those. */
  readonly missingRequired: readonly string[];
  /** Vertices without a busy-time metric this cycle, excluded from scaling (docs/algorithm.md §1.1). */
  readonly runtimeExcludedVertexIds: readonly VertexId[];
}

/** The observation of a live cycle (or of an `fsa record` capture): computed from raw metrics. */
export function observationOfRaw(raw: RawJobMetrics, options: AutoscalerOptions): CycleObservation {
  return {
    topology: raw.topology,
    sampleFor: (previous) => computeSample(raw, previous, options),
    missingRequired: raw.missingRequired ?? [],
    runtimeExcludedVertexIds: verticesWithoutBusyTime(raw, options),
  };
}

/**
 * The observation of a stored cycle: the sample as stored, with the topology it was taken on. A
 * vertex without LOAD is one whose busy time was missing: `computeSample` leaves LOAD out exactly
 * when `verticesWithoutBusyTime` lists the vertex (a FINISHED vertex has LOAD 0).
 */
export function observationOfSample(
  sample: MetricSample,
  topology: JobTopology,
  missingRequired: readonly string[] = [],
): CycleObservation {
  return {
    topology,
    sampleFor: () => sample,
    missingRequired,
    runtimeExcludedVertexIds: topology.vertices
      .filter((vertex) => sample.vertices[vertex.id]?.LOAD === undefined)
      .map((vertex) => vertex.id),
  };
}
