/**
 * Series of past observations of one synthetic job, for the replay engine's tests: the steady
 * synthetic job of `synthetic-job.ts` observed every `stepMs`, optionally rescaled (a new job
 * attempt with another parallelism) part-way through.
 */
import type { JobObservation } from '../../lib/domain/index.ts';
import { type SyntheticJobSpec, syntheticRawMetrics, syntheticTopology } from './synthetic-job.ts';

/** Options of {@link anObservationSeries}. */
export interface ObservationSeriesSpec extends SyntheticJobSpec {
  /** Time of the first observation, epoch ms (the job has been RUNNING since 0). @default 60 000 */
  readonly fromMs?: number;
  /** Interval between observations. @default 60 000 */
  readonly stepMs?: number;
  readonly count: number;
  /**
   * A real rescale: from this time on the job runs with `parallelism` under a new job id, RUNNING
   * since `atMs`.
   */
  readonly rescale?: { readonly atMs: number; readonly parallelism: number; readonly jobId: string };
}

/** The observations, oldest first. */
export function anObservationSeries(spec: ObservationSeriesSpec): JobObservation[] {
  const fromMs = spec.fromMs ?? 60_000;
  const stepMs = spec.stepMs ?? 60_000;
  const before = syntheticTopology(spec, 0);
  const after = spec.rescale
    ? { ...syntheticTopology({ ...spec, parallelism: spec.rescale.parallelism }, spec.rescale.atMs), jobId: spec.rescale.jobId }
    : before;
  return Array.from({ length: spec.count }, (_, i) => {
    const atMs = fromMs + i * stepMs;
    const rescaled = spec.rescale !== undefined && atMs >= spec.rescale.atMs;
    const topology = rescaled ? after : before;
    const jobSpec = rescaled ? { ...spec, parallelism: spec.rescale!.parallelism } : spec;
    return { atMs, raw: syntheticRawMetrics(jobSpec, topology, atMs) };
  });
}
