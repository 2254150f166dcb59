/**
 * The per-vertex parallelism decision (spec/autoscaler-algorithm.md §4.1, Java
 * `JobVertexScaler#computeScaleTargetParallelism`), with the guards of §4.3–§4.6 and a decision
 * record that explains itself.
 */

import type { AutoscalerOptions } from '../config/index.ts';
import type {
  AutoscalerEvent,
  DelayedScaleDownState,
  EvaluatedVertexMetricName,
  EvaluatedVertexMetrics,
  ParallelismChange,
  ScalingSummary,
  ShipStrategy,
  StepTargetDataRate,
  VertexDecision,
  VertexInfo,
  VertexLimitReason,
} from '../domain/index.ts';
import {
  computeScaleThresholds,
  isOutsideUtilizationBound,
  type ScaleThresholds,
  targetProcessingCapacity,
} from '../evaluate/target-capacity.ts';
import { resolveAlignmentMode } from './align-parallelism.ts';
import { type CatchUpSettleOutcome, evaluateCatchUpSettle } from './catch-up-settle.ts';
import { applyDelayedScaleDown } from './delayed-scale-down.ts';
import {
  describeBand,
  describeLimit,
  formatDurationMs,
  formatRate,
  type LimitContext,
} from './describe-vertex-decision.ts';
import { detectIneffectiveScaleUp } from './ineffective-scaling.ts';
import { observedScalabilityCoefficient } from './scalability-coefficient.ts';
import { scaleParallelism } from './scale-parallelism.ts';
import { evaluateScaleUpShortfall } from './scale-up-shortfall.ts';

/** Input of {@link computeVertexParallelism}. */
export interface VertexParallelismInput {
  readonly vertex: VertexInfo;
  /** Evaluated metrics of the vertex (spec §3.4). */
  readonly metrics: EvaluatedVertexMetrics;
  /** Ship strategies of the vertex's input edges (empty for a source). */
  readonly inputShipStrategies: readonly ShipStrategy[];
  /** Executed scalings of the vertex, oldest first (already trimmed, spec §4.7). */
  readonly history: readonly ScalingSummary[];
  /** Pending delayed scale-down of the vertex, undefined when none. */
  readonly delayedScaleDown: DelayedScaleDownState | undefined;
  readonly options: AutoscalerOptions;
  /** Restart time fed into the capacity formula (spec §6), ms. */
  readonly restartTimeMs: number;
  /** The cycle's time, epoch ms. */
  readonly nowMs: number;
  /** The job's processing-backlog flag (spec §3.1), for catch-up settle. @default false */
  readonly processingBacklog?: boolean;
  /**
   * Whether the job's backlog is drained (`isBacklogDrained`), for catch-up settle; undefined =
   * unknown, which never settles.
   */
  readonly backlogDrained?: boolean;
  /**
   * Extension (step-aware target rate): the vertex's recent target data rate after a source's load
   * step (`EvaluatedMetrics.stepTargetDataRates`); only ever used to size a scale-up.
   */
  readonly stepTargetDataRate?: StepTargetDataRate;
}

/** Output of {@link computeVertexParallelism}. */
export interface VertexParallelismResult {
  readonly change: ParallelismChange;
  readonly decision: VertexDecision;
  /** New pending delayed scale-down of the vertex (undefined = none/cleared). */
  readonly delayedScaleDown: DelayedScaleDownState | undefined;
  /** IneffectiveScaling and ScalingLimited events raised while deciding. */
  readonly events: AutoscalerEvent[];
  /**
   * True when this cycle made the one catch-up settle check of the vertex's last scale-up and
   * found nothing to settle: the caller drops `catchUpCapacity` from that history entry.
   */
  readonly settleCheckSpent?: boolean;
  /**
   * True when this cycle made the one shortfall check of the vertex's last scale-up and found
   * nothing to correct: the caller drops `shortfallCheckDue` from that history entry.
   */
  readonly shortfallCheckSpent?: boolean;
}

/**
 * Spec §4.1:
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
 * operator reads them there) and fall back to the topology's {@link VertexInfo}.
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

/** `source src: last 5m 4000 rec/s vs window 3200 rec/s`, for each source with a step. */
export function describeStepSources(step: StepTargetDataRate): string {
  return step.sources
    .map(
      (source) =>
        `source ${source.vertexId}: last ${formatDurationMs(source.recentSpanMs)} (${source.recentSamples} samples) ` +
        `${formatRate(source.recentRate)} rec/s vs window ${formatRate(source.windowRate)} rec/s`,
    )
    .join('; ');
}

/** The decision of one vertex, with TDR replaced by `step.rate` when a step is given. */
function decideVertex(
  input: VertexParallelismInput,
  step: StepTargetDataRate | undefined,
): VertexParallelismResult {
  const { vertex, metrics, options } = input;
  const cur = currentOr(metrics, 'PARALLELISM', vertex.parallelism);
  const maxParallelism = currentOr(metrics, 'MAX_PARALLELISM', vertex.maxParallelism);
  const numSourcePartitions = currentOr(metrics, 'NUM_SOURCE_PARTITIONS', vertex.numSourcePartitions);
  const tpr = metrics.TRUE_PROCESSING_RATE?.average ?? Number.NaN;
  const windowInputs = {
    targetDataRateAvg: metrics.TARGET_DATA_RATE?.average ?? Number.NaN,
    catchUpDataRate: metrics.CATCH_UP_DATA_RATE?.current ?? Number.NaN,
  };
  // The band always comes from the full-window rate; a step rate only sizes the capacity.
  const thresholds = scaleThresholds(metrics, windowInputs, options, input.restartTimeMs);
  const capacityInputs =
    step === undefined ? windowInputs : { ...windowInputs, targetDataRateAvg: step.rate };
  const band = describeBand(
    tpr,
    windowInputs.targetDataRateAvg,
    thresholds.scaleUpRateThreshold,
    thresholds.scaleDownRateThreshold,
  );
  const inBandOutside = !Number.isNaN(tpr) && isOutsideUtilizationBound(tpr, thresholds);
  const base = {
    vertexId: vertex.id,
    currentParallelism: cur,
    trueProcessingRateAvg: tpr,
    targetDataRateAvg: capacityInputs.targetDataRateAvg,
    catchUpDataRate: capacityInputs.catchUpDataRate,
    scaleUpRateThreshold: thresholds.scaleUpRateThreshold,
    scaleDownRateThreshold: thresholds.scaleDownRateThreshold,
  };
  const noChange: ParallelismChange = {
    currentParallelism: cur,
    newParallelism: cur,
    outsideUtilizationBound: false,
    noChange: true,
  };

  // FINISHED vertices (completed bounded sources) are never scaled (spec §1.1, vertex.exclude.ids);
  // the executor normally skips them, this keeps a direct call from scaling a dead vertex.
  if (vertex.finished) {
    return {
      change: noChange,
      decision: {
        ...base,
        recommendedParallelism: cur,
        changed: false,
        outsideUtilizationBound: false,
        targetCapacity: Number.NaN,
        scaleFactor: Number.NaN,
        expectedProcessingRate: Number.NaN,
        reasons: ['finished'],
        why: `vertex is FINISHED; parallelism ${cur} kept`,
      },
      delayedScaleDown: undefined,
      events: [],
    };
  }

  const targetCapacity = Number.isNaN(tpr)
    ? Number.NaN
    : targetProcessingCapacity(capacityInputs, options, input.restartTimeMs, options.utilizationTarget, true);
  const unclampedFactor = targetCapacity / tpr;
  // A NaN factor (∞/∞: idle vertex at utilization target 0) has no meaningful direction either.
  if (Number.isNaN(unclampedFactor)) {
    const missing = Number.isNaN(tpr) ? 'no true processing rate' : 'no target capacity';
    return {
      change: noChange,
      decision: {
        ...base,
        recommendedParallelism: cur,
        changed: false,
        outsideUtilizationBound: inBandOutside,
        targetCapacity,
        scaleFactor: Number.NaN,
        expectedProcessingRate: Number.NaN,
        reasons: ['no-metrics'],
        why: `${band}; ${missing} (target capacity ${formatRate(targetCapacity)}), parallelism ${cur} kept`,
      },
      // Nothing was recommended, so a pending scale-down is neither confirmed nor cancelled.
      delayedScaleDown: input.delayedScaleDown,
      events: [],
    };
  }

  // Factor, observed scalability and the max factors (spec §4.1, §4.3).
  const reasons: VertexLimitReason[] = step === undefined ? [] : ['step-target-rate'];
  let factor = unclampedFactor;
  const stepText =
    step === undefined
      ? ''
      : `step-aware target rate ${formatRate(step.rate)} rec/s instead of ${formatRate(windowInputs.targetDataRateAvg)} ` +
        `(${describeStepSources(step)}; recent > window × (1 + ${options.stepAwareTargetRateThreshold})), used to size this scale-up: `;
  let factorText = `${stepText}target capacity ${formatRate(targetCapacity)} → factor ${factor.toFixed(2)}`;
  if (options.observedScalabilityEnabled) {
    const coefficient = observedScalabilityCoefficient(input.history, options);
    if (coefficient !== 1) {
      factor /= coefficient;
      reasons.push('observed-scalability');
      factorText += ` ÷ observed scalability ${coefficient.toFixed(2)} = ${factor.toFixed(2)}`;
    }
  }
  // 1 − max-factor below 0 would mean a negative parallelism; "unlimited" is factor 0.
  const minFactor = Math.max(0, 1 - options.scaleDownMaxFactor);
  const maxFactor = 1 + options.scaleUpMaxFactor;
  if (factor < minFactor) {
    factor = minFactor;
    reasons.push('max-scale-down-factor');
    factorText += `, limited to ${factor.toFixed(2)} by scale-down.max-factor ${options.scaleDownMaxFactor}`;
  } else if (factor > maxFactor) {
    factor = maxFactor;
    reasons.push('max-scale-up-factor');
    factorText += `, limited to ${formatRate(factor)} by scale-up.max-factor ${options.scaleUpMaxFactor}`;
  }

  // Limits, source-partition cap and alignment (spec §4.2, §4.4).
  const lowerLimit = Math.min(cur, options.vertexMinParallelism);
  const upperLimit = Math.max(cur, options.vertexMaxParallelism);
  const alignmentMode = resolveAlignmentMode(options);
  const scaleWith = (scaleFactor: number) =>
    scaleParallelism({
      vertexId: vertex.id,
      currentParallelism: cur,
      scaleFactor,
      lowerLimit,
      upperLimit,
      maxParallelism,
      numSourcePartitions,
      inputShipStrategies: input.inputShipStrategies,
      alignmentMode,
      eventIntervalMs: options.scalingEventIntervalMs,
    });
  const scaled = scaleWith(factor);
  const limitContext: LimitContext = {
    currentParallelism: cur,
    lowerLimit,
    vertexMinParallelism: options.vertexMinParallelism,
    vertexMaxParallelism: options.vertexMaxParallelism,
    maxParallelism,
    numSourcePartitions,
    alignmentMode,
    numKeyGroupsOrPartitions: scaled.alignment?.numKeyGroupsOrPartitions ?? maxParallelism,
  };
  const primary: VertexLimitReason =
    scaled.rawParallelism > cur ? 'scale-up' : scaled.rawParallelism < cur ? 'scale-down' : 'within-bounds';
  reasons.unshift(primary);
  reasons.push(...scaled.steps.map((step) => step.reason));
  const numberText = [
    `${factorText} → ${scaled.rawParallelism}`,
    ...scaled.steps.map((step) => describeLimit(step.reason, step.parallelism, limitContext)),
  ].join(', ');
  const events: AutoscalerEvent[] = [...scaled.events];
  const newParallelism = scaled.parallelism;
  // The one-time checks after a scale-up (extensions) see the same cycle.
  const afterScaleUp = {
    currentParallelism: cur,
    trueProcessingRateAvg: tpr,
    history: input.history,
    options,
    nowMs: input.nowMs,
    processingBacklog: input.processingBacklog ?? false,
    backlogDrained: input.backlogDrained,
    scalabilityCoefficient: options.observedScalabilityEnabled
      ? observedScalabilityCoefficient(input.history, options)
      : 1,
    scale: scaleWith,
  };
  const settle = evaluateCatchUpSettle({ ...afterScaleUp, targetDataRateAvg: capacityInputs.targetDataRateAvg });
  // The shortfall is judged on the window rate: a step rate only ever sizes a scale-up.
  const shortfall = evaluateScaleUpShortfall({ ...afterScaleUp, targetDataRateAvg: windowInputs.targetDataRateAvg });
  const settleNote = [settle, shortfall]
    .map((check) => (check.kind === 'waiting' || check.kind === 'not-needed' ? `; ${check.text}` : ''))
    .join('');
  const decide = (
    change: ParallelismChange,
    outcome: string,
    delayedScaleDown: DelayedScaleDownState | undefined,
    scaleFactor = factor,
  ): VertexParallelismResult => ({
    change,
    decision: {
      ...base,
      recommendedParallelism: change.newParallelism,
      changed: !change.noChange,
      outsideUtilizationBound: inBandOutside,
      targetCapacity,
      scaleFactor,
      // Expected rate at the parallelism actually recommended (Java uses the pre-delay target).
      expectedProcessingRate: change.noChange ? Number.NaN : (tpr / cur) * change.newParallelism,
      reasons,
      why: `${band}; ${numberText}; ${outcome}${settleNote}`,
    },
    delayedScaleDown,
    events,
    ...(settle.kind === 'not-needed' ? { settleCheckSpent: true } : {}),
    ...(shortfall.kind === 'not-needed' ? { shortfallCheckSpent: true } : {}),
  });

  if (settle.kind === 'settle') {
    return settleDecision(
      settle,
      { base, cur, inBandOutside, targetCapacity, band, numberText, limitContext, tpr },
      input,
    );
  }
  // A due shortfall correction is a scale-up that the band alone would not let through. It takes
  // the path of every scale-up below, sized by whichever of it and the regular rule recommends
  // more (the regular capacity adds the restart's catch-up, so it usually does).
  const correction = shortfall.kind === 'correct' ? shortfall : undefined;
  const correctionSizes = correction !== undefined && correction.parallelism >= newParallelism;
  const target = correctionSizes ? correction.parallelism : newParallelism;
  if (target === cur) {
    return decide(noChange, `no change from ${cur}`, undefined);
  }
  const outside = isOutsideUtilizationBound(tpr, thresholds);
  const build = (p: number, outsideBound: boolean): ParallelismChange =>
    p === cur
      ? noChange
      : {
          currentParallelism: cur,
          newParallelism: p,
          outsideUtilizationBound: outsideBound,
          noChange: false,
        };

  if (target > cur) {
    // A scale-up is never delayed and supersedes any pending scale-down (spec §4.6).
    let scaleFactor = factor;
    let scaleUpText = `scale-up ${cur} → ${target}`;
    if (correction !== undefined) {
      reasons.push('shortfall-correction');
      if (correctionSizes) {
        reasons[0] = 'scale-up';
        reasons.push(...correction.scaled.steps.map((step) => step.reason));
        events.splice(0, events.length, ...correction.scaled.events);
        scaleFactor = correction.scaleFactor;
        const limits = correction.scaled.steps.map((step) =>
          describeLimit(step.reason, step.parallelism, limitContext),
        );
        scaleUpText = `${correction.text}; ${scaleUpText}: ${[correction.sizing, ...limits].join(', ')}`;
      } else {
        scaleUpText = `${correction.text}; ${scaleUpText} (${correction.sizing}, the regular rule recommends more)`;
      }
    }
    const ineffective = detectIneffectiveScaleUp({
      vertexId: vertex.id,
      currentParallelism: cur,
      trueProcessingRateAvg: tpr,
      history: input.history,
      options,
    });
    events.push(...ineffective.events);
    if (ineffective.blockScaleUp) {
      reasons.push('ineffective-scaling');
      return decide(
        noChange,
        `${scaleUpText} blocked: the last scale-up was ineffective ` +
          `(expected +${formatRate(ineffective.expectedIncrease)} rec/s, got +${formatRate(ineffective.actualIncrease)})`,
        undefined,
        scaleFactor,
      );
    }
    return decide(build(target, outside || correction !== undefined), scaleUpText, undefined, scaleFactor);
  }

  const delayed = applyDelayedScaleDown({
    state: input.delayedScaleDown,
    nowMs: input.nowMs,
    scaleDownIntervalMs: options.scaleDownIntervalMs,
    currentParallelism: cur,
    newParallelism,
    outsideUtilizationBound: outside,
  });
  const interval = formatDurationMs(options.scaleDownIntervalMs);
  if (delayed.delaying) {
    reasons.push('delayed-scale-down');
    return decide(
      noChange,
      `scale-down ${cur} → ${newParallelism} delayed by scale-down.interval ${interval} until ` +
        new Date(delayed.delayEndsAtMs).toISOString(),
      delayed.state,
    );
  }
  if (delayed.newParallelism !== newParallelism) {
    reasons.push('delayed-scale-down');
    const change = build(delayed.newParallelism, delayed.outsideUtilizationBound);
    const outcome = change.noChange
      ? `no change: the highest recommendation of the last ${interval} is the current ${cur}`
      : `scale-down ${cur} → ${delayed.newParallelism}, the highest recommendation of the last ${interval}`;
    return decide(change, outcome, delayed.state);
  }
  return decide(
    build(newParallelism, delayed.outsideUtilizationBound),
    `scale-down ${cur} → ${newParallelism}`,
    delayed.state,
  );
}

/** What {@link settleDecision} reuses of the main computation. */
interface SettleContext {
  readonly base: Omit<
    VertexDecision,
    | 'recommendedParallelism'
    | 'changed'
    | 'outsideUtilizationBound'
    | 'targetCapacity'
    | 'scaleFactor'
    | 'expectedProcessingRate'
    | 'reasons'
    | 'why'
  >;
  readonly cur: number;
  readonly inBandOutside: boolean;
  readonly targetCapacity: number;
  readonly band: string;
  readonly numberText: string;
  readonly limitContext: LimitContext;
  readonly tpr: number;
}

/**
 * The decision of a catch-up settle. The change counts as outside the utilization bound: the
 * settle is a decided right-sizing, and inside the band nothing else would ever trigger it. A
 * pending delayed scale-down is left as it is (an executed scaling clears it anyway, a blocked
 * one must not lose it).
 */
function settleDecision(
  settle: Extract<CatchUpSettleOutcome, { kind: 'settle' }>,
  context: SettleContext,
  input: VertexParallelismInput,
): VertexParallelismResult {
  const { cur, tpr } = context;
  const limits = settle.scaled.steps.map((step) =>
    describeLimit(step.reason, step.parallelism, context.limitContext),
  );
  const settleText = [settle.text, ...limits].join(', ');
  return {
    change: {
      currentParallelism: cur,
      newParallelism: settle.parallelism,
      outsideUtilizationBound: true,
      noChange: false,
    },
    decision: {
      ...context.base,
      recommendedParallelism: settle.parallelism,
      changed: true,
      outsideUtilizationBound: context.inBandOutside,
      targetCapacity: context.targetCapacity,
      scaleFactor: settle.scaleFactor,
      expectedProcessingRate: (tpr / cur) * settle.parallelism,
      reasons: ['scale-down', 'catch-up-settle', ...settle.scaled.steps.map((step) => step.reason)],
      why: `${context.band}; ${context.numberText}; ${settleText}`,
    },
    delayedScaleDown: input.delayedScaleDown,
    events: [...settle.scaled.events],
  };
}

/** The `current` value of a count metric when present, else the topology's value. */
function currentOr(
  metrics: EvaluatedVertexMetrics,
  name: EvaluatedVertexMetricName,
  fallback: number,
): number {
  const value = metrics[name]?.current;
  return value === undefined || Number.isNaN(value) ? fallback : value;
}

/**
 * The thresholds the evaluation stored (they include the job's backlog flag), or, when absent,
 * the same computation without backlog (spec §3.6).
 */
function scaleThresholds(
  metrics: EvaluatedVertexMetrics,
  inputs: { targetDataRateAvg: number; catchUpDataRate: number },
  options: AutoscalerOptions,
  restartTimeMs: number,
): ScaleThresholds {
  const up = metrics.SCALE_UP_RATE_THRESHOLD?.current;
  const down = metrics.SCALE_DOWN_RATE_THRESHOLD?.current;
  const computed =
    up === undefined || Number.isNaN(up) || down === undefined || Number.isNaN(down)
      ? computeScaleThresholds(inputs, options, restartTimeMs, false)
      : undefined;
  return {
    scaleUpRateThreshold: up === undefined || Number.isNaN(up) ? computed!.scaleUpRateThreshold : up,
    scaleDownRateThreshold:
      down === undefined || Number.isNaN(down) ? computed!.scaleDownRateThreshold : down,
  };
}
