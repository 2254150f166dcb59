/**
 * Bookkeeping of the sliding metric window (docs/algorithm.md §2.5 steps 2–6), made to
 * hold for any sample timing: jitter, a cadence that does not divide the window, missed cycles,
 * late and duplicate deliveries, slow cycles.
 *
 * The Java collector trims samples strictly older than `now − window`. With samples on a real
 * clock, no stored sample sits at exactly `now − window`, so after trimming the oldest sample is
 * younger than one window and the next cycle's window would only be "full" by luck. We keep one
 * more sample: the **anchor**, the newest sample at or before `now − window`, as long as it is no
 * older than `now − window − lookbackMs`. Rates then span at least the whole window, and once the
 * job has been stable for one window plus one cadence every cycle's window is full. With
 * `lookbackMs = 0` this is exactly the Java trimming (the test vectors use it).
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { MetricSample } from '../domain/index.ts';

/**
 * How far before `now − window` the window may start, for a cycle cadence of `cadenceMs`: three
 * cadences, so one missed tick and the jitter of the next one are absorbed. The state store loads
 * samples from `now − window − windowLookbackMs(cadence)`, and the core keeps the anchor within it.
 */
export function windowLookbackMs(cadenceMs: number): number {
  return 3 * cadenceMs;
}

/**
 * docs/algorithm.md §2.5 step 2: if the job (re)entered RUNNING after the first stored sample, the samples
 * taken before that describe another incarnation of the job (other parallelism, restarted
 * counters) and are dropped. The Java collector clears its whole history at the first cycle after
 * the restart, when every stored sample is from before it. Our store keeps samples as items, and
 * the load range reaches back before the window, so a load can return samples from both sides of
 * a restart: only those before it are dropped, those after it are the new incarnation's window.
 * Call this before {@link computeSample} so the OBSERVED_TPR fallback does not average samples
 * from before the restart. `samples` are returned sorted oldest first.
 */
export function clearHistoryIfRestarted(
  samples: readonly MetricSample[],
  jobRunningTsMs: number,
): { samples: MetricSample[]; restarted: boolean } {
  const sorted = sortByTime(samples);
  const first = sorted[0];
  if (first === undefined || jobRunningTsMs <= first.tsMs) return { samples: sorted, restarted: false };
  return { samples: sorted.filter((sample) => sample.tsMs >= jobRunningTsMs), restarted: true };
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
  /**
   * How much older than `now − window` the window's first sample (the anchor) may be; see
   * {@link windowLookbackMs}. 0 = the Java collector's trimming (no sample before `now − window`).
   */
  readonly lookbackMs: number;
}

/** Result of {@link updateMetricWindow}. */
export interface MetricWindowUpdate {
  /** The samples to persist, oldest first (including `newSample`). */
  readonly samples: MetricSample[];
  /** The window covers a full `metrics.window` after stabilization: scaling may be decided. */
  readonly windowFull: boolean;
  /** `nowMs` is within `stabilization.interval` of the job entering RUNNING. */
  readonly stabilizing: boolean;
  /** Stored samples were dropped because the job restarted after they were taken. */
  readonly restarted: boolean;
  /**
   * Epoch ms from which the window will be full (first stable sample + window, or `now + window`
   * when there is no stable sample yet); at or before `nowMs` when `windowFull`.
   */
  readonly windowFullAtMs: number;
}

/**
 * Appends the cycle's sample and trims the window (docs/algorithm.md §2.5):
 * 2. samples from before the job's last (re)start dropped;
 * 3. stabilizing while `now < jobRunningTs + stabilization.interval` (samples are still kept, so
 *    the first full window can come right after stabilization);
 * 4. the window is full at `(first sample at or after the stable time) + window`, or `now + window`
 *    if there is none yet — computed before appending, as the Java collector does;
 * 5. the new sample is appended (replacing a sample with the same timestamp);
 * 6. once full, samples older than the anchor (the newest sample at or before `now − window`,
 *    if it is within `lookbackMs` of it; else `now − window` itself) are dropped; before that
 *    nothing is dropped, so stabilization samples survive until the window is first full.
 */
export function updateMetricWindow(input: MetricWindowInput): MetricWindowUpdate {
  const { newSample, jobRunningTsMs, options, nowMs, lookbackMs } = input;
  const { samples: history, restarted } = clearHistoryIfRestarted(input.samples, jobRunningTsMs);

  const stableTimeMs = jobRunningTsMs + options.stabilizationIntervalMs;
  const stabilizing = nowMs < stableTimeMs;
  const firstStable = history.find((sample) => sample.tsMs >= stableTimeMs);
  const windowFullAtMs = (firstStable?.tsMs ?? nowMs) + options.metricsWindowMs;

  const appended = sortByTime([...history.filter((sample) => sample.tsMs !== newSample.tsMs), newSample]);
  if (nowMs < windowFullAtMs) {
    return { samples: appended, windowFull: false, stabilizing, restarted, windowFullAtMs };
  }
  const cutoffMs = windowStartMs(appended, nowMs - options.metricsWindowMs, stableTimeMs, lookbackMs);
  return {
    samples: appended.filter((sample) => sample.tsMs >= cutoffMs),
    windowFull: true,
    stabilizing,
    restarted,
    windowFullAtMs,
  };
}

/**
 * The window's first timestamp: the newest stable sample at or before `boundaryMs` when it is
 * within `lookbackMs` of it (the anchor), else `boundaryMs` (the Java cut-off).
 */
function windowStartMs(
  sorted: readonly MetricSample[],
  boundaryMs: number,
  stableTimeMs: number,
  lookbackMs: number,
): number {
  let anchorMs: number | undefined;
  for (const sample of sorted) {
    if (sample.tsMs > boundaryMs) break;
    anchorMs = sample.tsMs;
  }
  if (anchorMs === undefined || anchorMs < stableTimeMs || anchorMs < boundaryMs - lookbackMs) return boundaryMs;
  return anchorMs;
}

function sortByTime(samples: readonly MetricSample[]): MetricSample[] {
  return [...samples].sort((a, b) => a.tsMs - b.tsMs);
}
