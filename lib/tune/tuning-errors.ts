/**
 * Errors of the memory-tuning stage. Each names the field, the value and what is allowed, so
 * the event and log line are enough for a user to fix the configuration.
 */

import { FieldError } from '../domain/field-error.ts';

/**
 * The TaskManager memory configuration is inconsistent: Flink itself would refuse to start a
 * TaskManager with it (Flink's `IllegalConfigurationException`, docs/algorithm.md §7.1).
 */
export class InvalidMemoryConfigurationError extends FieldError {
  override readonly name = 'InvalidMemoryConfigurationError';

  /** `field` is the configuration key (or keys, joined with ` + `); `value` as Flink renders it. */
  constructor(field: string, value: string, allowed: string, options?: { cause?: unknown }) {
    super(
      `Invalid TaskManager memory configuration ${field} = ${value}: allowed ${allowed}`,
      { field, value, allowed },
      options,
    );
  }
}

/** An argument of a tuning function is outside its domain (a programming or data error). */
export class InvalidTuningInputError extends FieldError {
  override readonly name = 'InvalidTuningInputError';

  constructor(field: string, value: unknown, allowed: string) {
    super(`Invalid memory-tuning input ${field} = ${String(value)}: allowed ${allowed}`, {
      field,
      value: String(value),
      allowed,
    });
  }
}
