import type { ScalingDecision } from '../domain/index.ts';
import type { RealizeResult } from '../ports/scaling-realizer.ts';

/**
 * How one job's cycle ended:
 * - `decided`: the core ran; `decision.action` says what it decided (scale, balanced, …);
 * - `not-ready`: the job cannot be measured yet (not RUNNING, stabilizing, metrics missing);
 * - `skipped`: another run holds the job's lease, or another run saved first;
 * - `refused`: the resource needs a user fix (both autoscalers enabled, invalid option);
 * - `gone`: the resource no longer exists or lost the opt-in label;
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
  /** For `failed`: whether retrying the message may help (transport errors) or not. */
  readonly retryable?: boolean;
}
