/**
 * The job-level guards after the vertex decisions (docs/algorithm.md §5.1 steps 7–9) run as a chain: each
 * returns a {@link GuardVerdict}, and the first that blocks ends the chain (later ones do not run).
 */
import type { AutoscalerEvent, GuardOutcome } from '../../domain/index.ts';

/** One guard's verdict: its outcomes for the report, the event it raises, whether it blocks. */
export interface GuardVerdict {
  /** Outcomes in the order checked; empty when the guard is not configured. */
  readonly outcomes: readonly GuardOutcome[];
  /** The event the guard raises (a blocked ScalingReport, a capacity or quota warning). */
  readonly event?: AutoscalerEvent;
  /** True when the guard blocks the scaling. */
  readonly blocks: boolean;
}

/** The result of a guard that checks one thing: `checkClusterCapacity`, `checkQuota`. */
export interface SingleGuardResult {
  /** Undefined when the check is disabled. */
  readonly outcome?: GuardOutcome;
  readonly event?: AutoscalerEvent;
}

/** The verdict of a single-outcome guard: it blocks when its outcome did not pass. */
export function verdictOf(result: SingleGuardResult): GuardVerdict {
  return {
    outcomes: result.outcome ? [result.outcome] : [],
    ...(result.event ? { event: result.event } : {}),
    blocks: result.outcome?.passed === false,
  };
}

/** What a chain of guards decided, over every guard that ran. */
export interface GuardChainResult {
  readonly outcomes: GuardOutcome[];
  readonly events: AutoscalerEvent[];
  readonly blocked: boolean;
}

/** Runs `guards` in order until one blocks; each is a thunk so that later guards are not checked. */
export function runGuardChain(guards: readonly (() => GuardVerdict)[]): GuardChainResult {
  const outcomes: GuardOutcome[] = [];
  const events: AutoscalerEvent[] = [];
  for (const guard of guards) {
    const verdict = guard();
    outcomes.push(...verdict.outcomes);
    if (verdict.event) events.push(verdict.event);
    if (verdict.blocks) return { outcomes, events, blocked: true };
  }
  return { outcomes, events, blocked: false };
}
