/**
 * A configuration value that cannot be used. Names the key, the value as given, and what is
 * allowed, so an event or log line is enough for the user to fix it.
 */
export class InvalidOptionError extends Error {
  override readonly name = 'InvalidOptionError';
  readonly key: string;
  readonly value: string;
  readonly allowed: string;

  constructor(key: string, value: string, allowed: string, options?: { cause?: unknown; message?: string }) {
    super(
      options?.message ?? `Invalid value in the autoscaler config ${key}: '${value}'. Allowed: ${allowed}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.key = key;
    this.value = value;
    this.allowed = allowed;
  }
}
