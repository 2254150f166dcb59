/**
 * The configuration a replay runs under: the job's own configuration (as the captures recorded
 * it) with the what-if overrides (`fsa replay --set key=value`) on top.
 */
import {
  type AutoscalerOptions,
  isPluginOptionKey,
  optionKeys,
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
  return [...optionKeys()];
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
    if (!known.has(key) && !isPluginOptionKey(key)) {
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

/** Options per stored configuration for `replayHistory`, and what resolving them found. */
export interface HistoryOptionsResolver {
  /** The configuration's options with the overrides on top (throws like {@link resolveReplayOptions}). */
  readonly optionsFor: (configuration: Readonly<Record<string, string>>) => AutoscalerOptions;
  /** Distinct warnings of every resolution so far, one sentence each. */
  readonly warnings: () => readonly string[];
}

/**
 * Resolves the options of each configuration a job's history ran with, the `overrides` on top,
 * and notes what a replay cannot reproduce: the capacity guard decides on a cluster snapshot that
 * the history does not keep, so it is left out of the replay.
 */
export function historyOptionsResolver(overrides: Readonly<Record<string, string>>): HistoryOptionsResolver {
  const warnings = new Set<string>();
  return {
    optionsFor: (configuration) => {
      const resolved = resolveReplayOptions(configuration, overrides);
      for (const warning of resolved.warnings) warnings.add(warning);
      if (resolved.options.resourceViewRefreshIntervalMs > 0) {
        warnings.add(
          'The capacity guard (kubernetes.operator.cluster.resource-view.refresh-interval) is not replayed: the history keeps no cluster capacity snapshot, so a decision it blocked is replayed unblocked.',
        );
      }
      return resolved.options;
    },
    warnings: () => [...warnings],
  };
}
