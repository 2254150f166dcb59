import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PolicyFailureMode, PolicyHook, PolicyVerdict, ScalingProposal } from '../../ports/policy-hook.ts';
import { checkFailureMode, checkTimeoutMs, DEFAULT_POLICY_TIMEOUT_MS } from './lambda-policy-hook.ts';
import { PolicyConfigError } from '../../domain/policy-errors.ts';

/** What a policy module exports: `review` (named) or a default export with the same signature. */
export type PolicyReviewFunction = (proposal: ScalingProposal) => PolicyVerdict | Promise<PolicyVerdict>;

/** Options of {@link FunctionPolicyHook} and {@link loadModulePolicyHook}. */
export interface InProcessPolicyOptions {
  /** @default 'fail-closed' */
  readonly failureMode?: PolicyFailureMode;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * Policy hook that calls a function in this process: the CLI and the local world run the very
 * code a policy Lambda would (the Lambda handler can simply be `export const handler = review`).
 */
export class FunctionPolicyHook implements PolicyHook {
  readonly name: string;
  readonly failureMode: PolicyFailureMode;
  readonly timeoutMs: number;
  readonly #review: PolicyReviewFunction;

  constructor(name: string, review: PolicyReviewFunction, options: InProcessPolicyOptions = {}) {
    this.name = name;
    this.failureMode = checkFailureMode(options.failureMode ?? 'fail-closed', 'failureMode');
    this.timeoutMs = checkTimeoutMs(options.timeoutMs ?? DEFAULT_POLICY_TIMEOUT_MS, 'timeoutMs');
    this.#review = review;
  }

  async review(proposal: ScalingProposal): Promise<PolicyVerdict> {
    // A JSON round trip, so a module sees exactly what a Lambda would and cannot mutate our objects.
    return this.#review(JSON.parse(JSON.stringify(proposal)) as ScalingProposal);
  }
}

/**
 * Loads a policy from a TypeScript/JavaScript module path (relative to `cwd`) exporting `review`
 * or a default function. Throws {@link PolicyConfigError} when the module has neither.
 */
export async function loadModulePolicyHook(
  modulePath: string,
  options: InProcessPolicyOptions & { readonly cwd?: string } = {},
): Promise<FunctionPolicyHook> {
  if (typeof modulePath !== 'string' || modulePath.trim() === '')
    throw new PolicyConfigError('policyModule', 'must be a module path');
  const absolute = isAbsolute(modulePath) ? modulePath : resolve(options.cwd ?? process.cwd(), modulePath);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new PolicyConfigError(
      'policyModule',
      `${absolute} could not be loaded: ${(error as Error).message}`,
    );
  }
  const review = loaded['review'] ?? loaded['default'] ?? loaded['handler'];
  if (typeof review !== 'function')
    throw new PolicyConfigError(
      'policyModule',
      `${absolute} exports no function 'review', 'handler' or default`,
    );
  return new FunctionPolicyHook(absolute, review as PolicyReviewFunction, options);
}
