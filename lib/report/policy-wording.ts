/**
 * The sentences a policy hook's verdict turns into (cycle reason, guard detail, events). Pure: the
 * cycle decides what happened, this module only says it.
 */

/** What the sentence needs of the hook's effective verdict (the cycle's `PolicyOutcome`). */
export interface PolicyVerdictFacts {
  readonly verdict: 'allow' | 'deny' | 'modify';
  /** The hook's name, as configured. */
  readonly hook: string;
  readonly reason?: string;
  /** Set when the hook failed and its failure mode decided. */
  readonly failure?: string;
}

/** One sentence on what the policy hook did with the change. */
export function policySentence(policy: PolicyVerdictFacts): string {
  const why = policy.reason ? `: ${policy.reason}` : '';
  switch (policy.verdict) {
    case 'deny':
      return `Policy hook ${policy.hook} denied the change${why}; nothing was applied.`;
    case 'modify':
      return `Policy hook ${policy.hook} modified the change${why}.`;
    default:
      return policy.failure
        ? `Policy hook ${policy.hook} failed; applied anyway (fail-open)${why}.`
        : `Policy hook ${policy.hook} allowed the change.`;
  }
}
