/**
 * Liveness of the autoscaler per job: a job may be not ready for a while by design (deploying,
 * stabilizing, filling its metric window), but past that it is stuck — the autoscaler cannot
 * evaluate it, and nothing else would say so (issue "Real clocks": on a real cadence the product
 * once answered "window not full" forever). Pure.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { NotReadyReason, NotReadySpell, RunRecord } from '../domain/index.ts';

/** Margin on top of what a job needs by design before it counts as stuck. */
export const STUCK_MARGIN_MS = 10 * 60_000;

/** Limit when the job's options are unknown (the resource itself is not ready). */
export const STUCK_LIMIT_WITHOUT_OPTIONS_MS = 30 * 60_000;

/**
 * How long a job may be not ready before it is stuck: its stabilization interval plus its metric
 * window plus three cadences (the window may start that far back) plus {@link STUCK_MARGIN_MS};
 * never less than {@link STUCK_LIMIT_WITHOUT_OPTIONS_MS}, which also applies when the options are
 * not known yet.
 */
export function stuckLimitMs(
  options: Pick<AutoscalerOptions, 'stabilizationIntervalMs' | 'metricsWindowMs'> | undefined,
  cadenceMs: number,
): number {
  if (!options) return STUCK_LIMIT_WITHOUT_OPTIONS_MS;
  const byDesignMs = options.stabilizationIntervalMs + options.metricsWindowMs + 3 * cadenceMs;
  return Math.max(STUCK_LIMIT_WITHOUT_OPTIONS_MS, byDesignMs + STUCK_MARGIN_MS);
}

/**
 * The not-ready spell this cycle continues or starts: since the previous record's spell when the
 * previous cycle was not ready either, else since now.
 */
export function notReadySpell(
  reason: NotReadyReason,
  previous: RunRecord | undefined,
  nowMs: number,
  limitMs: number,
): NotReadySpell {
  const sinceMs = previous?.notReady?.sinceMs ?? nowMs;
  return { reason, sinceMs, stuck: nowMs - sinceMs > limitMs };
}

/** Words for a reason, as `fsa status` shows them ("not ready for 47 min: metric window not full"). */
export const NOT_READY_WORDS: Readonly<Record<NotReadyReason, string>> = {
  resource: 'resource or job not ready in Kubernetes',
  metrics: 'no usable Flink metrics',
  stabilizing: 'stabilizing after a (re)start',
  window: 'metric window not full',
  observation: 'incomplete observation',
};
