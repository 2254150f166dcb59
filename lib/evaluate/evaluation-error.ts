/**
 * Errors of the evaluation stage. Each names the field, the bad value and what is allowed.
 */

import { FieldError } from '../domain/field-error.ts';

/** An input of the evaluation that cannot be used (too few samples, a broken topology…). */
export class EvaluationInputError extends FieldError {
  override readonly name: string = 'EvaluationInputError';

  constructor(
    field: string,
    value: unknown,
    allowed: string,
    options?: { cause?: unknown; message?: string },
  ) {
    super(
      options?.message ?? `Invalid ${field}: ${String(value)}; allowed: ${allowed}`,
      { field, value: String(value), allowed },
      options,
    );
  }
}

/**
 * A source's target data rate is NaN: the window has fewer than two samples with its
 * NUM_RECORDS_IN (or LAG) counter, so nothing downstream can be sized (docs/algorithm.md §3.2; the Java
 * evaluator throws "Cannot evaluate metrics without ingestion rate information").
 */
export class MissingIngestionRateError extends EvaluationInputError {
  override readonly name: string = 'MissingIngestionRateError';
  readonly vertexId: string;

  constructor(vertexId: string, inputRate: number, lagRate: number) {
    const field = `TARGET_DATA_RATE of source vertex ${vertexId}`;
    const allowed =
      'a number, which needs at least two window samples carrying NUM_RECORDS_IN and LAG for the source';
    super(field, Number.NaN, allowed, {
      message:
        `Cannot evaluate metrics without ingestion rate information: ${field} is NaN ` +
        `(rate(NUM_RECORDS_IN)=${inputRate}, rate(LAG)=${lagRate}); expected ${allowed}`,
    });
    this.vertexId = vertexId;
  }
}
