import type { PolicyVerdict } from '../domain/policy-review.ts';
import { PolicyResponseError } from '../domain/policy-errors.ts';

const VERDICTS = new Set(['allow', 'deny', 'modify']);
/** Longest reason kept: it goes into events, whose messages are capped anyway. */
const MAX_REASON_CHARS = 1024;

/**
 * Checks a hook's answer (parsed JSON from a Lambda, or a module's return value) and returns the
 * verdict; throws {@link PolicyResponseError} naming the field. A `modify` must carry `patch`;
 * whether the patch stays within our keys is checked separately (`checkOwnedPatch`).
 */
export function parsePolicyVerdict(raw: unknown): PolicyVerdict {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new PolicyResponseError('response', 'must be an object {verdict, reason?, patch?}');
  const answer = raw as Record<string, unknown>;
  const verdict = answer['verdict'];
  if (typeof verdict !== 'string' || !VERDICTS.has(verdict))
    throw new PolicyResponseError('verdict', `${JSON.stringify(verdict)} is not 'allow', 'deny' or 'modify'`);
  const reason = answer['reason'];
  if (reason !== undefined && typeof reason !== 'string')
    throw new PolicyResponseError('reason', 'must be a string');
  const patch = answer['patch'];
  if (verdict === 'modify') {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
      throw new PolicyResponseError('patch', "must be an object when verdict is 'modify'");
  }
  return {
    verdict: verdict as PolicyVerdict['verdict'],
    ...(reason ? { reason: reason.slice(0, MAX_REASON_CHARS) } : {}),
    ...(verdict === 'modify' ? { patch: patch as Record<string, unknown> } : {}),
  };
}
