import type { CostLedger, NotReadySpell, RollbackRecord, ScalingDecision } from '../domain/index.ts';
import type { RealizeResult, WithdrawResult } from '../ports/scaling-realizer.ts';

/** What the policy hook decided about this cycle's change (absent when it was not asked). */
export interface PolicyOutcome {
  /** Effective verdict, after the failure mode for a failed hook. */
  readonly verdict: 'allow' | 'deny' | 'modify';
  readonly hook: string;
  readonly reason?: string;
  /** The patch sent instead of the proposed one (`modify`). */
  readonly patch?: Record<string, unknown>;
  /** Set when the hook failed and the failure mode decided. */
  readonly failure?: string;
}

/** What the clean-up of a job that is no longer managed did (outcome `gone`). */
export interface CleanupOutcome {
  readonly resource: WithdrawResult['outcome'];
  /** State items removed (the event log is kept until its TTL). */
  readonly itemsDeleted: number;
}

/**
 * How one job's cycle ended:
 * - `decided`: the core ran; `decision.action` says what it decided (scale, balanced, …);
 * - `not-ready`: the job cannot be measured yet (not RUNNING, stabilizing, metrics missing);
 * - `skipped`: a duplicate or late delivery (the tick was already evaluated), a newer tick of the
 *   job in the same batch, or another run saved the job's state first;
 * - `refused`: the resource needs a user fix (both autoscalers enabled, invalid option);
 * - `gone`: the resource no longer exists or lost the opt-in label (its state is cleaned up once);
 * - `failed`: an error; reported as an event and a metric.
 */
export type CycleOutcome = 'decided' | 'not-ready' | 'skipped' | 'refused' | 'gone' | 'failed';

/** The result of {@link runCycle} for one job. */
export interface CycleResult {
  readonly outcome: CycleOutcome;
  /** One sentence: why the cycle ended this way. */
  readonly reason: string;
  readonly decision?: ScalingDecision;
  /** What the realizer did with the stored overrides (absent when it did not run). */
  readonly realized?: RealizeResult;
  /**
   * For `failed`: whether the next tick may succeed on its own (transport errors, throttling,
   * server errors) or a user has to fix something first (4xx other than 409/429, bad responses).
   * Either way the message is acknowledged and the next tick runs the job again.
   */
  readonly transient?: boolean;
  /** The policy hook's verdict when a change was proposed to it. */
  readonly policy?: PolicyOutcome;
  /** For `gone`: the clean-up, when the job had state. */
  readonly cleanup?: CleanupOutcome;
  /**
   * For a cycle that could not evaluate its job (`not-ready`, or `decided` with a `not-ready`
   * decision): why, since when, and whether the job is stuck (lib/report/liveness.ts).
   */
  readonly notReady?: NotReadySpell;
  /**
   * Extension: for an evaluated job, the running total of what the autoscaler saved or added against
   * the resource's own spec, after this cycle (the decision's own price is `decision.price`).
   */
  readonly costLedger?: CostLedger;
  /** Extension: the change rolled back this cycle (docs/algorithm.md §13). */
  readonly rollback?: RollbackRecord;
}
