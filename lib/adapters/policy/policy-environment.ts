import type { PolicyFailureMode } from '../../ports/policy-hook.ts';
import { checkFailureMode, checkTimeoutMs, DEFAULT_POLICY_TIMEOUT_MS } from './lambda-policy-hook.ts';
import { PolicyConfigError } from '../../domain/policy-errors.ts';

/** Environment variables the CDK construct sets on the worker for the policy hook. */
export const POLICY_ENV = {
  /** ARN (or name) of the policy Lambda function; unset = no policy hook. */
  functionName: 'FSA_POLICY_FUNCTION',
  /** `fail-closed` (default) or `fail-open`. */
  failureMode: 'FSA_POLICY_FAILURE_MODE',
  /** Milliseconds to wait for the policy's answer. Default 5000. */
  timeoutMs: 'FSA_POLICY_TIMEOUT_MS',
} as const;

/** The policy hook settings of a deployment. */
export interface PolicyEnvironment {
  readonly functionName: string;
  readonly failureMode: PolicyFailureMode;
  readonly timeoutMs: number;
}

/** Reads {@link POLICY_ENV}; undefined when no policy function is configured. Throws {@link PolicyConfigError}. */
export function readPolicyEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): PolicyEnvironment | undefined {
  const functionName = env[POLICY_ENV.functionName]?.trim();
  if (!functionName) return undefined;
  const timeoutText = env[POLICY_ENV.timeoutMs];
  const timeoutMs =
    timeoutText === undefined || timeoutText === '' ? DEFAULT_POLICY_TIMEOUT_MS : Number(timeoutText);
  if (timeoutText !== undefined && timeoutText !== '' && !/^\d+$/.test(timeoutText.trim()))
    throw new PolicyConfigError(POLICY_ENV.timeoutMs, `'${timeoutText}' is not a whole number of ms`);
  return {
    functionName,
    failureMode: checkFailureMode(env[POLICY_ENV.failureMode] || 'fail-closed', POLICY_ENV.failureMode),
    timeoutMs: checkTimeoutMs(timeoutMs, POLICY_ENV.timeoutMs),
  };
}
