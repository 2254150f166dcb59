/**
 * Ineffective scale-up detection (docs/algorithm.md §4.5): if the last scale-up of a
 * vertex brought almost none of the processing rate it promised, scaling it up again will not
 * help either (the bottleneck is elsewhere: skew, an external system, a slow sink).
 */

import type { AutoscalerOptions } from '../config/index.ts';
import type { AutoscalerEvent, ScalingSummary, VertexId } from '../domain/index.ts';

/** Input of {@link detectIneffectiveScaleUp}. */
export interface IneffectiveScaleUpInput {
  readonly vertexId: VertexId;
  readonly currentParallelism: number;
  /** TRUE_PROCESSING_RATE window average now (records/s). */
  readonly trueProcessingRateAvg: number;
  /** Scaling summaries of the vertex, oldest first. */
  readonly history: readonly ScalingSummary[];
  readonly options: Pick<
    AutoscalerOptions,
    'scalingEffectivenessDetectionEnabled' | 'scalingEffectivenessThreshold' | 'scalingEventIntervalMs'
  >;
}

/** Outcome of {@link detectIneffectiveScaleUp}. */
export interface IneffectiveScaleUpResult {
  /** Whether the last summary was a scale-up that led to the current parallelism (else nothing to judge). */
  readonly checked: boolean;
  readonly ineffective: boolean;
  /** True when ineffective and `scaling.effectiveness.detection.enabled`: the new scale-up is blocked. */
  readonly blockScaleUp: boolean;
  /** Expected rate increase of the last scale-up: its EXPECTED_PROCESSING_RATE − its TPR (records/s). */
  readonly expectedIncrease: number;
  /** Rate increase observed since: TPR now − the last summary's TPR (records/s). */
  readonly actualIncrease: number;
  /** The IneffectiveScaling event (emitted whether or not blocking is enabled). */
  readonly events: readonly AutoscalerEvent[];
}

/**
 * Judges the vertex's last scaling (docs/algorithm.md §4.5). Only a last summary that was a scale-up *to the
 * current parallelism* is judged: after a manual rescale the measurement says nothing about it.
 *
 *     ineffective ⇔ ¬(actualIncrease / expectedIncrease ≥ scaling.effectiveness.threshold)
 *
 * written negated so that a NaN ratio (0/0) counts as ineffective, as in the Java code.
 */
export function detectIneffectiveScaleUp(input: IneffectiveScaleUpInput): IneffectiveScaleUpResult {
  const last = input.history.at(-1);
  const notChecked: IneffectiveScaleUpResult = {
    checked: false,
    ineffective: false,
    blockScaleUp: false,
    expectedIncrease: Number.NaN,
    actualIncrease: Number.NaN,
    events: [],
  };
  if (
    last === undefined ||
    last.newParallelism !== input.currentParallelism ||
    last.newParallelism <= last.currentParallelism
  ) {
    return notChecked;
  }
  const lastRate = last.metrics.trueProcessingRateAvg;
  const expectedIncrease = last.metrics.expectedProcessingRate - lastRate;
  const actualIncrease = input.trueProcessingRateAvg - lastRate;
  const effective = actualIncrease / expectedIncrease >= input.options.scalingEffectivenessThreshold;
  if (effective) return { ...notChecked, checked: true, expectedIncrease, actualIncrease };

  const enabled = input.options.scalingEffectivenessDetectionEnabled;
  return {
    checked: true,
    ineffective: true,
    blockScaleUp: enabled,
    expectedIncrease,
    actualIncrease,
    events: [
      ineffectiveScalingEvent(input.vertexId, expectedIncrease, actualIncrease, enabled, input.options),
    ],
  };
}

/** The IneffectiveScaling event with the operator's text and de-duplication key (docs/algorithm.md §4.5, §5.4). */
function ineffectiveScalingEvent(
  vertexId: VertexId,
  expectedIncrease: number,
  actualIncrease: number,
  blockingEnabled: boolean,
  options: Pick<AutoscalerOptions, 'scalingEventIntervalMs'>,
): AutoscalerEvent {
  const expected = formatJavaDouble(expectedIncrease);
  return {
    reason: 'IneffectiveScaling',
    type: 'Normal',
    message:
      `Ineffective scaling detected for ${vertexId} (expected increase: ${expected}, ` +
      `actual increase ${formatJavaDouble(actualIncrease)}). Blocking of ineffective scaling decisions is ` +
      (blockingEnabled ? 'enabled' : 'disabled'),
    messageKey: `ineffective${vertexId}${expected}`,
    dedupeIntervalMs: options.scalingEventIntervalMs,
  };
}

/**
 * A double as Java's string concatenation prints it for the values seen here: whole numbers keep
 * a `.0` (`90.0`), so messages and de-duplication keys match the operator's. Very large or small
 * magnitudes (Java switches to `E` notation) are printed the JavaScript way.
 */
export function formatJavaDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return `${value}.0`;
  return String(value);
}
