import { InvalidOptionError } from './options-error.ts';

/**
 * Flattens a `spec.flinkConfiguration` that may be flat (`{"a.b": "1"}`) or nested YAML
 * (`{a: {b: 1}}`, allowed by newer operator CRDs) into flat string keys and values, the way the
 * operator does: nested keys are joined with `.`, scalars become strings, lists become
 * `;`-separated values (Flink's list syntax).
 */
export function flattenConfiguration(config: unknown, path = ''): Record<string, string> {
  const result: Record<string, string> = {};
  if (config === null || config === undefined) return result;
  if (typeof config !== 'object' || Array.isArray(config)) {
    if (path === '') {
      throw new InvalidOptionError(
        'flinkConfiguration',
        describe(config),
        'an object of configuration keys to values',
        {
          message: `flinkConfiguration must be an object of keys to values, got ${describe(config)}`,
        },
      );
    }
    result[path] = scalarToString(config, path);
    return result;
  }
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    const fullKey = path === '' ? key : `${path}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(result, flattenConfiguration(value, fullKey));
    } else if (value !== null && value !== undefined) {
      result[fullKey] = scalarToString(value, fullKey);
    }
  }
  return result;
}

function scalarToString(value: unknown, key: string): string {
  if (Array.isArray(value)) return value.map((item) => scalarToString(item, key)).join(';');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  throw new InvalidOptionError(key, describe(value), 'a string, number, boolean or a list of those', {
    message: `flinkConfiguration key '${key}' has a value of unsupported type ${describe(value)}; use a string, number, boolean or a list of those`,
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
