import { InvalidExcludedPeriodError, parseExcludedPeriods } from './excluded-periods.ts';
import { flattenConfiguration } from './flatten-configuration.ts';
import {
  AUTOSCALER_KEY_PATTERNS,
  AUTOSCALER_PREFIX,
  LEGACY_AUTOSCALER_PREFIX,
  OPTION_DEFINITIONS,
  type OptionDefinition,
} from './option-definitions.ts';
import type { AutoscalerOptions, AutoscalerOptionValues, OptionName } from './option-values.ts';
import { InvalidOptionError } from './options-error.ts';
import {
  parseBoolean,
  parseDouble,
  parseDurationMs,
  parseInteger,
  parseList,
  parseMap,
  parseMemoryBytes,
  ValueFormatError,
} from './value-parsers.ts';

/** Result of {@link resolveOptions}: the options plus non-fatal findings. */
export interface ResolvedOptions {
  readonly options: AutoscalerOptions;
  /** Unknown `job.autoscaler.*` keys, unsupported plugin options, deprecated keys in use. */
  readonly warnings: readonly string[];
}

/**
 * Resolves the options of one job from configuration layers, least specific first (e.g.
 * deployment-wide defaults, then the resource's `flinkConfiguration`). Each layer may be flat or
 * nested. For every option the most specific layer that sets it wins; within a layer the
 * canonical key wins over deprecated keys, which win over legacy fallback keys.
 *
 * Throws {@link InvalidOptionError} on the first bad value, in the order of the Java validator.
 */
export function resolveOptions(...layers: readonly unknown[]): ResolvedOptions {
  const flatLayers = layers.map((layer) => flattenConfiguration(layer));
  const merged: Record<string, string> = Object.assign({}, ...flatLayers);
  const warnings: string[] = [];
  const values: Record<string, unknown> = {};
  const explicitlySet = new Set<OptionName>();

  for (const def of OPTION_DEFINITIONS as readonly OptionDefinition[]) {
    const found = lookup(def, flatLayers);
    if (found === undefined) {
      values[def.name] = def.default;
      continue;
    }
    if (found.key !== def.key) {
      warnings.push(`Option key '${found.key}' is deprecated: use '${def.key}'`);
    }
    values[def.name] = parseValue(def, found.key, found.value);
    explicitlySet.add(def.name);
  }

  const options: AutoscalerOptions = {
    ...(values as unknown as AutoscalerOptionValues),
    explicitlySet,
    flinkConfiguration: merged,
  };
  validateOptions(options);
  warnings.push(...unknownKeyWarnings(merged), ...unsupportedFeatureWarnings(options));
  return { options, warnings };
}

/**
 * The warning for a metric window too short for the schedule, or undefined. The operator's webhook
 * rejects a window shorter than its reconcile interval; here the cycles follow the schedule
 * (`cadenceMs`: EventBridge Scheduler, `fsa run --interval`), so the window is compared with it: a
 * window shorter than two intervals holds fewer than two samples and never evaluates.
 */
export function shortWindowWarning(options: AutoscalerOptions, cadenceMs: number): string | undefined {
  if (options.metricsWindowMs >= 2 * cadenceMs) return undefined;
  return (
    `Option '${AUTOSCALER_PREFIX}metrics.window' (${options.metricsWindowMs} ms) is shorter than two evaluation ` +
    `intervals (${cadenceMs} ms each): fewer than two samples fit in the window, so the job is never evaluated`
  );
}

/** Defaults of every option (no configuration). */
export function defaultOptions(): AutoscalerOptions {
  return resolveOptions({}).options;
}

function lookup(
  def: OptionDefinition,
  flatLayers: readonly Record<string, string>[],
): { key: string; value: string } | undefined {
  const keys = [def.key, ...(def.deprecatedKeys ?? []), ...(def.fallbackKeys ?? [])];
  for (let i = flatLayers.length - 1; i >= 0; i--) {
    const layer = flatLayers[i]!;
    for (const key of keys) {
      const value = layer[key];
      if (value !== undefined) return { key, value };
    }
  }
  return undefined;
}

function parseValue(def: OptionDefinition, key: string, text: string): unknown {
  try {
    switch (def.type) {
      case 'boolean':
        return parseBoolean(text);
      case 'integer':
        return parseInteger(text);
      case 'double':
        return parseDouble(text);
      case 'duration':
        return parseDurationMs(text);
      case 'memory':
        return parseMemoryBytes(text);
      case 'string':
        return text.trim();
      case 'list':
        return parseList(text);
      case 'map':
        return parseMap(text);
      case 'enum': {
        const upper = text.trim().toUpperCase();
        if (!def.values?.includes(upper)) {
          throw new ValueFormatError(`use one of ${def.values?.join(', ')}`);
        }
        return upper;
      }
    }
  } catch (error) {
    if (error instanceof ValueFormatError) {
      throw new InvalidOptionError(key, text, error.message, { cause: error });
    }
    throw error;
  }
}

/**
 * The Java validator checks ranges in this order (docs/algorithm.md §1.10) and reports the first failure;
 * options with ranges that it does not check come after, in declaration order.
 */
const JAVA_VALIDATION_ORDER: readonly OptionName[] = [
  'scaleDownMaxFactor',
  'scaleUpMaxFactor',
  'utilizationTarget',
  'targetUtilizationBoundary',
  'utilizationMax',
  'utilizationMin',
  'gcPressureThreshold',
  'heapUsageThreshold',
  'observedScalabilityCoefficientMin',
  'scalingEffectivenessThreshold',
  'memoryTuningOverhead',
];

const RANGE_CHECK_ORDER: readonly OptionDefinition[] = [
  ...JAVA_VALIDATION_ORDER.map(
    (name) => (OPTION_DEFINITIONS as readonly OptionDefinition[]).find((def) => def.name === name)!,
  ),
  ...(OPTION_DEFINITIONS as readonly OptionDefinition[]).filter(
    (def) => def.range && !JAVA_VALIDATION_ORDER.includes(def.name),
  ),
];

function formatBound(value: number | undefined, side: 'min' | 'max'): string {
  if (value === undefined) return side === 'min' ? '-Infinity' : '+Infinity';
  return String(value);
}

/**
 * Range checks in the Java validator's order (docs/algorithm.md §1.10), with its message format, plus the
 * operator webhook's window check and excluded-period parsing.
 */
function validateOptions(options: AutoscalerOptions): void {
  for (const def of RANGE_CHECK_ORDER) {
    if (!def.range) continue;
    if (def.validateWhen && options[def.validateWhen] !== true) continue;
    const value = options[def.name];
    if (value === undefined) continue;
    const min = def.range.minOption ? (options[def.range.minOption] as number) : def.range.min;
    const max = def.range.maxOption ? (options[def.range.maxOption] as number) : def.range.max;
    const n = value as number;
    if (Number.isNaN(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
      const range = `[${formatBound(min, 'min')}, ${formatBound(max, 'max')}]`;
      throw new InvalidOptionError(def.key, String(value), `a value within the range ${range}`, {
        message: `The AutoScalerOption ${def.key} is invalid, it should be a value within the range ${range}`,
      });
    }
  }
  if (options.vertexMinParallelism < 1 || options.vertexMaxParallelism < 1) {
    const key = options.vertexMinParallelism < 1 ? 'vertex.min-parallelism' : 'vertex.max-parallelism';
    throw new InvalidOptionError(
      AUTOSCALER_PREFIX + key,
      String(options[key === 'vertex.min-parallelism' ? 'vertexMinParallelism' : 'vertexMaxParallelism']),
      'a whole number ≥ 1',
    );
  }
  for (const [name, key] of [
    ['historyMaxCount', 'history.max.count'],
    ['observedTprMinObservations', 'observed-true-processing-rate.min-observations'],
    ['observedScalabilityMinObservations', 'observed-scalability.min-observations'],
    ['numberOfTaskSlots', 'taskmanager.numberOfTaskSlots'],
  ] as const) {
    if (options[name] < 1) {
      throw new InvalidOptionError(
        key.startsWith('taskmanager') ? key : AUTOSCALER_PREFIX + key,
        String(options[name]),
        'a whole number ≥ 1',
      );
    }
  }
  try {
    parseExcludedPeriods(options.excludedPeriods, options.excludedPeriodsTimeZone);
  } catch (error) {
    if (!(error instanceof InvalidExcludedPeriodError)) throw error;
    // The parser names the key at fault: an entry of excluded.periods, or the time zone.
    throw new InvalidOptionError(error.field, error.value, error.allowed, {
      cause: error,
      message: `Invalid value in the autoscaler config ${error.field}: ${error.message}`,
    });
  }
}

const KNOWN_SUFFIXES = new Set(
  (OPTION_DEFINITIONS as readonly OptionDefinition[]).flatMap((def) =>
    [def.key, ...(def.deprecatedKeys ?? [])]
      .filter((key) => key.startsWith(AUTOSCALER_PREFIX))
      .map((key) => key.slice(AUTOSCALER_PREFIX.length)),
  ),
);

function unknownKeyWarnings(config: Readonly<Record<string, string>>): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(config).sort()) {
    const prefix = key.startsWith(AUTOSCALER_PREFIX)
      ? AUTOSCALER_PREFIX
      : key.startsWith(LEGACY_AUTOSCALER_PREFIX)
        ? LEGACY_AUTOSCALER_PREFIX
        : undefined;
    if (!prefix) continue;
    const suffix = key.slice(prefix.length);
    if (KNOWN_SUFFIXES.has(suffix) || AUTOSCALER_KEY_PATTERNS.some((pattern) => pattern.test(suffix)))
      continue;
    warnings.push(`Unknown autoscaler option '${key}' is ignored`);
  }
  return warnings;
}

function unsupportedFeatureWarnings(options: AutoscalerOptions): string[] {
  const warnings: string[] = [];
  if (options.customEvaluators.length > 0) {
    warnings.push(
      `Option '${AUTOSCALER_PREFIX}metrics.custom-evaluators' names Java plugins (${options.customEvaluators.join(', ')}), which cannot run here; the built-in evaluation is used`,
    );
  }
  if (options.customExecutors.length > 0) {
    warnings.push(
      `Option '${AUTOSCALER_PREFIX}scaling.custom-executors' names Java plugins (${options.customExecutors.join(', ')}), which cannot run here; use the policy hook instead`,
    );
  }
  const mode = options.parallelismAlignmentMode.toUpperCase();
  if (!['BALANCED', 'EVENLY_SPREAD', 'OFF'].includes(mode)) {
    warnings.push(
      `Alignment mode '${options.parallelismAlignmentMode}' is not built in (custom Java modes cannot run here); BALANCED is used`,
    );
  }
  return warnings;
}
