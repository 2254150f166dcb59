/**
 * Bookkeeping of the sliding metric window (spec/autoscaler-algorithm.md §2.5 steps 2–6).
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { MetricSample } from '../domain/index.ts';

/**
 * Spec §2.5 step 2: if the job (re)entered RUNNING after the first stored sample, the stored
 * samples describe another incarnation of the job (other parallelism, restarted counters) and are
 * dropped. Call this before {@link computeSample} so the OBSERVED_TPR fallback does not average
 * samples from before the restart. `samples` are returned sorted oldest first.
 */
export function clearHistoryIfRestarted(
  samples: readonly MetricSample[],
  jobRunningTsMs: number,
): { samples: MetricSample[]; restarted: boolean } {
  const sorted = sortByTime(samples);
  const first = sorted[0];
  if (first !== undefined && jobRunningTsMs > first.tsMs) return { samples: [], restarted: true };
  return { samples: sorted, restarted: false };
}

/** Input of {@link updateMetricWindow}. */
export interface MetricWindowInput {
  /** Stored samples of the job (any order; sorted internally). */
  readonly samples: readonly MetricSample[];
  /** The sample collected at `nowMs`. */
  readonly newSample: MetricSample;
  /** Epoch ms the job last entered RUNNING (`timestamps.RUNNING`). */
  readonly jobRunningTsMs: number;
  readonly options: Pick<AutoscalerOptions, 'metricsWindowMs' | 'stabilizationIntervalMs'>;
  /** The cycle's time in epoch ms. */
  readonly nowMs: number;
}

/** Result of {@link updateMetricWindow}. */
export interface MetricWindowUpdate {
  /** The samples to persist, oldest first (including `newSample`). */
  readonly samples: MetricSample[];
  /** The window covers a full `metrics.window` after stabilization: scaling may be decided. */
  readonly windowFull: boolean;
  /** `nowMs` is within `stabilization.interval` of the job entering RUNNING. */
  readonly stabilizing: boolean;
  /** The stored history was dropped because the job restarted after the first sample. */
  readonly restarted: boolean;
}

/**
 * Appends the cycle's sample and trims the window (spec §2.5):
 * 2. history cleared when the job restarted after its first sample;
 * 3. stabilizing while `now < jobRunningTs + stabilization.interval` (samples are still kept, so
 *    the first full window can come right after stabilization);
 * 4. the window is full at `(first sample at or after the stable time) + window`, or `now + window`
 *    if there is none yet — computed before appending, as the Java collector does;
 * 5. the new sample is appended (replacing a sample with the same timestamp);
 * 6. once full, samples strictly older than `now − window` are dropped; before that nothing is
 *    dropped, so stabilization samples survive until the window is first full.
 */
export function updateMetricWindow(input: MetricWindowInput): MetricWindowUpdate {
  const { newSample, jobRunningTsMs, options, nowMs } = input;
  const { samples: history, restarted } = clearHistoryIfRestarted(input.samples, jobRunningTsMs);

  const stableTimeMs = jobRunningTsMs + options.stabilizationIntervalMs;
  const stabilizing = nowMs < stableTimeMs;
  const firstStable = history.find((sample) => sample.tsMs >= stableTimeMs);
  const windowFullTimeMs = (firstStable?.tsMs ?? nowMs) + options.metricsWindowMs;

  const appended = sortByTime([...history.filter((sample) => sample.tsMs !== newSample.tsMs), newSample]);
  if (nowMs < windowFullTimeMs) {
    return { samples: appended, windowFull: false, stabilizing, restarted };
  }
  const cutoffMs = nowMs - options.metricsWindowMs;
  return {
    samples: appended.filter((sample) => sample.tsMs >= cutoffMs),
    windowFull: true,
    stabilizing,
    restarted,
  };
}

function sortByTime(samples: readonly MetricSample[]): MetricSample[] {
  return [...samples].sort((a, b) => a.tsMs - b.tsMs);
}
