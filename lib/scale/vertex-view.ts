/**
 * The first steps of a vertex decision (docs/algorithm.md §4.1): what the vertex runs
 * at, its rates and its no-scaling band, read once; and the decisions that keep the parallelism
 * before any scale factor exists.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  DelayedScaleDownState,
  EvaluatedVertexMetricName,
  EvaluatedVertexMetrics,
  ParallelismChange,
  StepTargetDataRate,
  VertexDecision,
  VertexLimitReason,
} from '../domain/index.ts';
import {
  type CapacityInputs,
  computeScaleThresholds,
  isOutsideUtilizationBound,
  type ScaleThresholds,
  targetProcessingCapacity,
} from '../evaluate/target-capacity.ts';
import { describeBand, formatRate } from './describe-vertex-decision.ts';
import type { VertexParallelismInput, VertexParallelismResult } from './vertex-parallelism-types.ts';

/** The fields of a vertex decision that are known before anything is decided. */
export type VertexDecisionBase = Pick<
  VertexDecision,
  | 'vertexId'
  | 'currentParallelism'
  | 'trueProcessingRateAvg'
  | 'targetDataRateAvg'
  | 'catchUpDataRate'
  | 'scaleUpRateThreshold'
  | 'scaleDownRateThreshold'
>;

/** What a vertex decision reads of its input, computed once for every later step. */
export interface VertexView {
  readonly currentParallelism: number;
  /** MAX_PARALLELISM: the number of key groups. */
  readonly maxParallelism: number;
  /** NUM_SOURCE_PARTITIONS; 0 = not a source or unknown. */
  readonly numSourcePartitions: number;
  /** TRUE_PROCESSING_RATE window average, records/s; NaN when unknown. */
  readonly trueProcessingRateAvg: number;
  /** Full-window rates: they set the band and judge a scale-up shortfall. */
  readonly windowRates: CapacityInputs;
  /** Rates that size the capacity: the window's, with TDR replaced by a step rate when given. */
  readonly capacityRates: CapacityInputs;
  readonly thresholds: ScaleThresholds;
  /** The why's first clause: where the TPR lies relative to the band. */
  readonly bandText: string;
  /** Whether the TPR lies outside the band (false when the TPR is unknown). */
  readonly outsideUtilizationBound: boolean;
  readonly base: VertexDecisionBase;
}

/**
 * Reads the vertex. The current parallelism, key groups and partitions come from the evaluated
 * metrics (the operator reads them there) and fall back to the topology's vertex info.
 */
export function readVertexView(
  input: VertexParallelismInput,
  step: StepTargetDataRate | undefined,
): VertexView {
  const { vertex, metrics } = input;
  const currentParallelism = currentOr(metrics, 'PARALLELISM', vertex.parallelism);
  const tpr = metrics.TRUE_PROCESSING_RATE?.average ?? Number.NaN;
  const windowRates: CapacityInputs = {
    targetDataRateAvg: metrics.TARGET_DATA_RATE?.average ?? Number.NaN,
    catchUpDataRate: metrics.CATCH_UP_DATA_RATE?.current ?? Number.NaN,
  };
  // The band always comes from the full-window rate; a step rate only sizes the capacity.
  const thresholds = scaleThresholds(metrics, windowRates, input.options, input.restartTimeMs);
  const capacityRates = step === undefined ? windowRates : { ...windowRates, targetDataRateAvg: step.rate };
  return {
    currentParallelism,
    maxParallelism: currentOr(metrics, 'MAX_PARALLELISM', vertex.maxParallelism),
    numSourcePartitions: currentOr(metrics, 'NUM_SOURCE_PARTITIONS', vertex.numSourcePartitions),
    trueProcessingRateAvg: tpr,
    windowRates,
    capacityRates,
    thresholds,
    bandText: describeBand(
      tpr,
      windowRates.targetDataRateAvg,
      thresholds.scaleUpRateThreshold,
      thresholds.scaleDownRateThreshold,
    ),
    outsideUtilizationBound: !Number.isNaN(tpr) && isOutsideUtilizationBound(tpr, thresholds),
    base: {
      vertexId: vertex.id,
      currentParallelism,
      trueProcessingRateAvg: tpr,
      targetDataRateAvg: capacityRates.targetDataRateAvg,
      catchUpDataRate: capacityRates.catchUpDataRate,
      scaleUpRateThreshold: thresholds.scaleUpRateThreshold,
      scaleDownRateThreshold: thresholds.scaleDownRateThreshold,
    },
  };
}

/** Target capacity at `utilization.target` with the restart term (docs/algorithm.md §3.5); NaN without a TPR. */
export function targetCapacityOf(
  view: VertexView,
  options: AutoscalerOptions,
  restartTimeMs: number,
): number {
  if (Number.isNaN(view.trueProcessingRateAvg)) return Number.NaN;
  const { capacityRates } = view;
  return targetProcessingCapacity(capacityRates, options, restartTimeMs, options.utilizationTarget, true);
}

/** The change that keeps `currentParallelism`. */
export function noChangeAt(currentParallelism: number): ParallelismChange {
  return {
    currentParallelism,
    newParallelism: currentParallelism,
    outsideUtilizationBound: false,
    noChange: true,
  };
}

/** The change from `currentParallelism` to `newParallelism` (no change when they are equal). */
export function changeTo(
  currentParallelism: number,
  newParallelism: number,
  outsideUtilizationBound: boolean,
): ParallelismChange {
  if (newParallelism === currentParallelism) return noChangeAt(currentParallelism);
  return { currentParallelism, newParallelism, outsideUtilizationBound, noChange: false };
}

/**
 * FINISHED vertices (completed bounded sources) are never scaled (docs/algorithm.md §1.1, vertex.exclude.ids);
 * the executor normally skips them, this keeps a direct call from scaling a dead vertex.
 */
export function finishedVertexDecision(view: VertexView): VertexParallelismResult {
  return keepWithoutFactor(view, {
    reason: 'finished',
    why: `vertex is FINISHED; parallelism ${view.currentParallelism} kept`,
    targetCapacity: Number.NaN,
    outsideUtilizationBound: false,
    delayedScaleDown: undefined,
  });
}

/**
 * No TPR or no target capacity: no factor, so no direction. A NaN factor (∞/∞: an idle vertex at
 * utilization target 0) has no meaningful direction either.
 */
export function noFactorDecision(
  view: VertexView,
  targetCapacity: number,
  pendingScaleDown: DelayedScaleDownState | undefined,
): VertexParallelismResult {
  const missing = Number.isNaN(view.trueProcessingRateAvg) ? 'no true processing rate' : 'no target capacity';
  return keepWithoutFactor(view, {
    reason: 'no-metrics',
    why: `${view.bandText}; ${missing} (target capacity ${formatRate(targetCapacity)}), parallelism ${view.currentParallelism} kept`,
    targetCapacity,
    outsideUtilizationBound: view.outsideUtilizationBound,
    // Nothing was recommended, so a pending scale-down is neither confirmed nor cancelled.
    delayedScaleDown: pendingScaleDown,
  });
}

/** What differs between the decisions that keep the parallelism before a factor exists. */
interface KeptWithoutFactor {
  readonly reason: VertexLimitReason;
  readonly why: string;
  readonly targetCapacity: number;
  readonly outsideUtilizationBound: boolean;
  readonly delayedScaleDown: DelayedScaleDownState | undefined;
}

function keepWithoutFactor(view: VertexView, kept: KeptWithoutFactor): VertexParallelismResult {
  const cur = view.currentParallelism;
  return {
    change: noChangeAt(cur),
    decision: {
      ...view.base,
      recommendedParallelism: cur,
      changed: false,
      outsideUtilizationBound: kept.outsideUtilizationBound,
      targetCapacity: kept.targetCapacity,
      scaleFactor: Number.NaN,
      expectedProcessingRate: Number.NaN,
      reasons: [kept.reason],
      why: kept.why,
    },
    delayedScaleDown: kept.delayedScaleDown,
    events: [],
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
 * the same computation without backlog (docs/algorithm.md §3.6).
 */
function scaleThresholds(
  metrics: EvaluatedVertexMetrics,
  inputs: CapacityInputs,
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
