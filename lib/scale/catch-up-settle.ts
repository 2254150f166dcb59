/**
 * Catch-up settle (extension, not in the Flink operator): one right-sizing scale-down after a
 * scale-up whose target capacity included catch-up, once that backlog is drained.
 *
 * Why: the capacity formula (docs/algorithm.md §3.5) sizes a scale-up for TDR / utilization.target plus the
 * backlog to drain within `catch-up.duration` plus the lag of the restart. Once drained, that
 * extra is over-provisioning by design, yet the utilization band (docs/algorithm.md §3.6) keeps it: at
 * utilization 0.58 the vertex is inside [0.4, 1.0] and only a load drop ever brings it down,
 * after `scale-down.interval` (docs/algorithm.md §11; users-and-peers: "over-provisioning after catch-up").
 */
import type { ScalingSummary } from '../domain/index.ts';
import { steadyStateCapacity } from '../evaluate/target-capacity.ts';
import { type AfterScaleUpCheckInput, newestScaleUpStillInEffect, waitAfterScaleUp } from './after-scale-up.ts';
import { formatRate } from './describe-vertex-decision.ts';
import type { ScaleParallelismResult } from './scale-parallelism.ts';

/** Input of {@link evaluateCatchUpSettle}. */
export type CatchUpSettleInput = AfterScaleUpCheckInput<'catchUpSettleEnabled' | 'scaleDownMaxFactor'>;

/**
 * - `none`: no settle is due for this vertex (no such scale-up, feature off, parallelism changed since);
 * - `waiting`: due, but the backlog is not drained or the window since the scale-up is not over;
 * - `not-needed`: checked, the steady-state target keeps the current parallelism; the check is spent;
 * - `settle`: scale down to `parallelism` now.
 */
export type CatchUpSettleOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'waiting'; readonly text: string }
  | { readonly kind: 'not-needed'; readonly steadyStateCapacity: number; readonly text: string }
  | {
      readonly kind: 'settle';
      readonly parallelism: number;
      readonly steadyStateCapacity: number;
      readonly scaleFactor: number;
      readonly scaled: ScaleParallelismResult;
      readonly text: string;
    };

/**
 * The scale-up this vertex may still settle from: its newest history entry, if that is a scale-up
 * that recorded a catch-up part and the vertex still runs at its parallelism. A later scaling (the
 * settle itself, too) replaces the newest entry, so at most one settle follows each scale-up.
 */
export function pendingSettleScaleUp(
  history: readonly ScalingSummary[],
  currentParallelism: number,
): ScalingSummary | undefined {
  const last = newestScaleUpStillInEffect(history, currentParallelism);
  return last?.catchUpCapacity !== undefined && last.catchUpCapacity > 0 ? last : undefined;
}

/**
 * Decides the settle of one vertex:
 *
 *     due        = newest history entry is a scale-up with catch-up capacity > 0, still at cur
 *     wait while   backlog not drained  or  now − scale-up < metrics.window
 *     steady     = round(TDR / utilization.target)
 *     f          = max(steady / TPR / α, 1 − scale-down.max-factor)
 *     p          = scale(f)        (the vertex's limits, caps and alignment)
 *     settle to p when p < cur and alignment did not move p below the clamped need
 *
 * The window condition makes TPR and TDR come from the new parallelism (the window restarts with
 * the job, and is at least one window long). The alignment condition keeps a settle from ever
 * landing below the steady-state need: then the current parallelism stays.
 */
export function evaluateCatchUpSettle(input: CatchUpSettleInput): CatchUpSettleOutcome {
  const { options, currentParallelism: cur } = input;
  if (!options.catchUpSettleEnabled) return { kind: 'none' };
  const scaleUp = pendingSettleScaleUp(input.history, cur);
  if (scaleUp === undefined) return { kind: 'none' };
  const since = `the scale-up ${scaleUp.currentParallelism} → ${scaleUp.newParallelism} at ${new Date(scaleUp.tsMs).toISOString()} included ${formatRate(scaleUp.catchUpCapacity ?? 0)} rec/s of catch-up capacity`;
  const wait = waitAfterScaleUp(
    scaleUp,
    { ...input, metricsWindowMs: options.metricsWindowMs },
    'catch-up settle',
    since,
  );
  if (wait !== undefined) return { kind: 'waiting', text: wait };
  const steady = steadyStateCapacity(input.targetDataRateAvg, options.utilizationTarget);
  const minFactor = Math.max(0, 1 - options.scaleDownMaxFactor);
  const unclamped = steady / input.trueProcessingRateAvg / input.scalabilityCoefficient;
  const keep = (why: string): CatchUpSettleOutcome => ({
    kind: 'not-needed',
    steadyStateCapacity: steady,
    text: `catch-up settle not needed: ${since}, the backlog is drained and ${why}`,
  });
  if (Number.isNaN(unclamped) || unclamped >= 1) {
    return keep(`the steady-state target ${formatRate(steady)} rec/s needs the current ${cur}`);
  }
  const factor = Math.max(unclamped, minFactor);
  const scaled = input.scale(factor);
  if (scaled.parallelism >= cur) {
    return keep(
      `the steady-state target ${formatRate(steady)} rec/s (factor ${factor.toFixed(2)}) still needs ${cur} after limits and alignment`,
    );
  }
  if (scaled.parallelism < scaled.clampedParallelism) {
    return keep(`alignment would go to ${scaled.parallelism}, below the needed ${scaled.clampedParallelism}`);
  }
  const limited =
    factor !== unclamped ? ` (limited by scale-down.max-factor ${options.scaleDownMaxFactor})` : '';
  return {
    kind: 'settle',
    parallelism: scaled.parallelism,
    steadyStateCapacity: steady,
    scaleFactor: factor,
    scaled,
    text:
      `catch-up settle: ${since} and the backlog is drained, so scale-down ${cur} → ${scaled.parallelism} to the ` +
      `steady-state target ${formatRate(steady)} rec/s (TDR / utilization.target ${options.utilizationTarget}, factor ${factor.toFixed(2)}${limited}) ` +
      'now, without waiting for the utilization band or scale-down.interval',
  };
}
