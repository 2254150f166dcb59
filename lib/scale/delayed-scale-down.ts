/**
 * Delayed (windowed) scale-down, docs/algorithm.md §4.6 (FLINK-36018). A scale-down
 * costs a restart, and a load dip is often followed by recovery, so a vertex is only scaled down
 * after recommending it for a whole `scale-down.interval`, and then only to the *highest*
 * parallelism recommended within that window.
 *
 * Every function is pure: it returns a new state object and never mutates its argument, so the
 * caller can tell whether anything changed (and has to be persisted) by identity.
 */
import type { DelayedRecommendation, DelayedScaleDownState, VertexId } from '../domain/index.ts';
import { requireWholeNumber, ScaleInputError } from './scale-input-error.ts';

/**
 * A window query found no recommendation at or after its start (Java: `IllegalStateException` in
 * `DelayedScaleDown#getMaxRecommendedParallelism`). Cannot happen in the scaler, which queries
 * right after triggering at `now`; it signals a caller passing a window start in the future.
 */
export class EmptyScaleDownWindowError extends Error {
  override readonly name = 'EmptyScaleDownWindowError';
  readonly windowStartMs: number;
  readonly lastTriggerTimeMs: number | undefined;

  constructor(windowStartMs: number, lastTriggerTimeMs: number | undefined) {
    super(
      `No delayed scale-down recommendation in the window starting at ${windowStartMs} ms: ` +
        (lastTriggerTimeMs === undefined
          ? 'there are no recommendations'
          : `the newest one was triggered at ${lastTriggerTimeMs} ms; the window start must be ≤ that`),
    );
    this.windowStartMs = windowStartMs;
    this.lastTriggerTimeMs = lastTriggerTimeMs;
  }
}

/**
 * Records a scale-down recommendation. Starts the state (first trigger time = this trigger) when
 * there is none. Recommendations at or below the new parallelism are dropped from the tail: they
 * are older *and* not higher, so they can never again be the maximum of a window that contains
 * the new one. This keeps the list strictly decreasing, and the window maximum at its head.
 */
export function triggerDelayedScaleDown(
  state: DelayedScaleDownState | undefined,
  recommendation: DelayedRecommendation,
): DelayedScaleDownState {
  requireWholeNumber('recommendation.parallelism', recommendation.parallelism, 1);
  if (!Number.isFinite(recommendation.triggerTimeMs)) {
    throw new ScaleInputError(
      'recommendation.triggerTimeMs',
      recommendation.triggerTimeMs,
      'a finite epoch ms',
    );
  }
  const kept = (state?.recommendations ?? []).filter((r) => r.parallelism > recommendation.parallelism);
  return {
    firstTriggerTimeMs: state?.firstTriggerTimeMs ?? recommendation.triggerTimeMs,
    recommendations: [...kept, { ...recommendation }],
  };
}

/** Result of {@link maxRecommendationInWindow}. */
export interface WindowMaximum {
  /** The highest recommendation triggered at or after the window start. */
  readonly recommendation: DelayedRecommendation;
  /** The state without the recommendations older than the window start. */
  readonly state: DelayedScaleDownState;
}

/**
 * The highest recommendation in the window `[windowStartMs, …)`, evicting older ones (they can
 * never be in a later window either). Throws {@link EmptyScaleDownWindowError} when nothing is left.
 */
export function maxRecommendationInWindow(
  state: DelayedScaleDownState,
  windowStartMs: number,
): WindowMaximum {
  const inWindow = state.recommendations.filter((r) => r.triggerTimeMs >= windowStartMs);
  const head = inWindow[0];
  if (head === undefined) {
    throw new EmptyScaleDownWindowError(windowStartMs, state.recommendations.at(-1)?.triggerTimeMs);
  }
  const evicted =
    inWindow.length === state.recommendations.length ? state : { ...state, recommendations: inWindow };
  return { recommendation: head, state: evicted };
}

/** Pending delayed scale-downs of a job, by vertex (as in `JobState.delayedScaleDown`). */
export type DelayedScaleDowns = Readonly<Record<VertexId, DelayedScaleDownState>>;

/** Drops the pending scale-down of one vertex; returns the same object when there was none. */
export function clearVertexDelayedScaleDown(all: DelayedScaleDowns, vertexId: VertexId): DelayedScaleDowns {
  if (!Object.hasOwn(all, vertexId)) return all;
  const { [vertexId]: _removed, ...rest } = all;
  return rest;
}

/** Drops every pending scale-down (after an executed scaling, docs/algorithm.md §4.6). */
export function clearAllDelayedScaleDowns(): DelayedScaleDowns {
  return {};
}

/** Input of {@link applyDelayedScaleDown}. */
export interface DelayedScaleDownInput {
  /** Pending state of the vertex, undefined when none. */
  readonly state: DelayedScaleDownState | undefined;
  readonly nowMs: number;
  /** `scale-down.interval`; ≤ 0 disables the delay. */
  readonly scaleDownIntervalMs: number;
  readonly currentParallelism: number;
  /** The scale-down the algorithm recommends now (< current). */
  readonly newParallelism: number;
  readonly outsideUtilizationBound: boolean;
}

/** Outcome of {@link applyDelayedScaleDown}. */
export interface DelayedScaleDownOutcome {
  /** New pending state of the vertex (undefined only when there was none and no delay applies). */
  readonly state: DelayedScaleDownState | undefined;
  /** Parallelism to scale to now; equals the current parallelism while delaying. */
  readonly newParallelism: number;
  /** Outside flag of the applied recommendation (false while delaying). */
  readonly outsideUtilizationBound: boolean;
  /** True while the first recommendation is younger than the interval. */
  readonly delaying: boolean;
  /** Epoch ms when the delay ends (first trigger + interval); NaN when no delay applies. */
  readonly delayEndsAtMs: number;
}

/**
 * docs/algorithm.md §4.6: record the recommendation; while the first recommendation is younger than the
 * interval, keep the current parallelism; afterwards apply the highest recommendation of the last
 * interval (which may equal the current parallelism → no change).
 */
export function applyDelayedScaleDown(input: DelayedScaleDownInput): DelayedScaleDownOutcome {
  const { nowMs, scaleDownIntervalMs: intervalMs, currentParallelism: cur } = input;
  if (intervalMs <= 0) {
    return {
      state: input.state,
      newParallelism: input.newParallelism,
      outsideUtilizationBound: input.outsideUtilizationBound,
      delaying: false,
      delayEndsAtMs: Number.NaN,
    };
  }
  const triggered = triggerDelayedScaleDown(input.state, {
    triggerTimeMs: nowMs,
    parallelism: input.newParallelism,
    outsideUtilizationBound: input.outsideUtilizationBound,
  });
  const windowStartMs = nowMs - intervalMs;
  const delayEndsAtMs = triggered.firstTriggerTimeMs + intervalMs;
  if (windowStartMs < triggered.firstTriggerTimeMs) {
    return {
      state: triggered,
      newParallelism: cur,
      outsideUtilizationBound: false,
      delaying: true,
      delayEndsAtMs,
    };
  }
  const { recommendation, state } = maxRecommendationInWindow(triggered, windowStartMs);
  const noChange = recommendation.parallelism === cur;
  return {
    state,
    newParallelism: recommendation.parallelism,
    outsideUtilizationBound: noChange ? false : recommendation.outsideUtilizationBound,
    delaying: false,
    delayEndsAtMs,
  };
}
