/**
 * Defensive readers for Flink REST JSON values. Flink writes numbers as JSON numbers, as
 * strings (`"value": "16"` in metric collections) and non-finite doubles as the strings
 * `"NaN"`, `"Infinity"`, `"-Infinity"` (see reference/flink-rest-samples/README.md).
 */

import { FlinkResponseFormatError } from '../../ports/metrics-source.ts';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain (non-array) JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a Flink number that may be a JSON number or a numeric string (incl. `"NaN"`).
 * Returns undefined for anything else (absent, null, booleans, garbage strings), so callers can
 * tell "not reported" from "reported as NaN".
 */
export function readFlinkNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity' || text === '+Infinity') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (text === '') return undefined;
  const parsed = Number(text);
  return Number.isNaN(parsed) ? undefined : parsed;
}

/** Requires an object at `field`, else throws {@link FlinkResponseFormatError}. */
export function requireObject(value: unknown, path: string, field: string): JsonObject {
  if (!isJsonObject(value))
    throw new FlinkResponseFormatError(path, field, `must be an object, got ${describe(value)}`);
  return value;
}

/** Requires an array at `field`, else throws {@link FlinkResponseFormatError}. */
export function requireArray(value: unknown, path: string, field: string): unknown[] {
  if (!Array.isArray(value))
    throw new FlinkResponseFormatError(path, field, `must be an array, got ${describe(value)}`);
  return value;
}

/** Requires a non-empty string at `field`. */
export function requireString(value: unknown, path: string, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new FlinkResponseFormatError(path, field, `must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** Requires a finite number (JSON number or numeric string) at `field`. */
export function requireFiniteNumber(value: unknown, path: string, field: string): number {
  const parsed = readFlinkNumber(value);
  if (parsed === undefined || !Number.isFinite(parsed)) {
    throw new FlinkResponseFormatError(path, field, `must be a finite number, got ${describe(value)}`);
  }
  return parsed;
}

/** Optional string: undefined when absent or not a string. */
export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Short description of a JSON value for error messages (never the whole body). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
