/**
 * Reading and writing keys of a resource's `spec.flinkConfiguration`, which users may write flat
 * (`a.b.c: x`) or nested (`a: {b: {c: x}}`). Shared by the scaling patch and the restore patch so
 * both write a key where the user put it and read the overrides the same way.
 */
import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import { parseMap } from '../../config/value-parsers.ts';
import { PARALLELISM_OVERRIDES_KEY } from '../../domain/owned-keys.ts';
import type { FlinkResource } from './flink-resource.ts';
import { ScalingPatchError } from './kubernetes-errors.ts';

type Obj = Record<string, unknown>;

/** Where a key lives in a possibly nested configuration: its path segments, or undefined if absent. */
export function locateKey(config: unknown, key: string): string[] | undefined {
  if (config === null || typeof config !== 'object') return undefined;
  const obj = config as Obj;
  if (Object.hasOwn(obj, key)) return [key];
  for (const [k, v] of Object.entries(obj)) {
    if (key.startsWith(`${k}.`) && v !== null && typeof v === 'object') {
      const rest = locateKey(v, key.slice(k.length + 1));
      if (rest) return [k, ...rest];
    }
  }
  return undefined;
}

/**
 * Sets `key` in the merge-patch object `target` at the place it has in the resource's raw
 * configuration (nested when the user wrote it nested), so the spec never holds both forms.
 */
export function putConfigKey(target: Obj, rawConfiguration: unknown, key: string, value: unknown): void {
  const path = locateKey(rawConfiguration, key) ?? [key];
  let cur = target;
  for (const segment of path.slice(0, -1)) {
    const next = cur[segment];
    if (next === null || typeof next !== 'object') cur[segment] = {};
    cur = cur[segment] as Obj;
  }
  cur[path[path.length - 1] ?? ''] = value;
}

/** The resource's current parallelism overrides (vertex → parallelism text); empty when unset. */
export function currentOverrides(resource: FlinkResource): Record<string, string> {
  const text = flattenConfiguration(resource.spec.flinkConfiguration ?? {})[PARALLELISM_OVERRIDES_KEY];
  try {
    return text ? parseMap(text) : {};
  } catch (error) {
    throw new ScalingPatchError(
      'invalid',
      `spec.flinkConfiguration ${PARALLELISM_OVERRIDES_KEY} is malformed: ${String(error)}`,
      { cause: error },
    );
  }
}

/** The overrides value for a map, vertices sorted so equal maps give equal strings. */
export function formatOverrides(overrides: Readonly<Record<string, string | number>>): string {
  return Object.keys(overrides)
    .sort()
    .map((vertex) => `${vertex}:${overrides[vertex]}`)
    .join(',');
}
