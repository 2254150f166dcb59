/**
 * Errors of the memory-tuning stage. Each names the field, the value and what is allowed, so
 * the event and log line are enough for a user to fix the configuration.
 */

/**
 * The TaskManager memory configuration is inconsistent: Flink itself would refuse to start a
 * TaskManager with it (Flink's `IllegalConfigurationException`, spec §7.1).
 */
export class InvalidMemoryConfigurationError extends Error {
  override readonly name = 'InvalidMemoryConfigurationError';
  /** The configuration key (or keys, joined with ` + `) at fault. */
  readonly field: string;
  /** The offending value, as Flink renders it. */
  readonly value: string;
  /** What would be accepted. */
  readonly allowed: string;

  constructor(field: string, value: string, allowed: string, options?: { cause?: unknown }) {
    super(
      `Invalid TaskManager memory configuration ${field} = ${value}: allowed ${allowed}`,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.field = field;
    this.value = value;
    this.allowed = allowed;
  }
}

/** An argument of a tuning function is outside its domain (a programming or data error). */
export class InvalidTuningInputError extends Error {
  override readonly name = 'InvalidTuningInputError';
  readonly field: string;
  readonly value: string;
  readonly allowed: string;

  constructor(field: string, value: unknown, allowed: string) {
    super(`Invalid memory-tuning input ${field} = ${String(value)}: allowed ${allowed}`);
    this.field = field;
    this.value = String(value);
    this.allowed = allowed;
  }
}
