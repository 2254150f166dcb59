/**
 * The per-vertex parallelism decision (docs/algorithm.md §4.1, Java
 * `JobVertexScaler#computeScaleTargetParallelism`), with the guards of §4.3–§4.6 and a decision
 * record that explains itself.
 *
 * The decision is a pipeline of small steps (vertex-view.ts, vertex-sizing.ts,
 * vertex-outcome.ts); each returns its number with the reasons and the clause of the why it adds,
 * and {@link assembleResult} puts the why together at the end.
 */
import type { StepTargetDataRate } from '../domain/index.ts';
import { type CatchUpSettleOutcome, evaluateCatchUpSettle } from './catch-up-settle.ts';
import { describeStepSources, formatRate } from './describe-vertex-decision.ts';
import { observedScalabilityCoefficient } from './scalability-coefficient.ts';
import { evaluateScaleUpShortfall, type ScaleUpShortfallOutcome } from './scale-up-shortfall.ts';
import { regularOutcome, settleOutcome, type VertexOutcome } from './vertex-outcome.ts';
import type { VertexParallelismInput, VertexParallelismResult } from './vertex-parallelism-types.ts';
import { computeScaleFactor, sizeParallelism, type VertexSizing } from './vertex-sizing.ts';
import {
  finishedVertexDecision,
  noFactorDecision,
  readVertexView,
  targetCapacityOf,
  type VertexView,
} from './vertex-view.ts';

export type { VertexParallelismInput, VertexParallelismResult } from './vertex-parallelism-types.ts';

/**
 * docs/algorithm.md §4.1:
 *
 *     TPR NaN → no change;   cap = capacity(utilization.target, withRestart)  (NaN → no change)
 *     f = cap / TPR [/ α]     clamped to [1 − scale-down.max-factor, 1 + scale-up.max-factor]
 *     new = scale(cur, f, min(cur, minP), max(cur, maxP), …)           (§4.2, §4.4)
 *     new == cur            → clear delayed scale-down, no change
 *     new > cur             → clear delayed scale-down; blocked if the last scale-up was ineffective
 *     new < cur             → through the delayed scale-down window (§4.6)
 *
 * Extension, before the last three rules: a due catch-up settle (see `evaluateCatchUpSettle`)
 * scales down to the steady-state target at once, marked outside the utilization bound so that it
 * triggers a scaling on its own.
 *
 * Extension, after catch-up settle: a due scale-up shortfall correction (see
 * `evaluateScaleUpShortfall`) is a scale-up marked outside the utilization bound, sized by the
 * larger of its steady-state target and the rules below, and blocked like any scale-up.
 *
 * Extension (step-aware target rate): with a step rate above TARGET_DATA_RATE the decision is
 * computed a second time with TDR = the step rate (the utilization band, which decides whether the
 * job scales at all, stays the full-window one). That decision is taken only when it is a
 * scale-up to more than the full-window decision recommends; otherwise the full-window decision
 * stands and its `why` says the step rate was not used. So a step never causes, enlarges or
 * delays a scale-down, and a constant load never reaches this path.
 *
 * The current parallelism, key groups and partitions come from the evaluated metrics (the
 * operator reads them there) and fall back to the topology's `VertexInfo`.
 */
export function computeVertexParallelism(input: VertexParallelismInput): VertexParallelismResult {
  const full = decideVertex(input, undefined);
  const step = input.stepTargetDataRate;
  const windowRate = input.metrics.TARGET_DATA_RATE?.average ?? Number.NaN;
  if (step === undefined || !(step.rate > windowRate)) return full;
  const stepped = decideVertex(input, step);
  const cur = full.change.currentParallelism;
  const fullNew = full.change.newParallelism;
  if (stepped.change.newParallelism > Math.max(cur, fullNew)) return stepped;
  const would =
    stepped.change.newParallelism === cur
      ? `keeps ${cur}`
      : `recommends ${stepped.change.newParallelism}, not a larger scale-up`;
  return {
    ...full,
    decision: {
      ...full.decision,
      why: `${full.decision.why}; step-aware target rate ${formatRate(step.rate)} rec/s (${describeStepSources(step)}) not used: sized for it the vertex ${would}`,
    },
  };
}

/** The decision of one vertex, with TDR replaced by `step.rate` when a step is given. */
function decideVertex(
  input: VertexParallelismInput,
  step: StepTargetDataRate | undefined,
): VertexParallelismResult {
  const { options } = input;
  const view = readVertexView(input, step);
  if (input.vertex.finished) return finishedVertexDecision(view);
  const targetCapacity = targetCapacityOf(view, options, input.restartTimeMs);
  if (Number.isNaN(targetCapacity / view.trueProcessingRateAvg)) {
    return noFactorDecision(view, targetCapacity, input.delayedScaleDown);
  }
  const scalabilityCoefficient = options.observedScalabilityEnabled
    ? observedScalabilityCoefficient(input.history, options)
    : 1;
  const factor = computeScaleFactor({
    targetCapacity,
    trueProcessingRateAvg: view.trueProcessingRateAvg,
    windowTargetDataRateAvg: view.windowRates.targetDataRateAvg,
    step,
    scalabilityCoefficient,
    options,
  });
  const sizing = sizeParallelism(view, factor, input);
  const checks = checkAfterScaleUp(view, sizing, input, scalabilityCoefficient);
  if (checks.settle.kind === 'settle') {
    const settled = settleOutcome(checks.settle, view, sizing, input.delayedScaleDown);
    return assembleResult(view, targetCapacity, sizing, settled, SETTLED);
  }
  const outcome = regularOutcome(view, sizing, checks.shortfall, input);
  return assembleResult(view, targetCapacity, sizing, outcome, checkNotes(checks));
}

/** The outcomes of the one-time checks after a scale-up (extensions), seen by the same cycle. */
interface AfterScaleUpChecks {
  readonly settle: CatchUpSettleOutcome;
  readonly shortfall: ScaleUpShortfallOutcome;
}

function checkAfterScaleUp(
  view: VertexView,
  sizing: VertexSizing,
  input: VertexParallelismInput,
  scalabilityCoefficient: number,
): AfterScaleUpChecks {
  const cycle = {
    currentParallelism: view.currentParallelism,
    trueProcessingRateAvg: view.trueProcessingRateAvg,
    history: input.history,
    options: input.options,
    nowMs: input.nowMs,
    processingBacklog: input.processingBacklog ?? false,
    backlogDrained: input.backlogDrained,
    scalabilityCoefficient,
    scale: sizing.scaleWith,
  };
  return {
    settle: evaluateCatchUpSettle({ ...cycle, targetDataRateAvg: view.capacityRates.targetDataRateAvg }),
    // The shortfall is judged on the window rate: a step rate only ever sizes a scale-up.
    shortfall: evaluateScaleUpShortfall({
      ...cycle,
      targetDataRateAvg: view.windowRates.targetDataRateAvg,
      risingSources: input.risingSources ?? [],
    }),
  };
}

/** What the checks after a scale-up add to a decision: notes for the why, spent one-time checks. */
interface CheckNotes {
  readonly text: string;
  readonly settleCheckSpent: boolean;
  readonly shortfallCheckSpent: boolean;
}

/** A settle explains itself and leaves the other check due for the next cycle. */
const SETTLED: CheckNotes = { text: '', settleCheckSpent: false, shortfallCheckSpent: false };

function checkNotes(checks: AfterScaleUpChecks): CheckNotes {
  const { settle, shortfall } = checks;
  return {
    text: [settle, shortfall]
      .map((check) => (check.kind === 'waiting' || check.kind === 'not-needed' ? `; ${check.text}` : ''))
      .join(''),
    settleCheckSpent: settle.kind === 'not-needed',
    shortfallCheckSpent: shortfall.kind === 'not-needed',
  };
}

/** The decision record: the steps' numbers, and the why from band, sizing, outcome and notes. */
function assembleResult(
  view: VertexView,
  targetCapacity: number,
  sizing: VertexSizing,
  outcome: VertexOutcome,
  notes: CheckNotes,
): VertexParallelismResult {
  const { change } = outcome;
  return {
    change,
    decision: {
      ...view.base,
      recommendedParallelism: change.newParallelism,
      changed: !change.noChange,
      outsideUtilizationBound: view.outsideUtilizationBound,
      targetCapacity,
      scaleFactor: outcome.scaleFactor,
      // Expected rate at the parallelism actually recommended (Java uses the pre-delay target).
      expectedProcessingRate: change.noChange
        ? Number.NaN
        : (view.trueProcessingRateAvg / view.currentParallelism) * change.newParallelism,
      reasons: [...outcome.reasons],
      why: `${view.bandText}; ${sizing.text}; ${outcome.text}${notes.text}`,
    },
    delayedScaleDown: outcome.delayedScaleDown,
    events: [...outcome.events],
    ...(notes.settleCheckSpent ? { settleCheckSpent: true } : {}),
    ...(notes.shortfallCheckSpent ? { shortfallCheckSpent: true } : {}),
  };
}
