/**
 * Synth-time validation of construct props and stage config. Errors name the prop, the value and
 * what is allowed, so a wrong `cdk.json` fails `cdk synth` with a message that says how to fix it.
 */

/** A prop or context value that cannot be deployed. */
export class AutoscalerConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AutoscalerConfigError';
  }
}

/** Throws unless `value` is an integer in [min, max]. Unresolved tokens cannot be checked and pass. */
export function assertIntegerInRange(name: string, value: number, min: number, max: number): void {
  if (isToken(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AutoscalerConfigError(`${name} must be an integer between ${min} and ${max}, got ${value}`);
  }
}

/** Throws when `value` is empty or only whitespace. */
export function assertNonEmpty(name: string, value: string): void {
  if (value.trim().length === 0) throw new AutoscalerConfigError(`${name} must not be empty`);
}

// CDK encodes unresolved numbers as very large negative doubles; treat any of them as "unknown".
function isToken(value: number): boolean {
  return value < -1e289;
}
