import type { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { PolicyFailureMode, PolicyHook, PolicyVerdict, ScalingProposal } from '../../ports/policy-hook.ts';
import {
  PolicyConfigError,
  PolicyInvocationError,
  PolicyResponseError,
  PolicyTimeoutError,
} from '../../domain/policy-errors.ts';

/**
 * The one Lambda capability the hook needs (KEDA-style narrow client): a synchronous invoke.
 * `LambdaClient` satisfies it; tests pass an in-process fake.
 */
export interface LambdaInvoker {
  invoke(request: {
    readonly functionName: string;
    readonly payload: string;
    readonly abortSignal: AbortSignal;
  }): Promise<{ readonly functionError?: string; readonly payload?: string; readonly statusCode?: number }>;
}

/**
 * A {@link LambdaInvoker} over the AWS SDK (RequestResponse invocation). The SDK's Lambda client
 * is loaded on the first invocation, not at module load: most deployments have no policy
 * function, and loading the client would add to every cold start.
 */
export function lambdaClientInvoker(client?: Pick<LambdaClient, 'send'>): LambdaInvoker {
  let sdk: Promise<{ client: Pick<LambdaClient, 'send'>; InvokeCommand: typeof InvokeCommand }> | undefined;
  const loadSdk = () => {
    sdk ??= import('@aws-sdk/client-lambda').then((module) => ({
      client: client ?? new module.LambdaClient({}),
      InvokeCommand: module.InvokeCommand,
    }));
    return sdk;
  };
  return {
    async invoke({ functionName, payload, abortSignal }) {
      const { client: lambda, InvokeCommand: Invoke } = await loadSdk();
      const out = await lambda.send(
        new Invoke({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(payload),
        }),
        { abortSignal },
      );
      return {
        ...(out.FunctionError ? { functionError: out.FunctionError } : {}),
        ...(out.Payload ? { payload: new TextDecoder().decode(out.Payload) } : {}),
        ...(out.StatusCode !== undefined ? { statusCode: out.StatusCode } : {}),
      };
    },
  };
}

/** Options of {@link LambdaPolicyHook}. */
export interface LambdaPolicyHookOptions {
  /** Function name, ARN or alias ARN of the policy function. */
  readonly functionName: string;
  /** @default 'fail-closed' */
  readonly failureMode?: PolicyFailureMode;
  /** Longest wait for the function's answer, ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** Default wait for a policy answer: long enough for a cold start, short against the worker's 2 min. */
export const DEFAULT_POLICY_TIMEOUT_MS = 5_000;

/**
 * Policy hook backed by a user Lambda function, invoked synchronously with the
 * {@link ScalingProposal} as its event; the function returns a {@link PolicyVerdict} as JSON.
 * The invoke is aborted at the timeout. A function error (`FunctionError` set) is a
 * {@link PolicyInvocationError}, a non-JSON answer a {@link PolicyResponseError}.
 */
export class LambdaPolicyHook implements PolicyHook {
  readonly name: string;
  readonly failureMode: PolicyFailureMode;
  readonly timeoutMs: number;
  readonly #invoker: LambdaInvoker;

  constructor(invoker: LambdaInvoker, options: LambdaPolicyHookOptions) {
    if (typeof options.functionName !== 'string' || options.functionName.trim() === '')
      throw new PolicyConfigError('functionName', 'must name the policy Lambda function');
    this.name = options.functionName;
    this.failureMode = checkFailureMode(options.failureMode ?? 'fail-closed', 'failureMode');
    this.timeoutMs = checkTimeoutMs(options.timeoutMs ?? DEFAULT_POLICY_TIMEOUT_MS, 'timeoutMs');
    this.#invoker = invoker;
  }

  async review(proposal: ScalingProposal): Promise<PolicyVerdict> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    timer.unref?.();
    let out: Awaited<ReturnType<LambdaInvoker['invoke']>>;
    try {
      out = await this.#invoker.invoke({
        functionName: this.name,
        payload: JSON.stringify(proposal),
        abortSignal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) throw new PolicyTimeoutError(this.timeoutMs, { cause: error });
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new PolicyInvocationError(`invoking ${this.name} failed: ${message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (out.functionError) {
      throw new PolicyInvocationError(
        `${this.name} raised ${out.functionError}: ${(out.payload ?? '').slice(0, 512)}`,
      );
    }
    try {
      return JSON.parse(out.payload ?? '') as PolicyVerdict;
    } catch {
      throw new PolicyResponseError('response', `is not JSON: ${(out.payload ?? '').slice(0, 200)}`);
    }
  }
}

/** Checks a failure mode value; `field` names its source in the error. */
export function checkFailureMode(value: unknown, field: string): PolicyFailureMode {
  if (value !== 'fail-closed' && value !== 'fail-open')
    throw new PolicyConfigError(field, `${JSON.stringify(value)} is not 'fail-closed' or 'fail-open'`);
  return value;
}

/** Checks a timeout (1 ms … 60 s); `field` names its source in the error. */
export function checkTimeoutMs(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 60_000)
    throw new PolicyConfigError(field, `${JSON.stringify(value)} is not a whole number of ms in [1, 60000]`);
  return value;
}
