/**
 * Flink configuration changes of a memory plan (Java `ConfigChanges`, docs/algorithm.md §7.3): keys to remove,
 * then keys to set, and the text of the operator's "Configuration recommendation" event.
 */
import type { ConfigChanges } from '../domain/index.ts';

/** Applies changes to a flat configuration: removals first, then overrides (docs/algorithm.md §7.7 step 1). */
export function applyConfigChanges(
  configuration: Readonly<Record<string, string>>,
  changes: ConfigChanges,
): Record<string, string> {
  const result: Record<string, string> = { ...configuration };
  for (const key of changes.removals) delete result[key];
  return Object.assign(result, changes.overrides);
}

/** No changes (tuning disabled or no plan). */
export function emptyConfigChanges(): ConfigChanges {
  return { overrides: {}, removals: [] };
}

/**
 * Body of the recommendation event, as the operator writes it (docs/algorithm.md §5.4): a header, one
 * `key: value` line per override, then the removals in brackets.
 */
export function recommendationMessage(changes: ConfigChanges, tuningEnabled: boolean): string {
  const header = `Memory tuning recommends the following configuration (automatic tuning is ${tuningEnabled ? 'enabled' : 'disabled'}):\n`;
  const lines = Object.entries(changes.overrides)
    .map(([key, value]) => `${key}: ${value}\n`)
    .join('');
  const removals =
    changes.removals.length > 0
      ? `Remove the following config entries if present: [${changes.removals.join(', ')}]`
      : '';
  return header + lines + removals;
}
