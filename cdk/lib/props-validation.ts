/**
 * Synth-time checks of {@link FlinkAutoscalerProps} beyond single values: deployment defaults that
 * fit the Lambda environment, network props that need a VPC, reserved concurrency that leaves
 * room for the queue's poller, and the policy hook's props.
 */
import { type Duration, Token } from 'aws-cdk-lib';
import { POLICY_ENV } from '../../lib/adapters/policy/policy-environment.ts';
import type { defaultFlinkAutoscalerProps, FlinkAutoscalerProps } from './flink-autoscaler.ts';
import { AutoscalerConfigError, assertIntegerInRange } from './validation.ts';

// Lambda's limit for all environment variables together is 4 KB; keep room for the others.
const MAX_DEPLOYMENT_DEFAULTS_BYTES = 2048;

/** The deployment defaults as the worker's JSON environment value; refuses non-strings and oversize. */
export function serializeDeploymentDefaults(defaults: Readonly<Record<string, string>>): string {
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value !== 'string') {
      throw new AutoscalerConfigError(
        `deploymentDefaults["${key}"] must be a string (flinkConfiguration values are strings), got ${typeof value}`,
      );
    }
  }
  const json = JSON.stringify(defaults);
  if (Buffer.byteLength(json) > MAX_DEPLOYMENT_DEFAULTS_BYTES) {
    throw new AutoscalerConfigError(
      `deploymentDefaults is ${Buffer.byteLength(json)} bytes as JSON; at most ${MAX_DEPLOYMENT_DEFAULTS_BYTES} fit in the Lambda environment`,
    );
  }
  return json;
}

/** Network props need a VPC; reserved concurrency must leave room for the queue's poller. */
export function validateNetworkAndConcurrency(props: FlinkAutoscalerProps, workerConcurrency: number): void {
  if (!props.vpc) {
    const networkKeys = [
      'clusterSecurityGroupIds',
      'vpcEndpoints',
      'routeTableIds',
      'vpcSubnets',
      'securityGroups',
    ] as const;
    for (const key of networkKeys) {
      if (props[key] !== undefined) throw new AutoscalerConfigError(`${key} needs vpc (the functions' VPC)`);
    }
  }
  const reserved = props.workerReservedConcurrency;
  if (reserved !== undefined) {
    assertIntegerInRange('workerReservedConcurrency', reserved, 1, 10_000);
    if (reserved < workerConcurrency) {
      throw new AutoscalerConfigError(
        `workerReservedConcurrency (${reserved}) must be at least workerConcurrency (${workerConcurrency}): below it Lambda throttles the queue's poller and job messages come back late`,
      );
    }
  }
  if (props.dispatcherReservedConcurrency !== undefined) {
    assertIntegerInRange('dispatcherReservedConcurrency', props.dispatcherReservedConcurrency, 1, 10_000);
  }
}

/** Checks the policy props and returns the worker's policy environment variables. */
export function validatePolicyProps(
  props: FlinkAutoscalerProps,
  workerTimeout: Duration,
  defaults: ReturnType<typeof defaultFlinkAutoscalerProps>,
): Record<string, string> {
  const failureMode = props.policyFailureMode ?? defaults.policyFailureMode;
  if (failureMode !== 'fail-closed' && failureMode !== 'fail-open') {
    throw new AutoscalerConfigError(
      `policyFailureMode "${String(failureMode)}" is not 'fail-closed' or 'fail-open'`,
    );
  }
  const timeout = props.policyTimeout ?? defaults.policyTimeout;
  const timeoutMs = timeout.toMilliseconds();
  if (timeoutMs < 1 || timeoutMs > 60_000 || timeoutMs >= workerTimeout.toMilliseconds()) {
    throw new AutoscalerConfigError(
      `policyTimeout must be between 1 ms and 60 s and below workerTimeout (${workerTimeout.toHumanString()}), got ${timeout.toHumanString()}`,
    );
  }
  if (props.policyFunction === undefined) {
    if (props.policyFailureMode !== undefined || props.policyTimeout !== undefined) {
      throw new AutoscalerConfigError('policyFailureMode and policyTimeout need policyFunction');
    }
    return {};
  }
  const name =
    typeof props.policyFunction === 'string' ? props.policyFunction : props.policyFunction.functionArn;
  if (typeof props.policyFunction === 'string' && !Token.isUnresolved(name)) {
    if (
      !/^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/.test(
        name,
      )
    ) {
      throw new AutoscalerConfigError(`policyFunction "${name}" is not a Lambda function name or ARN`);
    }
  }
  return {
    [POLICY_ENV.functionName]: name,
    [POLICY_ENV.failureMode]: failureMode,
    [POLICY_ENV.timeoutMs]: String(timeoutMs),
  };
}
