/**
 * The configuration a replay runs under: the job's own configuration (as the captures recorded
 * it) with the what-if overrides (`fsa replay --set key=value`) on top.
 */
import {
  AUTOSCALER_KEY_PATTERNS,
  AUTOSCALER_PREFIX,
  type AutoscalerOptions,
  OPTION_DEFINITIONS,
  type OptionDefinition,
  resolveOptions,
} from '../config/index.ts';
import { FieldError } from '../domain/index.ts';

/** A `--set` argument that is not `key=value` with a known autoscaler option key. */
export class ReplayOverrideError extends FieldError {
  override readonly name = 'ReplayOverrideError';

  constructor(argument: string, problem: string, allowed: string) {
    super(`Invalid --set ${JSON.stringify(argument)}: ${problem}. Allowed: ${allowed}`, {
      field: '--set',
      value: argument,
      allowed,
    });
  }
}

/** Every key an override may name: canonical, deprecated and legacy keys of every option. */
export function knownOptionKeys(): string[] {
  return (OPTION_DEFINITIONS as readonly OptionDefinition[]).flatMap((def) => [
    def.key,
    ...(def.deprecatedKeys ?? []),
    ...(def.fallbackKeys ?? []),
  ]);
}

/**
 * Parses `key=value` overrides. The key must be an autoscaler option (or a plugin key pattern);
 * values are checked when the options are resolved ({@link resolveReplayOptions}).
 *
 * @throws {ReplayOverrideError} naming the argument and listing the known keys.
 */
export function parseOverrides(argumentsList: readonly string[]): Record<string, string> {
  const known = new Set(knownOptionKeys());
  const overrides: Record<string, string> = {};
  for (const argument of argumentsList) {
    const separator = argument.indexOf('=');
    if (separator <= 0) {
      throw new ReplayOverrideError(argument, 'expected key=value', 'e.g. job.autoscaler.utilization.target=0.5');
    }
    const key = argument.slice(0, separator).trim();
    const isPlugin =
      key.startsWith(AUTOSCALER_PREFIX) &&
      AUTOSCALER_KEY_PATTERNS.some((pattern) => pattern.test(key.slice(AUTOSCALER_PREFIX.length)));
    if (!known.has(key) && !isPlugin) {
      throw new ReplayOverrideError(argument, `'${key}' is not an autoscaler option`, [...known].sort().join(', '));
    }
    overrides[key] = argument.slice(separator + 1).trim();
  }
  return overrides;
}

/**
 * Options for the replay: `overrides` win over `jobConfiguration`.
 *
 * @throws {InvalidOptionError} naming the key, the bad value and the option's allowed values.
 */
export function resolveReplayOptions(
  jobConfiguration: Readonly<Record<string, string>>,
  overrides: Readonly<Record<string, string>>,
): { options: AutoscalerOptions; warnings: readonly string[] } {
  return resolveOptions(jobConfiguration, overrides);
}
