/**
 * The last step of a vertex decision (docs/algorithm.md §4.1, §4.5, §4.6): what the
 * vertex does with the sized parallelism (settle, keep, scale up or scale down), each as a
 * function that returns the change together with its clause of the why.
 */
import type {
  AutoscalerEvent,
  DelayedScaleDownState,
  ParallelismChange,
  VertexLimitReason,
} from '../domain/index.ts';
import type { CatchUpSettleOutcome } from './catch-up-settle.ts';
import { applyDelayedScaleDown } from './delayed-scale-down.ts';
import { describeLimitSteps, formatDurationMs, formatRate } from './describe-vertex-decision.ts';
import { detectIneffectiveScaleUp } from './ineffective-scaling.ts';
import type { ScaleUpShortfallOutcome } from './scale-up-shortfall.ts';
import type { VertexParallelismInput } from './vertex-parallelism-types.ts';
import type { VertexSizing } from './vertex-sizing.ts';
import { changeTo, noChangeAt, type VertexView } from './vertex-view.ts';

/** What the last step decided: the change, its reasons and effects, and its clause of the why. */
export interface VertexOutcome {
  readonly change: ParallelismChange;
  /** The why's last clause, after the band and the sizing. */
  readonly text: string;
  /** Every reason of the decision, the sizing's included. */
  readonly reasons: readonly VertexLimitReason[];
  readonly events: readonly AutoscalerEvent[];
  /** The factor the recommended parallelism was sized with. */
  readonly scaleFactor: number;
  /** The vertex's pending delayed scale-down after this decision. */
  readonly delayedScaleDown: DelayedScaleDownState | undefined;
}

/** A due shortfall correction (see `evaluateScaleUpShortfall`). */
type ShortfallCorrection = Extract<ScaleUpShortfallOutcome, { kind: 'correct' }>;

/**
 * A catch-up settle. The change counts as outside the utilization bound: the settle is a decided
 * right-sizing, and inside the band nothing else would ever trigger it. A pending delayed
 * scale-down is left as it is (an executed scaling clears it anyway, a blocked one must not lose
 * it). Its reasons and events are the settle's own, not the regular rule's.
 */
export function settleOutcome(
  settle: Extract<CatchUpSettleOutcome, { kind: 'settle' }>,
  view: VertexView,
  sizing: VertexSizing,
  pendingScaleDown: DelayedScaleDownState | undefined,
): VertexOutcome {
  return {
    change: {
      currentParallelism: view.currentParallelism,
      newParallelism: settle.parallelism,
      outsideUtilizationBound: true,
      noChange: false,
    },
    text: [settle.text, ...describeLimitSteps(settle.scaled.steps, sizing.limitContext)].join(', '),
    reasons: ['scale-down', 'catch-up-settle', ...settle.scaled.steps.map((step) => step.reason)],
    events: settle.scaled.events,
    scaleFactor: settle.scaleFactor,
    delayedScaleDown: pendingScaleDown,
  };
}

/**
 * The regular rules (docs/algorithm.md §4.1): no change clears a pending scale-down, a scale-up goes through
 * the ineffective-scaling block, a scale-down through the delayed scale-down window.
 *
 * A due shortfall correction is a scale-up that the band alone would not let through. It takes
 * the path of every scale-up, sized by whichever of it and the regular rule recommends more (the
 * regular capacity adds the restart's catch-up, so it usually does).
 */
export function regularOutcome(
  view: VertexView,
  sizing: VertexSizing,
  shortfall: ScaleUpShortfallOutcome,
  input: VertexParallelismInput,
): VertexOutcome {
  const cur = view.currentParallelism;
  const correction = shortfall.kind === 'correct' ? shortfall : undefined;
  const correctionSizes = correction !== undefined && correction.parallelism >= sizing.scaled.parallelism;
  const target = correctionSizes ? correction.parallelism : sizing.scaled.parallelism;
  if (target === cur) {
    return { ...sizedByRule(sizing, undefined), change: noChangeAt(cur), text: `no change from ${cur}` };
  }
  if (target > cur) {
    return scaleUpOutcome(view, target, planScaleUp(cur, target, sizing, correction, correctionSizes), input);
  }
  return scaleDownOutcome(view, sizing, input);
}

/** How a scale-up is sized and explained: by the regular rule or by a shortfall correction. */
interface ScaleUpPlan {
  /** A shortfall correction came due this cycle (the change is then outside the band). */
  readonly corrects: boolean;
  readonly text: string;
  readonly reasons: readonly VertexLimitReason[];
  readonly events: readonly AutoscalerEvent[];
  readonly scaleFactor: number;
}

function planScaleUp(
  cur: number,
  target: number,
  sizing: VertexSizing,
  correction: ShortfallCorrection | undefined,
  correctionSizes: boolean,
): ScaleUpPlan {
  const headline = `scale-up ${cur} → ${target}`;
  const byRule = sizedByRule(sizing, undefined);
  if (correction === undefined) return { ...byRule, corrects: false, text: headline };
  if (!correctionSizes) {
    return {
      ...byRule,
      corrects: true,
      reasons: [...sizing.reasons, correction.reason],
      text: `${correction.text}; ${headline} (${correction.sizing}, the regular rule recommends more)`,
    };
  }
  const limits = describeLimitSteps(correction.scaled.steps, sizing.limitContext);
  return {
    corrects: true,
    // The correction sets the direction and its own limits replace the regular rule's events.
    reasons: [
      'scale-up',
      ...sizing.reasons.slice(1),
      correction.reason,
      ...correction.scaled.steps.map((step) => step.reason),
    ],
    events: correction.scaled.events,
    scaleFactor: correction.scaleFactor,
    text: `${correction.text}; ${headline}: ${[correction.sizing, ...limits].join(', ')}`,
  };
}

/**
 * A scale-up is never delayed and supersedes any pending scale-down (docs/algorithm.md §4.6); it is blocked
 * when the vertex's last scale-up was ineffective (docs/algorithm.md §4.5).
 */
function scaleUpOutcome(
  view: VertexView,
  target: number,
  plan: ScaleUpPlan,
  input: VertexParallelismInput,
): VertexOutcome {
  const cur = view.currentParallelism;
  const ineffective = detectIneffectiveScaleUp({
    vertexId: input.vertex.id,
    currentParallelism: cur,
    trueProcessingRateAvg: view.trueProcessingRateAvg,
    history: input.history,
    options: input.options,
  });
  const planned = {
    events: [...plan.events, ...ineffective.events],
    scaleFactor: plan.scaleFactor,
    delayedScaleDown: undefined,
  };
  if (ineffective.blockScaleUp) {
    return {
      ...planned,
      change: noChangeAt(cur),
      reasons: [...plan.reasons, 'ineffective-scaling'],
      text:
        `${plan.text} blocked: the last scale-up was ineffective ` +
        `(expected +${formatRate(ineffective.expectedIncrease)} rec/s, got +${formatRate(ineffective.actualIncrease)})`,
    };
  }
  return {
    ...planned,
    change: changeTo(cur, target, view.outsideUtilizationBound || plan.corrects),
    reasons: plan.reasons,
    text: plan.text,
  };
}

/** A scale-down goes through the delayed scale-down window (docs/algorithm.md §4.6). */
function scaleDownOutcome(
  view: VertexView,
  sizing: VertexSizing,
  input: VertexParallelismInput,
): VertexOutcome {
  const cur = view.currentParallelism;
  const recommended = sizing.scaled.parallelism;
  const delayed = applyDelayedScaleDown({
    state: input.delayedScaleDown,
    nowMs: input.nowMs,
    scaleDownIntervalMs: input.options.scaleDownIntervalMs,
    currentParallelism: cur,
    newParallelism: recommended,
    // The TPR is known here (a factor exists), so this is the band check of docs/algorithm.md §3.6.
    outsideUtilizationBound: view.outsideUtilizationBound,
  });
  const interval = formatDurationMs(input.options.scaleDownIntervalMs);
  const windowed = sizedByRule(sizing, delayed.state);
  if (delayed.delaying) {
    return {
      ...windowed,
      reasons: [...sizing.reasons, 'delayed-scale-down'],
      change: noChangeAt(cur),
      text:
        `scale-down ${cur} → ${recommended} delayed by scale-down.interval ${interval} until ` +
        new Date(delayed.delayEndsAtMs).toISOString(),
    };
  }
  const change = changeTo(cur, delayed.newParallelism, delayed.outsideUtilizationBound);
  if (delayed.newParallelism !== recommended) {
    return {
      ...windowed,
      reasons: [...sizing.reasons, 'delayed-scale-down'],
      change,
      text: change.noChange
        ? `no change: the highest recommendation of the last ${interval} is the current ${cur}`
        : `scale-down ${cur} → ${delayed.newParallelism}, the highest recommendation of the last ${interval}`,
    };
  }
  return { ...windowed, change, text: `scale-down ${cur} → ${recommended}` };
}

/** The parts of an outcome the regular rule's sizing sets: its reasons, events and factor. */
function sizedByRule(
  sizing: VertexSizing,
  delayedScaleDown: DelayedScaleDownState | undefined,
): Pick<VertexOutcome, 'reasons' | 'events' | 'scaleFactor' | 'delayedScaleDown'> {
  return {
    reasons: sizing.reasons,
    events: sizing.scaled.events,
    scaleFactor: sizing.factor,
    delayedScaleDown,
  };
}
