/**
 * Base of the input errors the stages throw (bad options, evaluation and scaling inputs, memory
 * configuration, decide input files): besides its message, each names what was wrong (`field`),
 * the value as text and what is allowed, so a CLI message, an event or a test reads them the
 * same way whatever the stage.
 */
export class FieldError extends Error {
  /** Name of the offending field, key or path (e.g. `samples`, `raw.topology.vertices[1]`). */
  readonly field: string;
  /** The offending value, rendered as text. */
  readonly value: string;
  /** What would have been accepted. */
  readonly allowed: string;

  constructor(
    message: string,
    details: { readonly field: string; readonly value: string; readonly allowed: string },
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.field = details.field;
    this.value = details.value;
    this.allowed = details.allowed;
  }
}
