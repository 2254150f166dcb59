import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type {
  DurationInput,
  FlinkSimulatorScenario,
  LoadComponent,
  ScenarioShipStrategy,
} from './scenario.ts';
import { LOAD_COMPONENT_TYPES, SCENARIO_SCHEMA } from './scenario-schema.ts';

/** A scenario that failed validation; `field` is a dotted path such as `job.vertices[1].parallelism`. */
export class ScenarioError extends Error {
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`Invalid simulator scenario: ${field || '(root)'} ${problem}`);
    this.name = 'ScenarioError';
    this.field = field;
  }
}

/** Load component with durations resolved to ms. */
export type NormalizedLoadComponent =
  | { readonly type: 'constant'; readonly recordsPerSecond: number }
  | { readonly type: 'steps'; readonly steps: readonly { atMs: number; recordsPerSecond: number }[] }
  | {
      readonly type: 'diurnal';
      readonly meanRecordsPerSecond: number;
      readonly amplitudeRecordsPerSecond: number;
      readonly periodMs: number;
      readonly peakAtMs: number;
      /** +∞ when the rate never holds. */
      readonly holdFromMs: number;
    }
  | {
      readonly type: 'spikes';
      readonly spikes: readonly { atMs: number; durationMs: number; recordsPerSecond: number }[];
    };

/** A source with defaults applied. */
export interface NormalizedSource {
  readonly type: 'kafka' | 'legacy';
  readonly topic: string;
  readonly partitions: number;
  readonly kafkaCluster?: string;
  readonly initialLagRecords: number;
  readonly load: readonly NormalizedLoadComponent[];
}

/** A vertex with defaults applied and its REST identity. */
export interface NormalizedVertex {
  readonly key: string;
  readonly vertexId: string;
  /** Task name served as `vertices[].name` (sources: `Source: <name>`). */
  readonly taskName: string;
  /** Operator-scope metric prefix (`Source__orders`), after Flink's character filter. */
  readonly metricPrefix: string;
  readonly initialParallelism: number;
  readonly maxParallelism: number;
  readonly costMsPerRecord: number;
  readonly selectivity: number;
  readonly keySkew: number;
  readonly scalabilityExponent: number;
  readonly coordinationOverhead: number;
  readonly slotSharingGroup: string;
  /** Capacity collapse above a parallelism (absent = none). */
  readonly collapse?: { readonly aboveParallelism: number; readonly capacityFactor: number };
  readonly source?: NormalizedSource;
  /** Incoming edges. */
  readonly inputs: readonly { readonly from: string; readonly shipStrategy: ScenarioShipStrategy }[];
}

/** A validated scenario with every default applied; vertices in topological order. */
export interface NormalizedScenario {
  readonly name: string;
  readonly jobName: string;
  readonly flinkVersion: string;
  readonly startTimeMs: number;
  readonly stepMs: number;
  readonly metricsDelayMs: number;
  readonly restart: { readonly downtimeMs: number; readonly mode: 'redeploy' | 'in-place' };
  readonly taskManager: Required<NonNullable<FlinkSimulatorScenario['taskManager']>>;
  readonly jobMaxParallelism: number;
  /** The job cannot run above this parallelism (absent = no failure mode). */
  readonly failure?: { readonly aboveParallelism: number; readonly state: 'RESTARTING' | 'FAILED' };
  /** Extra effective-configuration entries (`FlinkSimulatorScenario.configuration`). */
  readonly configuration: Readonly<Record<string, string>>;
  readonly vertices: readonly NormalizedVertex[];
}

const MIB = 1024 * 1024;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, discriminator: true });
const validateSchema = ajv.compile(SCENARIO_SCHEMA);

/**
 * Parses and validates a scenario from JSON/YAML text (YAML is a superset of JSON, so one
 * parser reads both) or from an already parsed object. Throws {@link ScenarioError}.
 */
export function parseScenario(input: string | unknown): NormalizedScenario {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = parseYaml(input);
    } catch (error) {
      throw new ScenarioError('', `is neither JSON nor YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (!validateSchema(raw)) throw schemaError(validateSchema.errors?.[0]);
  return normalize(raw as FlinkSimulatorScenario);
}

/** Duration input → ms. */
export function durationMs(value: DurationInput): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/.exec(value);
  if (!match) throw new ScenarioError('', `has an unreadable duration ${JSON.stringify(value)}`);
  return Number(match[1]) * (UNIT_MS[match[2] ?? 'ms'] ?? 1);
}

/**
 * Flink's operator-name filter for metric scopes (Flink 1.x): names are cut to 80 characters
 * (`TaskMetricGroup.getOrAddOperator`), then space, `.`, `:` and `,` become `_` (the character
 * filter of `MetricQueryService`, which feeds the REST metric store).
 */
export function filterOperatorName(name: string): string {
  return name.slice(0, 80).replace(/[ .:,]/g, '_');
}

/** Stable 32-hex id from a seed (vertex and job ids must look like Flink's `JobVertexID` / `JobID`). */
export function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

function schemaError(error: ErrorObject | undefined): ScenarioError {
  if (!error) return new ScenarioError('', 'is invalid');
  const field = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return new ScenarioError(field ? `${field}.${extra}` : extra, 'is not a known field');
  }
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return new ScenarioError(field ? `${field}.${missing}` : missing, 'is required');
  }
  if (error.keyword === 'discriminator') {
    const { tag, tagValue } = error.params as { tag: string; tagValue: unknown };
    const allowed = LOAD_COMPONENT_TYPES.map((value) => JSON.stringify(value)).join(', ');
    return new ScenarioError(
      field ? `${field}.${tag}` : tag,
      tagValue === undefined ? 'is required' : `must be one of ${allowed}, got ${JSON.stringify(tagValue)}`,
    );
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
    return new ScenarioError(field, `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  return new ScenarioError(field, error.message ?? 'is invalid');
}

function normalizeLoad(component: LoadComponent): NormalizedLoadComponent {
  switch (component.type) {
    case 'constant':
      return component;
    case 'steps':
      return {
        type: 'steps',
        steps: component.steps
          .map((step) => ({ atMs: durationMs(step.atMs), recordsPerSecond: step.recordsPerSecond }))
          .sort((a, b) => a.atMs - b.atMs),
      };
    case 'diurnal':
      return {
        type: 'diurnal',
        meanRecordsPerSecond: component.meanRecordsPerSecond,
        amplitudeRecordsPerSecond: component.amplitudeRecordsPerSecond,
        periodMs: durationMs(component.periodMs ?? '1 d'),
        peakAtMs: durationMs(component.peakAtMs ?? 0),
        holdFromMs:
          component.holdFromMs === undefined ? Number.POSITIVE_INFINITY : durationMs(component.holdFromMs),
      };
    case 'spikes':
      return {
        type: 'spikes',
        spikes: component.spikes.map((spike) => ({
          atMs: durationMs(spike.atMs),
          durationMs: durationMs(spike.durationMs),
          recordsPerSecond: spike.recordsPerSecond,
        })),
      };
  }
}

/** Rejects duplicate vertex ids, edges to unknown vertices and self-loops. */
function checkGraph(scenario: FlinkSimulatorScenario): void {
  const keys = new Set<string>();
  scenario.job.vertices.forEach((vertex, index) => {
    if (keys.has(vertex.id))
      throw new ScenarioError(`job.vertices[${index}].id`, `duplicates id ${JSON.stringify(vertex.id)}`);
    keys.add(vertex.id);
  });
  (scenario.job.edges ?? []).forEach((edge, index) => {
    for (const end of ['from', 'to'] as const) {
      if (!keys.has(edge[end])) {
        throw new ScenarioError(
          `job.edges[${index}].${end}`,
          `refers to unknown vertex ${JSON.stringify(edge[end])}`,
        );
      }
    }
    if (edge.from === edge.to) throw new ScenarioError(`job.edges[${index}]`, 'is a self-loop');
  });
}

type ScenarioVertex = FlinkSimulatorScenario['job']['vertices'][number];

/** What normalizing one vertex needs from the whole scenario. */
interface VertexContext {
  readonly name: string;
  readonly jobMaxParallelism: number;
  readonly edges: NonNullable<FlinkSimulatorScenario['job']['edges']>;
  /** Hex vertex ids taken so far (they must be unique). */
  readonly vertexIds: Set<string>;
}

/**
 * One vertex with defaults applied: a vertex without incoming edges is a source and needs
 * `source`; the task name of a source is `Source: <name>` and metric ids use its filtered form.
 */
function normalizeVertex(vertex: ScenarioVertex, index: number, ctx: VertexContext): NormalizedVertex {
  const field = `job.vertices[${index}]`;
  const inputs = ctx.edges
    .filter((edge) => edge.to === vertex.id)
    .map((edge) => ({ from: edge.from, shipStrategy: edge.shipStrategy ?? 'HASH' }));
  if (inputs.length === 0 && !vertex.source) {
    throw new ScenarioError(
      `${field}.source`,
      'is required: the vertex has no incoming edge, so it is a source',
    );
  }
  if (inputs.length > 0 && vertex.source) {
    throw new ScenarioError(`${field}.source`, 'is not allowed: the vertex has incoming edges');
  }
  const maxParallelism = vertex.maxParallelism ?? ctx.jobMaxParallelism;
  if (vertex.parallelism > maxParallelism) {
    throw new ScenarioError(
      `${field}.parallelism`,
      `(${vertex.parallelism}) exceeds maxParallelism ${maxParallelism}`,
    );
  }
  const vertexId = vertex.vertexId ?? hexId(`${ctx.name}/${vertex.id}`);
  if (ctx.vertexIds.has(vertexId))
    throw new ScenarioError(`${field}.vertexId`, 'duplicates another vertex id');
  ctx.vertexIds.add(vertexId);
  const displayName = vertex.name ?? vertex.id;
  const source = vertex.source;
  const operatorName = source ? `Source: ${displayName}` : displayName;
  return {
    key: vertex.id,
    vertexId,
    taskName: operatorName,
    metricPrefix: filterOperatorName(operatorName),
    initialParallelism: vertex.parallelism,
    maxParallelism,
    costMsPerRecord: vertex.costMsPerRecord,
    selectivity: vertex.selectivity ?? 1,
    keySkew: vertex.keySkew ?? 1,
    scalabilityExponent: vertex.scalabilityExponent ?? 1,
    coordinationOverhead: vertex.coordinationOverhead ?? 0,
    slotSharingGroup: vertex.slotSharingGroup ?? 'default',
    ...(vertex.collapse ? { collapse: { ...vertex.collapse } } : {}),
    ...(source
      ? {
          source: {
            type: source.type ?? 'kafka',
            topic: source.topic ?? vertex.id,
            partitions: source.partitions ?? 1,
            ...(source.kafkaCluster === undefined ? {} : { kafkaCluster: source.kafkaCluster }),
            initialLagRecords: source.initialLagRecords ?? 0,
            load: (Array.isArray(source.load) ? source.load : [source.load]).map(normalizeLoad),
          },
        }
      : {}),
    inputs,
  };
}

/** TaskManager memory model with defaults (a 2 GiB process with 2 slots). */
function normalizeTaskManager(
  tm: NonNullable<FlinkSimulatorScenario['taskManager']>,
): NormalizedScenario['taskManager'] {
  return {
    slots: tm.slots ?? 2,
    heapMaxBytes: tm.heapMaxBytes ?? 1024 * MIB,
    heapBaseUsedBytes: tm.heapBaseUsedBytes ?? 200 * MIB,
    heapBytesPerRecordPerSecond: tm.heapBytesPerRecordPerSecond ?? 1000,
    managedTotalBytes: tm.managedTotalBytes ?? 512 * MIB,
    managedUsedFraction: tm.managedUsedFraction ?? 0.5,
    metaspaceUsedBytes: tm.metaspaceUsedBytes ?? 100 * MIB,
    gcMsPerSecondAtFullHeap: tm.gcMsPerSecondAtFullHeap ?? 200,
    processSizeBytes: tm.processSizeBytes ?? 2048 * MIB,
  };
}

function normalize(scenario: FlinkSimulatorScenario): NormalizedScenario {
  const name = scenario.name ?? 'simulated-job';
  const jobMaxParallelism = scenario.job.maxParallelism ?? 128;
  checkGraph(scenario);
  const edges = scenario.job.edges ?? [];
  const ctx: VertexContext = { name, jobMaxParallelism, edges, vertexIds: new Set() };
  const vertices = scenario.job.vertices.map((vertex, index) => normalizeVertex(vertex, index, ctx));
  return {
    name,
    jobName: scenario.job.name ?? name,
    flinkVersion: scenario.flinkVersion ?? '1.20.1',
    startTimeMs: scenario.startTimeMs ?? 1_700_000_000_000,
    stepMs: Math.max(1, durationMs(scenario.stepMs ?? 1000)),
    metricsDelayMs: durationMs(scenario.metricsDelayMs ?? 0),
    restart: {
      downtimeMs: durationMs(scenario.restart?.downtimeMs ?? '30 s'),
      mode: scenario.restart?.mode ?? 'redeploy',
    },
    taskManager: normalizeTaskManager(scenario.taskManager ?? {}),
    jobMaxParallelism,
    configuration: { ...scenario.configuration },
    ...(scenario.failure
      ? { failure: { aboveParallelism: scenario.failure.aboveParallelism, state: scenario.failure.state ?? 'RESTARTING' } }
      : {}),
    vertices: orderTopologically(vertices),
  };
}

function orderTopologically(vertices: NormalizedVertex[]): NormalizedVertex[] {
  const ordered: NormalizedVertex[] = [];
  const placed = new Set<string>();
  while (ordered.length < vertices.length) {
    const ready = vertices.filter(
      (vertex) => !placed.has(vertex.key) && vertex.inputs.every((input) => placed.has(input.from)),
    );
    if (ready.length === 0)
      throw new ScenarioError('job.edges', 'form a cycle; a Flink job graph is acyclic');
    for (const vertex of ready) {
      ordered.push(vertex);
      placed.add(vertex.key);
    }
  }
  return ordered;
}
