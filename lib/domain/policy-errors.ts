/** Base of the policy hook's errors; the cycle treats each per the hook's failure mode. */
export class PolicyHookError extends Error {
  override name = 'PolicyHookError';
}

/** The hook did not answer within its timeout. */
export class PolicyTimeoutError extends PolicyHookError {
  override name = 'PolicyTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(`the policy hook did not answer within ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The hook failed: the Lambda raised (FunctionError), the invoke failed, the module threw. */
export class PolicyInvocationError extends PolicyHookError {
  override name = 'PolicyInvocationError';
}

/** The hook's answer is not a valid verdict; `field` names what is wrong. */
export class PolicyResponseError extends PolicyHookError {
  override name = 'PolicyResponseError';
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`invalid policy verdict: ${field} ${problem}`);
    this.field = field;
  }
}

/** A `modify` verdict's patch touches a key the autoscaler does not own, or a value is malformed. */
export class PolicyPatchError extends PolicyHookError {
  override name = 'PolicyPatchError';
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`invalid policy patch: ${field} ${problem}`);
    this.field = field;
  }
}

/** The hook configuration (environment, CLI flag, module) is invalid; `field` names it. */
export class PolicyConfigError extends PolicyHookError {
  override name = 'PolicyConfigError';
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`invalid policy hook configuration: ${field} ${problem}`);
    this.field = field;
  }
}
