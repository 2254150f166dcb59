/**
 * From a scale factor to a parallelism: multiply, clamp to the limits, align
 * (docs/algorithm.md §4.2 and §4.4), plus this project's source-partition cap.
 */
import type { AutoscalerEvent, ShipStrategy, VertexId, VertexLimitReason } from '../domain/index.ts';
import { type AlignmentMode, type AlignmentResult, alignParallelism } from './align-parallelism.ts';
import { ParallelismLimitsError, requireWholeNumber, ScaleInputError } from './scale-input-error.ts';

/** Java `Integer.MAX_VALUE`: the overflow guard of docs/algorithm.md §4.2 and the "no limit" value. */
export const MAX_PARALLELISM_VALUE = 2_147_483_647;

/** Input of {@link scaleParallelism}. */
export interface ScaleParallelismInput {
  readonly vertexId: VertexId;
  readonly currentParallelism: number;
  /** Scale factor f, already clamped to the max scale-up / scale-down factors. */
  readonly scaleFactor: number;
  /** Effective lower limit, min(current, vertex.min-parallelism). */
  readonly lowerLimit: number;
  /** Effective upper limit, max(current, vertex.max-parallelism). */
  readonly upperLimit: number;
  /** MAX_PARALLELISM (number of key groups). */
  readonly maxParallelism: number;
  /** NUM_SOURCE_PARTITIONS; 0 = not a source or unknown. */
  readonly numSourcePartitions: number;
  readonly inputShipStrategies: readonly ShipStrategy[];
  readonly alignmentMode: AlignmentMode;
  /** De-duplication interval of ScalingLimited events (`scaling.event.interval`), ms. */
  readonly eventIntervalMs: number;
}

/** One limit or rule that changed the number, with the parallelism it produced. */
export interface LimitStep {
  readonly reason: VertexLimitReason;
  readonly parallelism: number;
}

/** Output of {@link scaleParallelism}: the number and how each step changed it. */
export interface ScaleParallelismResult {
  /** The final parallelism. */
  readonly parallelism: number;
  /** ⌈f × current⌉ after the overflow guard, before any limit. */
  readonly rawParallelism: number;
  /** After the min/max/key-group/partition limits, before alignment. */
  readonly clampedParallelism: number;
  /** Limits and rules that changed the number, in the order applied. */
  readonly steps: readonly LimitStep[];
  /** Present when alignment ran (the clamped target differed from the current parallelism). */
  readonly alignment?: AlignmentResult;
  readonly events: readonly AutoscalerEvent[];
}

/**
 * docs/algorithm.md §4.2 `scale(...)`:
 *
 *     require lower ≤ upper
 *     raw = min(⌈f × cur⌉, 2³¹−1)
 *     new = min(max(lower, raw), min(maxParallelism, upper[, N_src]))
 *     new == cur ? new : align(new)
 *
 * Improvement over the Java code (docs/algorithm.md §11 weakness #1): for a source with N_src > 0 partitions
 * the upper cap also includes N_src, in every alignment mode, and the aligned result is capped
 * again (a legacy fallback may raise it to the lower limit). Subtasks beyond the partition count
 * would own no partition and sit idle, while the built-in Java modes keep e.g. 20 subtasks for
 * 15 partitions. The caps win over the lower limit, as in Java.
 */
export function scaleParallelism(input: ScaleParallelismInput): ScaleParallelismResult {
  const { currentParallelism: cur, lowerLimit: lower, upperLimit: upper } = input;
  requireWholeNumber('currentParallelism', cur, 1);
  requireWholeNumber('lowerLimit', lower, 1);
  requireWholeNumber('upperLimit', upper, 1);
  requireWholeNumber('maxParallelism', input.maxParallelism, 1);
  requireWholeNumber('numSourcePartitions', input.numSourcePartitions, 0);
  if (Number.isNaN(input.scaleFactor) || input.scaleFactor < 0) {
    throw new ScaleInputError('scaleFactor', input.scaleFactor, 'a number ≥ 0');
  }
  if (lower > upper) throw new ParallelismLimitsError(lower, upper);

  const steps: LimitStep[] = [];
  // The guard keeps a huge factor (e.g. the "unlimited" max scale-up factor) from overflowing.
  const raw = Math.min(Math.ceil(input.scaleFactor * cur), MAX_PARALLELISM_VALUE);
  let clamped = raw;
  if (clamped < lower) {
    clamped = lower;
    steps.push({ reason: 'min-parallelism', parallelism: clamped });
  }
  const partitionCap = input.numSourcePartitions > 0 ? input.numSourcePartitions : Number.POSITIVE_INFINITY;
  const cap = Math.min(input.maxParallelism, upper, partitionCap);
  if (clamped > cap) {
    clamped = cap;
    // The most specific binding limit explains the number best.
    steps.push({
      reason:
        cap === partitionCap
          ? 'source-partitions'
          : cap === input.maxParallelism
            ? 'key-groups'
            : 'max-parallelism',
      parallelism: clamped,
    });
  }
  if (clamped === cur) {
    return { parallelism: clamped, rawParallelism: raw, clampedParallelism: clamped, steps, events: [] };
  }

  const alignment = alignParallelism({
    vertexId: input.vertexId,
    mode: input.alignmentMode,
    currentParallelism: cur,
    targetParallelism: clamped,
    numSourcePartitions: input.numSourcePartitions,
    maxParallelism: input.maxParallelism,
    lowerLimit: lower,
    upperLimit: upper,
    inputShipStrategies: input.inputShipStrategies,
    eventIntervalMs: input.eventIntervalMs,
  });
  let parallelism = alignment.parallelism;
  if (alignment.blocked) steps.push({ reason: 'alignment-blocked', parallelism });
  else if (parallelism !== clamped) steps.push({ reason: 'alignment', parallelism });
  if (parallelism > partitionCap) {
    parallelism = partitionCap;
    steps.push({ reason: 'source-partitions', parallelism });
  }
  return {
    parallelism,
    rawParallelism: raw,
    clampedParallelism: clamped,
    steps,
    alignment,
    events: alignment.events,
  };
}
