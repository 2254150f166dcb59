/**
 * What a policy hook reviews and answers (the payload of the review step): plain data shared by
 * the pure review stage (lib/review) and the hook port (lib/ports/policy-hook.ts).
 */
import type { ResourceKind } from './job-key.ts';
import type { VertexLimitReason } from './scaling-decision.ts';
import type { SpecExcerpt } from './realizer-outcomes.ts';

/**
 * The change the autoscaler is about to write to one resource, as a policy hook sees it
 * (the serverless counterpart of the operator's resource mutators/validators and the FLIP-575
 * executor vetoes). Plain JSON: it is the Lambda payload as-is. `version` changes only with an
 * incompatible shape; fields may be added.
 */
export interface ScalingProposal {
  readonly version: 1;
  /** Which resource (and which run of the Flink job) the change is for. */
  readonly resource: {
    readonly cluster: string;
    readonly namespace: string;
    readonly kind: ResourceKind;
    readonly name: string;
    /** Flink JobID the decision was made for. */
    readonly jobId?: string;
    readonly resourceVersion?: string;
    readonly generation?: number;
  };
  /** Epoch ms of the cycle that proposes the change. */
  readonly evaluatedAtMs: number;
  /** The resource's current values of the keys the change touches, plus context. */
  readonly current: SpecExcerpt;
  /**
   * This cycle's decision. `action: 'scale'` = a new scaling; anything else = the stored
   * overrides are being re-applied (the resource drifted from them).
   */
  readonly decision: {
    readonly action: string;
    readonly summary: string;
    readonly vertices: readonly ProposedVertexChange[];
  };
  /** The memory plan when memory tuning applies one with this change. */
  readonly memory?: {
    readonly totalBeforeBytes: number;
    readonly totalAfterBytes: number;
    readonly configChanges: {
      readonly overrides: Readonly<Record<string, string>>;
      readonly removals: readonly string[];
    };
  };
  /** How the operator will apply the patch: `in-place` (rescale API) or `full-upgrade`. */
  readonly upgradePath: string;
  /** The exact JSON merge patch that will be sent (`application/merge-patch+json`). */
  readonly patch: Record<string, unknown>;
}

/** One vertex of a {@link ScalingProposal}. */
export interface ProposedVertexChange {
  readonly vertexId: string;
  readonly currentParallelism: number;
  readonly newParallelism: number;
  /** Why the algorithm chose `newParallelism` (primary reason first, then limits applied). */
  readonly reasons: readonly VertexLimitReason[];
  /** One sentence with the rates and thresholds behind the number. */
  readonly why: string;
}

/**
 * A policy's answer:
 * - `allow`: apply the proposed patch;
 * - `deny`: apply nothing this cycle (`reason` is shown in the event and report); the autoscaler
 *   keeps its previous overrides and asks again when it next wants a change;
 * - `modify`: apply `patch` instead; it may only touch the keys the autoscaler owns
 *   (`pipeline.jobvertex-parallelism-overrides`, `taskmanager.memory.*`, TaskManager memory).
 */
export interface PolicyVerdict {
  readonly verdict: 'allow' | 'deny' | 'modify';
  readonly reason?: string;
  readonly patch?: Record<string, unknown>;
}

/**
 * What to do when the hook fails (timeout, error, malformed answer or a patch outside our keys):
 * `fail-closed` applies nothing (as a deny), `fail-open` applies the proposal unchanged (as an
 * allow). Both emit a Warning event.
 */
export type PolicyFailureMode = 'fail-closed' | 'fail-open';

