import { FieldError } from '../domain/field-error.ts';

/**
 * An input of the parallelism computation that cannot be used. Names the field, the value as
 * given and what is allowed, so a log line or event is enough to find the caller's mistake.
 */
export class ScaleInputError extends FieldError {
  override readonly name: string = 'ScaleInputError';

  constructor(field: string, value: unknown, allowed: string, options?: { cause?: unknown }) {
    super(`Invalid ${field}: ${String(value)}; allowed: ${allowed}`, { field, value: String(value), allowed }, options);
  }
}

/**
 * The lower parallelism limit exceeds the upper one (Java: `IllegalArgumentException` from
 * `JobVertexScaler#scale`, docs/algorithm.md §4.2 `require lower ≤ upper`).
 */
export class ParallelismLimitsError extends ScaleInputError {
  override readonly name: string = 'ParallelismLimitsError';
  readonly lowerLimit: number;
  readonly upperLimit: number;

  constructor(lowerLimit: number, upperLimit: number) {
    super(
      'lowerLimit',
      lowerLimit,
      `a lower limit ≤ the upper limit ${upperLimit} (lower limit > upper limit)`,
    );
    this.lowerLimit = lowerLimit;
    this.upperLimit = upperLimit;
  }
}

/** Throws {@link ScaleInputError} unless `value` is a whole number ≥ `min`. */
export function requireWholeNumber(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ScaleInputError(field, value, `a whole number ≥ ${min}`);
  }
}
