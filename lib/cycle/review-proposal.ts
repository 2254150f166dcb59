import type { PolicyHook, ScalingProposal } from '../ports/policy-hook.ts';
import { checkOwnedPatch, type OwnedPatchContent } from '../review/owned-patch.ts';
import { parsePolicyVerdict } from '../review/parse-policy-verdict.ts';
import { PolicyHookError, PolicyTimeoutError } from '../domain/policy-errors.ts';

/**
 * The effective outcome of a review, after the failure mode was applied:
 * - `allow` / `deny` / `modify` as answered (or as the failure mode dictates);
 * - `failure` is set when the hook failed and the failure mode decided (fail-closed → deny,
 *   fail-open → allow).
 */
export interface PolicyResolution {
  readonly verdict: 'allow' | 'deny' | 'modify';
  /** The hook's reason, or why the failure mode applied. */
  readonly reason?: string;
  /** For `modify`: the checked patch and its owned content. */
  readonly patch?: Record<string, unknown>;
  readonly content?: OwnedPatchContent;
  /** The hook's failure (timeout, error, invalid answer or patch), when the failure mode decided. */
  readonly failure?: string;
}

/**
 * Asks `hook` about `proposal` within its timeout and resolves every failure by its failure mode,
 * so the cycle only ever sees allow, deny or a checked modify. A `metadata.resourceVersion` the
 * policy left out or changed is put back to the proposal's, so the write stays conditional on the
 * resource the policy saw.
 */
export async function reviewProposal(hook: PolicyHook, proposal: ScalingProposal): Promise<PolicyResolution> {
  try {
    const verdict = parsePolicyVerdict(await withTimeout(hook.review(proposal), hook.timeoutMs));
    if (verdict.verdict !== 'modify' || !verdict.patch) {
      return { verdict: verdict.verdict, ...(verdict.reason ? { reason: verdict.reason } : {}) };
    }
    const content = checkOwnedPatch(verdict.patch);
    const proposedMetadata = proposal.patch['metadata'];
    const patch = {
      ...verdict.patch,
      ...(proposedMetadata !== undefined ? { metadata: proposedMetadata } : {}),
    };
    return { verdict: 'modify', ...(verdict.reason ? { reason: verdict.reason } : {}), patch, content };
  } catch (error) {
    const failure =
      error instanceof PolicyHookError
        ? error.message
        : `the policy hook failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    return resolveFailure(hook, failure);
  }
}

/** The resolution of a failed review: deny when fail-closed, allow when fail-open. */
export function resolveFailure(hook: Pick<PolicyHook, 'failureMode'>, failure: string): PolicyResolution {
  return hook.failureMode === 'fail-open'
    ? { verdict: 'allow', reason: `policy hook failed (fail-open): ${failure}`, failure }
    : { verdict: 'deny', reason: `policy hook failed (fail-closed): ${failure}`, failure };
}

/** Rejects with {@link PolicyTimeoutError} when `promise` takes longer than `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PolicyTimeoutError(timeoutMs)), timeoutMs);
    // A hook that never answers must not keep the process (CLI, tests) alive.
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
