/**
 * Step-aware target data rate (extension, not in the Flink operator).
 *
 * Why: TARGET_DATA_RATE is the counter rate over the whole metric window (docs/algorithm.md §2.5, §3.2). After
 * an upward load step the first scale-up fires while the window still mixes the old and the new
 * load (15 min window, 9 min after a 2k → 4k step: 0.4 × 2k + 0.6 × 4k = 3.2k rec/s), so it is
 * sized for a rate below the real one. The vertex then lands inside the no-scaling band but above
 * `utilization.target`, and nothing ever corrects it (the band is what triggers a scaling).
 *
 * Rule, per source, with the same counter-rate math on a suffix of the window:
 *
 *     recent part = samples with ts ≥ ts_last − recent-fraction × (ts_last − ts_first)
 *     recent TDR  = max(0, rate_recent(NUM_RECORDS_IN) + rate_recent(LAG))
 *     step        ⇔ recent part has ≥ 2 samples and is shorter than the window
 *                   and recent TDR > window TDR × (1 + threshold)
 *
 * A non-source's step rate is Σ over its inputs of (input's step rate, else its TDR average) ×
 * the edge's output ratio (the full-window ratio), as TARGET_DATA_RATE itself (docs/algorithm.md §3.2).
 * The scaling stage uses the step rate only to size a scale-up (see `computeVertexParallelism`):
 * never for the utilization band and never for a scale-down. Because the rule needs the recent
 * rate to be *higher*, a constant-rate window never shows a step.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { MetricSample, StepSourceRate, StepTargetDataRate, VertexId } from '../domain/index.ts';
import { counterRate } from '../domain/sample-series.ts';
import { roundMetric } from '../domain/metric-rounding.ts';

/** The options of the step-aware target rate. */
export type StepTargetRateOptions = Pick<
  AutoscalerOptions,
  'stepAwareTargetRateEnabled' | 'stepAwareTargetRateRecentFraction' | 'stepAwareTargetRateThreshold'
>;

/**
 * The recent part of a window (oldest first): the samples at or after
 * `ts_last − fraction × (ts_last − ts_first)`. The fraction is clamped to [0, 1]; an empty window
 * gives an empty part.
 */
export function recentWindowPart(
  samples: readonly MetricSample[],
  fraction: number,
): readonly MetricSample[] {
  const first = samples[0];
  const last = samples.at(-1);
  if (first === undefined || last === undefined) return [];
  const f = Math.min(1, Math.max(0, fraction));
  const fromMs = last.tsMs - f * (last.tsMs - first.tsMs);
  return samples.filter((sample) => sample.tsMs >= fromMs);
}

/**
 * A source's target data rate over some samples (docs/algorithm.md §3.2): max(0, rate(NUM_RECORDS_IN) +
 * rate(LAG)); NaN when either counter has fewer than two values.
 */
export function sourceTargetDataRate(samples: readonly MetricSample[], vertexId: VertexId): number {
  return Math.max(
    0,
    counterRate(samples, vertexId, 'NUM_RECORDS_IN') + counterRate(samples, vertexId, 'LAG'),
  );
}

/**
 * The step of one source, or undefined when there is none (feature off, fewer than 2 recent
 * samples, the recent part is the whole window, a rate is NaN, or the recent rate is not above
 * `windowRate × (1 + threshold)`). `windowRate` is the source's (rounded) TARGET_DATA_RATE
 * average; the recent rate is rounded the same way (docs/algorithm.md §2.4) before the comparison.
 */
export function sourceStepRate(
  samples: readonly MetricSample[],
  vertexId: VertexId,
  windowRate: number,
  options: StepTargetRateOptions,
): StepSourceRate | undefined {
  if (!options.stepAwareTargetRateEnabled) return undefined;
  const recent = recentWindowPart(samples, options.stepAwareTargetRateRecentFraction);
  if (recent.length < 2 || recent.length >= samples.length) return undefined;
  const candidateRate = roundMetric(sourceTargetDataRate(recent, vertexId));
  if (!isStep(candidateRate, windowRate, options.stepAwareTargetRateThreshold)) return undefined;
  // Confirmation: the newer half of the recent part must show the step too. A single odd sample
  // at the start of the recent part (e.g. LAG recorded as 0 while pendingRecords was briefly
  // missing, docs/algorithm.md §2.4) would otherwise read as a jump in lag growth and fake a step.
  const newer = recentWindowPart(recent, 0.5);
  if (newer.length < 2 || newer.length >= recent.length) return undefined;
  const newerRate = roundMetric(sourceTargetDataRate(newer, vertexId));
  if (!isStep(newerRate, windowRate, options.stepAwareTargetRateThreshold)) return undefined;
  // Size for the lower of the two: both measure the new load, the lower one overshoots less.
  const recentRate = Math.min(candidateRate, newerRate);
  const first = recent[0] as MetricSample;
  const last = recent.at(-1) as MetricSample;
  return {
    vertexId,
    recentRate,
    windowRate,
    recentSpanMs: last.tsMs - first.tsMs,
    recentSamples: recent.length,
  };
}

/**
 * Whether a source's load rose within the window: its target data rate over the newer half of the
 * window is above the older half's × (1 + tolerance), both halves with at least two samples.
 *
 *     mid    = ts_first + (ts_last − ts_first) / 2
 *     rising ⇔ TDR(samples ≥ mid) > TDR(samples ≤ mid) × (1 + tolerance)
 *
 * Unlike {@link sourceStepRate} (a recent part well above the whole window, which sizes a
 * scale-up), this also sees a slow ramp: the load-step correction (lib/scale/scale-up-shortfall.ts)
 * waits while the load still rises, so it corrects a step the last scale-up only partly saw and
 * never chases a ramp that the utilization band handles.
 */
export function isSourceLoadRising(
  samples: readonly MetricSample[],
  vertexId: VertexId,
  tolerance: number,
): boolean {
  const newer = recentWindowPart(samples, 0.5);
  const first = samples[0];
  const newerFirst = newer[0];
  if (first === undefined || newerFirst === undefined) return false;
  const older = samples.filter((sample) => sample.tsMs <= newerFirst.tsMs);
  if (older.length < 2 || newer.length < 2) return false;
  const olderRate = roundMetric(sourceTargetDataRate(older, vertexId));
  const newerRate = roundMetric(sourceTargetDataRate(newer, vertexId));
  return isStep(newerRate, olderRate, tolerance);
}

/** Whether a recent rate is a step above a window rate: recent > window × (1 + threshold), both finite. */
export function isStep(recentRate: number, windowRate: number, threshold: number): boolean {
  if (!Number.isFinite(recentRate) || !Number.isFinite(windowRate)) return false;
  return recentRate > windowRate * (1 + Math.max(0, threshold));
}

/** The step rate of a source from its {@link sourceStepRate}. */
export function sourceStepTargetDataRate(step: StepSourceRate): StepTargetDataRate {
  return { rate: step.recentRate, windowRate: step.windowRate, sources: [step] };
}

/** One input of a non-source vertex, for {@link downstreamStepTargetDataRate}. */
export interface StepRateInput {
  /** The input's TARGET_DATA_RATE average. */
  readonly windowRate: number;
  /** The input's step rate, undefined when it has none. */
  readonly step: StepTargetDataRate | undefined;
  /** Output ratio of the edge (records out of the input per record into the vertex's side). */
  readonly ratio: number;
}

/**
 * A non-source's step rate: Σ (step rate ?? TDR average) × ratio over its inputs, or undefined
 * when no input has a step or the sum is not above the vertex's own `windowRate` (e.g. ratio 0).
 */
export function downstreamStepTargetDataRate(
  inputs: readonly StepRateInput[],
  windowRate: number,
): StepTargetDataRate | undefined {
  if (!inputs.some((input) => input.step !== undefined)) return undefined;
  let rate = 0;
  const sources = new Map<VertexId, StepSourceRate>();
  for (const input of inputs) {
    rate += (input.step?.rate ?? input.windowRate) * input.ratio;
    for (const source of input.step?.sources ?? []) sources.set(source.vertexId, source);
  }
  const rounded = roundMetric(rate);
  if (!(Number.isFinite(rounded) && Number.isFinite(windowRate) && rounded > windowRate)) return undefined;
  return { rate: rounded, windowRate, sources: [...sources.values()] };
}
