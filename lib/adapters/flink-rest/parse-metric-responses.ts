import type { MetricAggregates } from '../../domain/index.ts';
import { FlinkResponseFormatError } from '../../ports/metrics-source.ts';
import { isJsonObject, readFlinkNumber, requireArray, requireObject, requireString } from './json-values.ts';

/**
 * Parsers of the metric endpoints. Flink writes all of them as TOP-LEVEL ARRAYS (the OpenAPI
 * spec's `MetricCollectionResponseBody`/`AggregatedMetricsResponseBody` objects are misleading,
 * docs/flink-rest.md §2.2).
 */

/** `[{"id": …}]` from a metric listing call (no `get`): the ids that exist. */
export function parseMetricIdList(body: unknown, path: string): string[] {
  return requireArray(body, path, '(body)').map((raw, index) =>
    requireString(requireObject(raw, path, `[${index}]`)['id'], path, `[${index}].id`),
  );
}

/**
 * `[{"id", "min", "max", "avg", "sum", "skew"?}]` from an aggregated call. Values may be numbers
 * or strings (`"NaN"`); unparseable aggregates are dropped, NaN is kept as NaN.
 */
export function parseAggregatedMetrics(body: unknown, path: string): Map<string, MetricAggregates> {
  const result = new Map<string, MetricAggregates>();
  requireArray(body, path, '(body)').forEach((raw, index) => {
    const entry = requireObject(raw, path, `[${index}]`);
    const id = requireString(entry['id'], path, `[${index}].id`);
    const aggregates: { min?: number; max?: number; avg?: number; sum?: number } = {};
    for (const key of ['min', 'max', 'avg', 'sum'] as const) {
      const value = readFlinkNumber(entry[key]);
      if (value !== undefined) aggregates[key] = value;
    }
    result.set(id, aggregates);
  });
  return result;
}

/**
 * `[{"id", "value"}]` from a metric collection call (JM metrics, per-subtask metrics, one TM).
 * Values are strings; numeric ones (incl. `"NaN"`) become numbers, others (`"false"`, paths)
 * stay strings.
 */
export function parseMetricValues(body: unknown, path: string): Map<string, number | string> {
  const result = new Map<string, number | string>();
  requireArray(body, path, '(body)').forEach((raw, index) => {
    const entry = requireObject(raw, path, `[${index}]`);
    const id = requireString(entry['id'], path, `[${index}].id`);
    const value = entry['value'];
    const numeric = readFlinkNumber(value);
    if (numeric !== undefined) result.set(id, numeric);
    else if (typeof value === 'string') result.set(id, value);
  });
  return result;
}

/**
 * `[{"key", "value"}]` from `/jobmanager/config` or `/jobs/{id}/jobmanager/config`. Masked
 * secrets (`******`) are kept as they are; entries without a string key are rejected.
 */
export function parseConfigurationEntries(body: unknown, path: string): Record<string, string> {
  const result: Record<string, string> = {};
  requireArray(body, path, '(body)').forEach((raw, index) => {
    const entry = requireObject(raw, path, `[${index}]`);
    const key = requireString(entry['key'], path, `[${index}].key`);
    const value = entry['value'];
    if (typeof value === 'string') result[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') result[key] = String(value);
    else if (value !== undefined && value !== null) {
      throw new FlinkResponseFormatError(path, `[${index}].value`, 'must be a string');
    }
  });
  return result;
}

/** True when an aggregated body is an empty array (Flink's answer when any requested id is unknown). */
export function isEmptyArray(body: unknown): boolean {
  return Array.isArray(body) && body.length === 0;
}

/** Used by parsers that accept either the object or array form of an error body. */
export function flinkErrorMessages(body: unknown): string[] {
  if (!isJsonObject(body) || !Array.isArray(body['errors'])) return [];
  return body['errors'].filter((item): item is string => typeof item === 'string');
}
