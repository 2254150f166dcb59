/**
 * The part of a configuration that the autoscaler's options are resolved from: the keys of the
 * option definitions (canonical, deprecated and fallback) and the plugin key patterns. Kept with
 * the replay history so a replay resolves the options a cycle ran with, without the rest of a
 * job's `flinkConfiguration` (state backends, connectors, secrets).
 */
import {
  AUTOSCALER_KEY_PATTERNS,
  AUTOSCALER_PREFIX,
  OPTION_DEFINITIONS,
  type OptionDefinition,
} from './option-definitions.ts';

/** Every key an option may be set with: canonical, deprecated and fallback keys. */
export function optionKeys(): ReadonlySet<string> {
  return new Set(
    (OPTION_DEFINITIONS as readonly OptionDefinition[]).flatMap((def) => [
      def.key,
      ...(def.deprecatedKeys ?? []),
      ...(def.fallbackKeys ?? []),
    ]),
  );
}

/** Whether `key` names an autoscaler plugin option (`…mode.<name>.class`, …). */
export function isPluginOptionKey(key: string): boolean {
  return (
    key.startsWith(AUTOSCALER_PREFIX) &&
    AUTOSCALER_KEY_PATTERNS.some((pattern) => pattern.test(key.slice(AUTOSCALER_PREFIX.length)))
  );
}

/** The entries of `configuration` that options are resolved from (see the module comment). */
export function optionConfigurationOf(configuration: Readonly<Record<string, string>>): Record<string, string> {
  const keys = optionKeys();
  return Object.fromEntries(
    Object.entries(configuration).filter(([key]) => keys.has(key) || isPluginOptionKey(key)),
  );
}
