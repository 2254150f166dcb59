import { FieldError } from '../domain/field-error.ts';

/**
 * A configuration value that cannot be used. Names the key, the value as given, and what is
 * allowed, so an event or log line is enough for the user to fix it.
 */
export class InvalidOptionError extends FieldError {
  override readonly name = 'InvalidOptionError';
  /** The configuration key (also `field`). */
  readonly key: string;

  constructor(key: string, value: string, allowed: string, options?: { cause?: unknown; message?: string }) {
    super(
      options?.message ?? `Invalid value in the autoscaler config ${key}: '${value}'. Allowed: ${allowed}`,
      { field: key, value, allowed },
      options,
    );
    this.key = key;
  }
}
