/**
 * Alignment of a vertex's target parallelism to its key groups or source partitions
 * (docs/algorithm.md §4.4, FLIP-586 built-in modes plus the deprecated blocking modes).
 *
 * Why align at all: with N key groups (or partitions) over p subtasks, each subtask owns ⌊N/p⌋ or
 * ⌈N/p⌉ of them, so the busiest subtask's share – and thus the vertex throughput – only improves
 * when ⌊N/p⌋ drops. Parallelisms between two such steps add subtasks without adding throughput.
 */

import type { AutoscalerOptions } from '../config/index.ts';
import type { AutoscalerEvent, ShipStrategy, VertexId } from '../domain/index.ts';
import { requireWholeNumber } from './scale-input-error.ts';

/** Built-in, never-blocking alignment modes of `scaling.parallelism-alignment.mode`. */
export type BuiltInAlignmentMode = 'BALANCED' | 'EVENLY_SPREAD' | 'OFF';

/**
 * Deprecated blocking modes, selected through `scaling.key-group.partitions.adjust.mode`
 * (`EVENLY_SPREAD` / `MAXIMIZE_UTILISATION`) when the new key is not set.
 */
export type LegacyAlignmentMode = 'LEGACY_EVENLY_SPREAD' | 'LEGACY_MAXIMIZE_UTILISATION';

/** Every alignment mode this implementation runs. */
export type AlignmentMode = BuiltInAlignmentMode | LegacyAlignmentMode;

const BUILT_IN_MODES: readonly BuiltInAlignmentMode[] = ['BALANCED', 'EVENLY_SPREAD', 'OFF'];

/** Every supported mode, built-in first. */
export const ALIGNMENT_MODES: readonly AlignmentMode[] = [
  ...BUILT_IN_MODES,
  'LEGACY_EVENLY_SPREAD',
  'LEGACY_MAXIMIZE_UTILISATION',
];

/**
 * Which alignment mode is in effect (docs/algorithm.md §4.4, mode resolution):
 * 1. `scaling.parallelism-alignment.mode` set explicitly → that built-in mode (case-insensitive);
 *    any other name is a custom Java plugin, which cannot run here → `BALANCED` (option
 *    resolution already warns about it);
 * 2. else the deprecated `scaling.key-group.partitions.adjust.mode` set explicitly → its legacy mode;
 * 3. else `BALANCED`.
 */
export function resolveAlignmentMode(
  options: Pick<
    AutoscalerOptions,
    'parallelismAlignmentMode' | 'keyGroupPartitionsAdjustMode' | 'explicitlySet'
  >,
): AlignmentMode {
  if (options.explicitlySet.has('parallelismAlignmentMode')) {
    const name = options.parallelismAlignmentMode.trim().toUpperCase();
    return (BUILT_IN_MODES as readonly string[]).includes(name) ? (name as BuiltInAlignmentMode) : 'BALANCED';
  }
  if (options.explicitlySet.has('keyGroupPartitionsAdjustMode')) {
    return `LEGACY_${options.keyGroupPartitionsAdjustMode}`;
  }
  return 'BALANCED';
}

/**
 * Whether alignment applies to a vertex (docs/algorithm.md §4.4, default applicability of every mode): a source
 * with known partitions, or a vertex fed by a HASH (keyed) edge. Other vertices (rebalance,
 * forward…) have no key groups to balance, so their target is kept.
 */
export function isAlignmentApplicable(
  numSourcePartitions: number,
  inputShipStrategies: readonly ShipStrategy[],
): boolean {
  return numSourcePartitions > 0 || inputShipStrategies.includes('HASH');
}

/** Input of {@link alignParallelism}. */
export interface AlignmentInput {
  /** Vertex id, used in the ScalingLimited event. */
  readonly vertexId: VertexId;
  readonly mode: AlignmentMode;
  readonly currentParallelism: number;
  /** Target after clamping to the limits (docs/algorithm.md §4.2). */
  readonly targetParallelism: number;
  /** NUM_SOURCE_PARTITIONS; 0 = not a source or unknown. */
  readonly numSourcePartitions: number;
  /** MAX_PARALLELISM (number of key groups). */
  readonly maxParallelism: number;
  /** Effective lower limit: min(current, vertex.min-parallelism). */
  readonly lowerLimit: number;
  /** Effective upper limit: max(current, vertex.max-parallelism). */
  readonly upperLimit: number;
  readonly inputShipStrategies: readonly ShipStrategy[];
  /** De-duplication interval of the ScalingLimited event (`scaling.event.interval`), ms. */
  readonly eventIntervalMs: number;
}

/** Output of {@link alignParallelism}. */
export interface AlignmentResult {
  /** The aligned parallelism (the target when the mode does not apply or finds nothing). */
  readonly parallelism: number;
  /** False when the vertex has neither source partitions nor a HASH input (target kept). */
  readonly applicable: boolean;
  /** True when a legacy mode refused the change and kept the current parallelism. */
  readonly blocked: boolean;
  /** The N alignment used: partitions for sources, else key groups. */
  readonly numKeyGroupsOrPartitions: number;
  /** ScalingLimited warnings (legacy modes only). */
  readonly events: readonly AutoscalerEvent[];
}

/**
 * Aligns a clamped target parallelism per the vertex's mode (docs/algorithm.md §4.4):
 *
 * | mode | result |
 * |---|---|
 * | BALANCED | first p ≥ target in the region with N mod p = 0 or ⌊N/p⌋ < ⌊N/target⌋, else target |
 * | EVENLY_SPREAD | first divisor of N ≥ target in the region, else target |
 * | OFF | target |
 * | LEGACY_* | as EVENLY_SPREAD / BALANCED, else the relaxed downward fallback, possibly blocking |
 *
 * The region is [target, min(N, maxParallelism, upper)] for a scale-up and ends at the current
 * parallelism for a scale-down, so alignment never turns a scale-down into a scale-up.
 */
export function alignParallelism(input: AlignmentInput): AlignmentResult {
  requireWholeNumber('currentParallelism', input.currentParallelism, 1);
  requireWholeNumber('targetParallelism', input.targetParallelism, 1);
  requireWholeNumber('maxParallelism', input.maxParallelism, 1);
  requireWholeNumber('numSourcePartitions', input.numSourcePartitions, 0);
  const { mode, currentParallelism: cur, targetParallelism: target } = input;
  const n = input.numSourcePartitions > 0 ? input.numSourcePartitions : input.maxParallelism;
  const keep = (applicable: boolean): AlignmentResult => ({
    parallelism: target,
    applicable,
    blocked: false,
    numKeyGroupsOrPartitions: n,
    events: [],
  });

  if (!isAlignmentApplicable(input.numSourcePartitions, input.inputShipStrategies)) return keep(false);
  if (mode === 'OFF') return keep(true);

  const alignCap = Math.min(n, input.maxParallelism, input.upperLimit);
  const isScaleUp = target > cur;
  // A scale-down may only move up to the current parallelism, never past it.
  const regionEnd = isScaleUp ? alignCap : Math.min(cur, alignCap);
  const acceptLoadReducing = mode === 'BALANCED' || mode === 'LEGACY_MAXIMIZE_UTILISATION';
  const aligned = firstAlignedInRegion(n, target, regionEnd, acceptLoadReducing);
  if (aligned > 0) {
    return {
      parallelism: aligned,
      applicable: true,
      blocked: false,
      numKeyGroupsOrPartitions: n,
      events: [],
    };
  }
  if (mode === 'BALANCED' || mode === 'EVENLY_SPREAD') return keep(true);
  return relaxedLegacyFallback(input, n);
}

/**
 * Smallest p in [target, regionEnd] that divides N, or (acceptLoadReducing) that lowers the
 * per-subtask share ⌊N/p⌋ below ⌊N/target⌋; 0 when none exists.
 *
 * Computed in O(√N) rather than by walking the region: N can be 2³¹−1 (a prime) for vertices
 * without a max-parallelism, and a walk would then take seconds.
 */
export function firstAlignedInRegion(
  n: number,
  target: number,
  regionEnd: number,
  acceptLoadReducing: boolean,
): number {
  if (regionEnd < target) return 0;
  let best = smallestDivisorAtLeast(n, target, regionEnd);
  const targetShare = Math.floor(n / target);
  if (acceptLoadReducing && targetShare > 0) {
    // ⌊N/p⌋ < share ⇔ p > N/share: the first such p is ⌊N/share⌋ + 1.
    const firstLoadReducing = Math.floor(n / targetShare) + 1;
    if (firstLoadReducing <= regionEnd && (best === 0 || firstLoadReducing < best)) best = firstLoadReducing;
  }
  return best;
}

/** Smallest divisor of n in [from, to], or 0. */
function smallestDivisorAtLeast(n: number, from: number, to: number): number {
  const upper = Math.min(to, n);
  if (upper < from) return 0;
  const root = Math.floor(Math.sqrt(n));
  if (upper - from <= root) {
    for (let p = from; p <= upper; p++) if (n % p === 0) return p;
    return 0;
  }
  // Divisors come in pairs (i, n/i) with i ≤ √n: check both halves of every pair.
  let best = 0;
  for (let i = 1; i <= root; i++) {
    if (n % i !== 0) continue;
    for (const d of [i, n / i]) {
      if (d >= from && d <= upper && (best === 0 || d < best)) best = d;
    }
  }
  return best;
}

/**
 * The deprecated modes' fallback when no aligned value lies in the region (docs/algorithm.md §4.4): walk down
 * from the target to the largest p whose share ⌊N/p⌋ is bigger than the target's, and take the
 * next parallelism that still has that share (p + 1 unless p divides N). If that turns the
 * direction around, the legacy modes block the change (keep the current parallelism).
 */
function relaxedLegacyFallback(input: AlignmentInput, n: number): AlignmentResult {
  const { currentParallelism: cur, targetParallelism: target } = input;
  // The largest p with ⌊N/p⌋ > ⌊N/target⌋ is ⌊N/(share+1)⌋ (0 when the target is already 1),
  // which is what the Java code finds by walking down from the target.
  let p = Math.floor(n / (Math.floor(n / target) + 1));
  if (p > 0 && n % p !== 0) p++;
  const candidate = Math.max(p, input.lowerLimit);
  const isScaleUp = target > cur;
  const inverted = isScaleUp ? candidate <= cur : candidate >= cur;
  const result = inverted ? cur : candidate;
  const events = result === target ? [] : [scalingLimitedEvent(input, n, result)];
  return { parallelism: result, applicable: true, blocked: inverted, numKeyGroupsOrPartitions: n, events };
}

/** The ScalingLimited warning with the operator's exact text (docs/algorithm.md §5.4, including its full-width comma). */
function scalingLimitedEvent(input: AlignmentInput, n: number, actual: number): AutoscalerEvent {
  const upperBound = Math.min(input.maxParallelism, input.upperLimit);
  return {
    reason: 'ScalingLimited',
    type: 'Warning',
    message:
      `Scaling limited detected for ${input.vertexId} (expected parallelism: ${input.targetParallelism}, ` +
      `actual parallelism ${actual}). Scaling limited due to numKeyGroupsOrPartitions : ${n}，` +
      `upperBoundForAlignment(maxParallelism or parallelismUpperLimit): ${upperBound}, ` +
      `parallelismLowerLimit: ${input.lowerLimit}.`,
    messageKey: `ScalingLimited${input.vertexId}`,
    dedupeIntervalMs: input.eventIntervalMs,
  };
}
