/**
 * How the last cycle of a job ended, kept for `fsa status` (one small item per job, replaced
 * every cycle that got past the lease). Plain JSON.
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
}
