/**
 * Step 5b, review: the policy hook sees the exact patch before anything is stored or written, so a
 * deny is persisted as a veto (docs/algorithm.md §5.1 step 10) and a modification as what was really applied.
 * Without a hook this step does nothing (no preview read).
 */
import type { JobState } from '../../domain/index.ts';
import type { DecideOutput } from '../../decide/decide.ts';
import type { PolicyHook } from '../../ports/policy-hook.ts';
import type { LoadedJob } from '../../ports/state-store.ts';
import { buildProposal } from '../../review/build-proposal.ts';
import { type PolicyResolution, resolveFailure, reviewProposal } from '../review-proposal.ts';
import { stateAfterDeny, stateAfterModify } from '../../review/state-after-review.ts';
import type { PolicyOutcome } from '../cycle-result.ts';
import type { CycleContext } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';
import { scalingPlanFor } from './realize.ts';

/** The hook's verdict (absent when it was not asked) and the state to persist because of it. */
export interface Reviewed {
  readonly review?: PolicyResolution;
  /** The policy outcome as reported (absent when the hook was not asked). */
  readonly policy?: PolicyOutcome;
  readonly stateToSave: JobState;
}

/** Reviews the change this cycle would write and derives the state to save from the verdict. */
export async function review(
  cycle: CycleContext,
  observed: ObservedJob,
  output: DecideOutput,
  loaded: LoadedJob,
): Promise<Reviewed> {
  const hook = cycle.deps.policy;
  const resolution = hook ? await reviewChange(cycle, hook, observed, output) : undefined;
  if (!hook || !resolution) return { stateToSave: output.state };
  let stateToSave = output.state;
  if (resolution.verdict === 'deny') stateToSave = stateAfterDeny(loaded.state, output.state, cycle.nowMs);
  if (resolution.verdict === 'modify' && resolution.content)
    stateToSave = stateAfterModify(output.state, resolution.content, cycle.nowMs);
  return { review: resolution, policy: policyOutcome(hook, resolution), stateToSave };
}

/**
 * Asks the policy hook about the change this cycle would write; undefined when nothing would be
 * written (no plan, no difference, or a change the realizer refuses anyway).
 */
async function reviewChange(
  cycle: CycleContext,
  hook: PolicyHook,
  { job, options, effectiveConfiguration }: ObservedJob,
  output: DecideOutput,
): Promise<PolicyResolution | undefined> {
  const { deps, key, nowMs } = cycle;
  const plan = scalingPlanFor(output, options, job.memoryTuning);
  if (!plan) return undefined;
  if (!deps.realizer.preview) return resolveFailure(hook, 'the realizer cannot preview the patch to review');
  const preview = await deps.realizer.preview(key, plan, effectiveConfiguration ? { effectiveConfiguration } : {});
  if (preview.outcome !== 'would-patch' || !preview.patch) return undefined;
  const proposal = buildProposal({
    key,
    ...(job.jobId ? { jobId: job.jobId } : {}),
    nowMs,
    decision: output.decision,
    parallelismOverrides: plan.parallelismOverrides,
    ...(output.memoryPlan ? { memoryPlan: output.memoryPlan } : {}),
    preview: { ...preview, patch: preview.patch },
  });
  return reviewProposal(hook, proposal);
}

function policyOutcome(hook: PolicyHook, resolution: PolicyResolution): PolicyOutcome {
  return {
    verdict: resolution.verdict,
    hook: hook.name,
    ...(resolution.reason ? { reason: resolution.reason } : {}),
    ...(resolution.patch ? { patch: resolution.patch } : {}),
    ...(resolution.failure ? { failure: resolution.failure } : {}),
  };
}
