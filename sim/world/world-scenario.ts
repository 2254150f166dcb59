/**
 * A local-world scenario: a Flink simulator scenario (sim/flink-simulator/README.md) plus
 * a `world:` block that says how long to run it and how the FlinkDeployment is configured.
 * One YAML (or JSON) file holds both, so a bundled scenario is self-describing:
 *
 * ```yaml
 * name: orders-pipeline
 * world:
 *   description: Kafka → parse → keyBy window → sink; ramp, hold, spike, fall
 *   durationMs: 6 h
 *   linear: false            # the benchmark expects 1 rescale to the oracle when true
 *   steady: false            # the benchmark expects 0 rescales after convergence when true
 *   maxRescalesToConverge: 2 # the benchmark's limit (default: 1 when linear, else 3)
 *   flinkConfiguration: { job.autoscaler.memory.tuning.enabled: "true" }
 *   taskManagerMemory: 4g
 * job: { vertices: [...], edges: [...] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import {
  durationMs,
  type NormalizedScenario,
  parseScenario,
  ScenarioError,
} from '../flink-simulator/parse-scenario.ts';

/** The `world:` block with defaults applied. */
export interface WorldSettings {
  readonly description: string;
  /** Simulated time to run, ms. @default 6 h */
  readonly durationMs: number;
  /** A linear job (exponent 1, no skew, no overhead): one rescale must reach the oracle. */
  readonly linear: boolean;
  /** Steady load: no rescale is allowed after convergence. */
  readonly steady: boolean;
  /** The benchmark's limit on rescales to converge. @default 1 when `linear`, else 3 */
  readonly maxRescalesToConverge: number;
  /** Keys merged over the world's default `spec.flinkConfiguration`. */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  /** `spec.taskManager.resource.memory`. @default "4g" */
  readonly taskManagerMemory: string;
}

/** A parsed scenario file. */
export interface WorldScenario {
  readonly world: WorldSettings;
  readonly simulator: NormalizedScenario;
}

const WORLD_KEYS = new Set([
  'description',
  'durationMs',
  'linear',
  'steady',
  'maxRescalesToConverge',
  'flinkConfiguration',
  'taskManagerMemory',
]);

/** Parses scenario text (YAML or JSON) or an already parsed object. Throws {@link ScenarioError}. */
export function parseWorldScenario(input: string | unknown): WorldScenario {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = parseYaml(input);
    } catch (error) {
      throw new ScenarioError('', `is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioError('', 'must be an object');
  }
  const { world, ...simulatorPart } = raw as Record<string, unknown>;
  return { world: parseWorldSettings(world), simulator: parseScenario(simulatorPart) };
}

/** Reads and parses a scenario file. */
export async function loadWorldScenario(path: string): Promise<WorldScenario> {
  return parseWorldScenario(await readFile(path, 'utf8'));
}

function parseWorldSettings(value: unknown): WorldSettings {
  const world = value === undefined ? {} : value;
  if (typeof world !== 'object' || world === null || Array.isArray(world)) {
    throw new ScenarioError('world', 'must be an object');
  }
  const record = world as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!WORLD_KEYS.has(key))
      throw new ScenarioError(`world.${key}`, `is not a known key (${[...WORLD_KEYS].join(', ')})`);
  }
  const flag = (key: string): boolean => {
    const v = record[key];
    if (v === undefined) return false;
    if (typeof v !== 'boolean') throw new ScenarioError(`world.${key}`, 'must be true or false');
    return v;
  };
  const configuration = record['flinkConfiguration'] ?? {};
  if (typeof configuration !== 'object' || configuration === null || Array.isArray(configuration)) {
    throw new ScenarioError('world.flinkConfiguration', 'must be a map of keys to values');
  }
  // Kubernetes stores flinkConfiguration values as strings; numbers and booleans from YAML are
  // written the way a user would quote them.
  const flinkConfiguration = Object.fromEntries(
    Object.entries(configuration as Record<string, unknown>).map(([key, v]) => {
      if (typeof v === 'object' && v !== null) {
        throw new ScenarioError(`world.flinkConfiguration.${key}`, 'must be a string, number or boolean');
      }
      return [key, String(v)];
    }),
  );
  const duration = record['durationMs'] === undefined ? 6 * 3_600_000 : durationOf(record['durationMs']);
  const memory = record['taskManagerMemory'] ?? '4g';
  if (typeof memory !== 'string')
    throw new ScenarioError('world.taskManagerMemory', 'must be a string such as "4g"');
  const maxRescales = record['maxRescalesToConverge'] ?? (flag('linear') ? 1 : 3);
  if (typeof maxRescales !== 'number' || !Number.isInteger(maxRescales) || maxRescales < 1) {
    throw new ScenarioError('world.maxRescalesToConverge', `must be a whole number ≥ 1, got ${String(maxRescales)}`);
  }
  const description = record['description'] ?? '';
  if (typeof description !== 'string') throw new ScenarioError('world.description', 'must be a string');
  return {
    description,
    durationMs: duration,
    linear: flag('linear'),
    steady: flag('steady'),
    maxRescalesToConverge: maxRescales,
    flinkConfiguration,
    taskManagerMemory: memory,
  };
}

function durationOf(value: unknown): number {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new ScenarioError('world.durationMs', 'must be a duration such as "6 h" or a number of ms');
  }
  const ms = durationMs(value);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new ScenarioError('world.durationMs', `must be positive, got ${String(value)}`);
  return ms;
}
