/**
 * The sizing steps of a vertex decision (docs/algorithm.md §4.1–§4.4): from the target
 * capacity to a scale factor, and from the factor to a parallelism within the vertex's limits.
 * Each step returns its number together with the reasons and the clause of the why it adds.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { StepTargetDataRate, VertexLimitReason } from '../domain/index.ts';
import { resolveAlignmentMode } from './align-parallelism.ts';
import {
  describeLimitSteps,
  describeStepSources,
  formatRate,
  type LimitContext,
} from './describe-vertex-decision.ts';
import { type ScaleParallelismResult, scaleParallelism } from './scale-parallelism.ts';
import type { VertexParallelismInput } from './vertex-parallelism-types.ts';
import type { VertexView } from './vertex-view.ts';

/** A step's number with the reasons it adds and its clause of the why. */
export interface ExplainedNumber {
  readonly value: number;
  readonly reasons: readonly VertexLimitReason[];
  readonly text: string;
}

/** Input of {@link computeScaleFactor}. */
export interface ScaleFactorInput {
  /** Target capacity at `utilization.target`, records/s. */
  readonly targetCapacity: number;
  readonly trueProcessingRateAvg: number;
  /** TARGET_DATA_RATE window average, records/s: named when a step rate replaces it. */
  readonly windowTargetDataRateAvg: number;
  readonly step: StepTargetDataRate | undefined;
  /** Observed scalability coefficient α (1 = linear or disabled). */
  readonly scalabilityCoefficient: number;
  readonly options: Pick<
    AutoscalerOptions,
    'scaleDownMaxFactor' | 'scaleUpMaxFactor' | 'stepAwareTargetRateThreshold'
  >;
}

/**
 * docs/algorithm.md §4.1, §4.3: `f = cap / TPR [/ α]`, clamped to
 * `[1 − scale-down.max-factor, 1 + scale-up.max-factor]`.
 */
export function computeScaleFactor(input: ScaleFactorInput): ExplainedNumber {
  const capacity = capacityFactor(input);
  const scalability = divideByScalability(capacity.value, input.scalabilityCoefficient);
  const clamped = clampToMaxFactors(scalability.value, input.options);
  return {
    value: clamped.value,
    reasons: [...capacity.reasons, ...scalability.reasons, ...clamped.reasons],
    text: capacity.text + scalability.text + clamped.text,
  };
}

/** `cap / TPR`, naming the step rate when it replaced the window's TDR. */
function capacityFactor(input: ScaleFactorInput): ExplainedNumber {
  const { step } = input;
  const factor = input.targetCapacity / input.trueProcessingRateAvg;
  const stepText =
    step === undefined
      ? ''
      : `step-aware target rate ${formatRate(step.rate)} rec/s instead of ${formatRate(input.windowTargetDataRateAvg)} ` +
        `(${describeStepSources(step)}; recent > window × (1 + ${input.options.stepAwareTargetRateThreshold})), used to size this scale-up: `;
  return {
    value: factor,
    reasons: step === undefined ? [] : ['step-target-rate'],
    text: `${stepText}target capacity ${formatRate(input.targetCapacity)} → factor ${factor.toFixed(2)}`,
  };
}

/** `f / α` (docs/algorithm.md §4.3); unchanged at α = 1. */
function divideByScalability(factor: number, coefficient: number): ExplainedNumber {
  if (coefficient === 1) return { value: factor, reasons: [], text: '' };
  const divided = factor / coefficient;
  return {
    value: divided,
    reasons: ['observed-scalability'],
    text: ` ÷ observed scalability ${coefficient.toFixed(2)} = ${divided.toFixed(2)}`,
  };
}

/** The max scale-down and scale-up factors (docs/algorithm.md §4.1). */
function clampToMaxFactors(
  factor: number,
  options: Pick<AutoscalerOptions, 'scaleDownMaxFactor' | 'scaleUpMaxFactor'>,
): ExplainedNumber {
  // 1 − max-factor below 0 would mean a negative parallelism; "unlimited" is factor 0.
  const minFactor = Math.max(0, 1 - options.scaleDownMaxFactor);
  const maxFactor = 1 + options.scaleUpMaxFactor;
  if (factor < minFactor) {
    return {
      value: minFactor,
      reasons: ['max-scale-down-factor'],
      text: `, limited to ${minFactor.toFixed(2)} by scale-down.max-factor ${options.scaleDownMaxFactor}`,
    };
  }
  if (factor > maxFactor) {
    return {
      value: maxFactor,
      reasons: ['max-scale-up-factor'],
      text: `, limited to ${formatRate(maxFactor)} by scale-up.max-factor ${options.scaleUpMaxFactor}`,
    };
  }
  return { value: factor, reasons: [], text: '' };
}

/** The regular rule's parallelism and everything the later steps reuse of it. */
export interface VertexSizing {
  /** The clamped scale factor. */
  readonly factor: number;
  /** The vertex's factor → parallelism step (limits, caps, alignment), shared with later checks. */
  readonly scaleWith: (factor: number) => ScaleParallelismResult;
  /** The parallelism the regular rule recommends, and how the limits moved it. */
  readonly scaled: ScaleParallelismResult;
  readonly limitContext: LimitContext;
  /** The direction first, then the factor's and the limits' reasons. */
  readonly reasons: readonly VertexLimitReason[];
  /** The why's sizing clause: factor, raw parallelism and every limit that moved it. */
  readonly text: string;
}

/** Limits, source-partition cap and alignment (docs/algorithm.md §4.2, §4.4) applied to the factor. */
export function sizeParallelism(
  view: VertexView,
  factor: ExplainedNumber,
  input: VertexParallelismInput,
): VertexSizing {
  const { options } = input;
  const cur = view.currentParallelism;
  const lowerLimit = Math.min(cur, options.vertexMinParallelism);
  const upperLimit = Math.max(cur, options.vertexMaxParallelism);
  const alignmentMode = resolveAlignmentMode(options);
  const scaleWith = (scaleFactor: number) =>
    scaleParallelism({
      vertexId: input.vertex.id,
      currentParallelism: cur,
      scaleFactor,
      lowerLimit,
      upperLimit,
      maxParallelism: view.maxParallelism,
      numSourcePartitions: view.numSourcePartitions,
      inputShipStrategies: input.inputShipStrategies,
      alignmentMode,
      eventIntervalMs: options.scalingEventIntervalMs,
    });
  const scaled = scaleWith(factor.value);
  const limitContext: LimitContext = {
    currentParallelism: cur,
    lowerLimit,
    vertexMinParallelism: options.vertexMinParallelism,
    vertexMaxParallelism: options.vertexMaxParallelism,
    maxParallelism: view.maxParallelism,
    numSourcePartitions: view.numSourcePartitions,
    alignmentMode,
    numKeyGroupsOrPartitions: scaled.alignment?.numKeyGroupsOrPartitions ?? view.maxParallelism,
  };
  const direction: VertexLimitReason =
    scaled.rawParallelism > cur ? 'scale-up' : scaled.rawParallelism < cur ? 'scale-down' : 'within-bounds';
  return {
    factor: factor.value,
    scaleWith,
    scaled,
    limitContext,
    reasons: [direction, ...factor.reasons, ...scaled.steps.map((step) => step.reason)],
    text: [
      `${factor.text} → ${scaled.rawParallelism}`,
      ...describeLimitSteps(scaled.steps, limitContext),
    ].join(', '),
  };
}
