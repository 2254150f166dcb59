import type { PolicyFailureMode, PolicyVerdict, ScalingProposal } from '../domain/policy-review.ts';

export type {
  PolicyFailureMode,
  PolicyVerdict,
  ProposedVertexChange,
  ScalingProposal,
} from '../domain/policy-review.ts';

/**
 * Reviews every change before the autoscaler writes it. Implementations: a Lambda function
 * (invoked synchronously), an in-process TypeScript module (CLI, local world), or none.
 * May throw; the cycle applies the configured {@link PolicyFailureMode}.
 */
export interface PolicyHook {
  /** A short name for events and logs, e.g. the function ARN or module path. */
  readonly name: string;
  readonly failureMode: PolicyFailureMode;
  /** Longest wait for an answer in ms; past it the review counts as failed. */
  readonly timeoutMs: number;
  review(proposal: ScalingProposal): Promise<PolicyVerdict>;
}
