import type { DecisionPrice } from './decision-price.ts';

/**
 * Why a cycle could not evaluate its job, coarse on purpose (each value is one fleet-level
 * CloudWatch metric): `resource` the FlinkDeployment or job is not ready in Kubernetes (deploying,
 * upgrading, not RUNNING), `metrics` Flink's REST API has no usable metrics for it yet,
 * `stabilizing` it (re)started less than `stabilization.interval` ago, `window` the metric window
 * is not full yet, `observation` this cycle's observation was incomplete.
 */
export const NOT_READY_REASONS = ['resource', 'metrics', 'stabilizing', 'window', 'observation'] as const;

/** One of {@link NOT_READY_REASONS}. */
export type NotReadyReason = (typeof NOT_READY_REASONS)[number];

/** Since when, and why, a job has not been ready (kept across cycles in the run record). */
export interface NotReadySpell {
  readonly reason: NotReadyReason;
  /** Epoch ms of the first not-ready cycle of this spell. */
  readonly sinceMs: number;
  /** Whether it has lasted longer than the job can be not ready by design (the StuckJobs metric). */
  readonly stuck: boolean;
}

/**
 * How the last cycle of a job ended, kept for `fsa status` and the not-ready spell (one small item
 * per job). Replaced by every cycle that ends differently, or that did not save the state; a cycle
 * that saved the state and repeats the record exactly leaves it, and the state's
 * `lastEvaluationMs` is its time. Plain JSON.
 */
export interface RunRecord {
  /** Epoch ms the cycle ran. */
  readonly atMs: number;
  /** `CycleResult.outcome`: decided, not-ready, refused, failed, … */
  readonly outcome: string;
  readonly reason: string;
  /** Whether autoscaling acts (`active`), only recommends (`recommendation-only`) or is refused. */
  readonly mode?: 'active' | 'recommendation-only' | 'refused';
  /** `ScalingDecision.action` of a decided cycle. */
  readonly action?: string;
  /** What the realizer did (`patched`, `unchanged`, `refused`) and the upgrade path. */
  readonly realized?: string;
  readonly upgradePath?: string;
  /** The policy hook's effective verdict when it was asked. */
  readonly policy?: { readonly verdict: string; readonly reason?: string };
  /** Set while the job is not ready: why, since when, and whether that is longer than it should be. */
  readonly notReady?: NotReadySpell;
  /** Extension: the price of the decided change (`ScalingDecision.price`), when one was recommended. */
  readonly price?: DecisionPrice;
}
