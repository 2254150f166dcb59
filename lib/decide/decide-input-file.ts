/**
 * The JSON file format of a `decide()` input (`fsa evaluate --input <file>`, examples/decide-input.json):
 *
 * ```json
 * {
 *   "nowMs": 1767225600000,                  // or an ISO-8601 instant string
 *   "flinkConfiguration": { "job.autoscaler.utilization.target": "0.7" },   // flat or nested
 *   "raw": { "collectedAtMs": …, "topology": { "jobId": …, "jobRunningTsMs": …, "vertices": [ … ] },
 *            "vertices": { "<id>": { "busyTimeMsPerSecond": { "max": 950 }, … } },
 *            "taskManagers": { … }, "jobManager": { … }, "missingRequired": [] },
 *   "samples": [ { "tsMs": …, "vertices": { "<id>": { "LAG": 1200, … } }, "global": { … } } ],
 *   "state": { … },                           // optional, missing fields from emptyJobState()
 *   "taskManager": { "cpu": 2, "memoryBytes": 4294967296 },                  // optional
 *   "clusterCapacity": { "nodes": [ … ], "expandableGroups": [ … ] }         // optional
 * }
 * ```
 *
 * Field shapes are those of the domain types (`RawJobMetrics`, `MetricSample`, `JobState`, …).
 * JSON has no non-finite numbers, so metric values may be the strings `"Infinity"`, `"-Infinity"`
 * and `"NaN"`. Options are resolved from `flinkConfiguration` with `resolveOptions`.
 */
import { resolveOptions } from '../config/index.ts';
import {
  type ClusterCapacitySnapshot,
  emptyJobState,
  FieldError,
  type JobState,
  type JobTopology,
  type MetricAggregates,
  type MetricSample,
  parseShipStrategy,
  type RawJobMetrics,
  type RawVertexMetrics,
  type ScalingRecord,
  type ScalingSummary,
  type TaskManagerResources,
  type VertexInfo,
} from '../domain/index.ts';
import type { DecideInput } from './decide.ts';

/** A decide input file that does not have the documented shape; names the field and what is allowed. */
export class DecideInputFileError extends FieldError {
  override readonly name = 'DecideInputFileError';

  /** `field` is a JSON path (`raw.topology.vertices[1].parallelism`); the value is kept as shortened JSON. */
  constructor(field: string, value: unknown, allowed: string, options?: { cause?: unknown }) {
    const shown = show(value);
    super(`Invalid decide input: ${field} is ${shown}; expected ${allowed}`, { field, value: shown, allowed }, options);
  }
}

/**
 * Parses and checks a decide input file (already JSON-parsed).
 *
 * @throws {DecideInputFileError} naming the first bad field.
 * @throws {InvalidOptionError} when `flinkConfiguration` holds a bad option value.
 */
export function parseDecideInputFile(json: unknown): DecideInput {
  const root = object(json, '(root)');
  const { options } = resolveOptions(
    root['flinkConfiguration'] === undefined ? {} : object(root['flinkConfiguration'], 'flinkConfiguration'),
  );
  const raw = rawMetrics(root['raw'], 'raw');
  const input: DecideInput = {
    options,
    raw,
    samples: array(root['samples'] ?? [], 'samples').map((s, i) => sample(s, `samples[${i}]`)),
    state: root['state'] === undefined ? emptyJobState() : jobState(root['state'], 'state'),
    nowMs: instant(root['nowMs'] ?? raw.collectedAtMs, 'nowMs'),
    ...(root['taskManager'] === undefined
      ? {}
      : { taskManager: taskManager(root['taskManager'], 'taskManager') }),
    ...(root['clusterCapacity'] === undefined
      ? {}
      : { clusterCapacity: clusterCapacity(root['clusterCapacity'], 'clusterCapacity') }),
  };
  return input;
}

// --- sections ---------------------------------------------------------------------------------

function rawMetrics(value: unknown, path: string): RawJobMetrics {
  const o = object(value, path);
  const topo = topology(o['topology'], `${path}.topology`);
  const vertices: Record<string, RawVertexMetrics> = {};
  for (const [id, v] of Object.entries(object(o['vertices'] ?? {}, `${path}.vertices`))) {
    vertices[id] = rawVertex(v, `${path}.vertices.${id}`);
  }
  const tm = object(o['taskManagers'] ?? {}, `${path}.taskManagers`);
  const taskManagers: Record<string, MetricAggregates> = {};
  for (const [key, v] of Object.entries(tm)) taskManagers[key] = aggregates(v, `${path}.taskManagers.${key}`);
  const jm = object(o['jobManager'] ?? {}, `${path}.jobManager`);
  const jobManager: Record<string, number> = {};
  for (const [key, v] of Object.entries(jm)) jobManager[key] = finite(v, `${path}.jobManager.${key}`);
  const missing = o['missingRequired'];
  return {
    collectedAtMs: instant(o['collectedAtMs'], `${path}.collectedAtMs`),
    topology: topo,
    vertices,
    taskManagers,
    jobManager,
    ...(missing === undefined
      ? {}
      : {
          missingRequired: array(missing, `${path}.missingRequired`).map((m, i) =>
            string(m, `${path}.missingRequired[${i}]`),
          ),
        }),
  };
}

function topology(value: unknown, path: string): JobTopology {
  const o = object(value, path);
  const vertices = array(o['vertices'], `${path}.vertices`).map((v, i) =>
    vertexInfo(v, `${path}.vertices[${i}]`),
  );
  if (vertices.length === 0) throw new DecideInputFileError(`${path}.vertices`, [], 'at least one vertex');
  const ids = new Set(vertices.map((v) => v.id));
  for (const [i, v] of vertices.entries()) {
    for (const [j, edge] of v.inputs.entries()) {
      if (!ids.has(edge.id)) {
        throw new DecideInputFileError(
          `${path}.vertices[${i}].inputs[${j}].id`,
          edge.id,
          'the id of a vertex of the topology',
        );
      }
    }
  }
  return {
    jobId: string(o['jobId'], `${path}.jobId`),
    jobRunningTsMs: instant(o['jobRunningTsMs'], `${path}.jobRunningTsMs`),
    vertices,
  };
}

function vertexInfo(value: unknown, path: string): VertexInfo {
  const o = object(value, path);
  const inputs = array(o['inputs'] ?? [], `${path}.inputs`).map((edge, i) => {
    const e = object(edge, `${path}.inputs[${i}]`);
    return {
      id: string(e['id'], `${path}.inputs[${i}].id`),
      shipStrategy: parseShipStrategy(e['shipStrategy']),
    };
  });
  const group = o['slotSharingGroupId'];
  const name = o['name'];
  return {
    id: string(o['id'], `${path}.id`),
    ...(name === undefined ? {} : { name: string(name, `${path}.name`) }),
    parallelism: wholeNumber(o['parallelism'], `${path}.parallelism`, 1),
    maxParallelism: wholeNumber(o['maxParallelism'] ?? 32768, `${path}.maxParallelism`, 1),
    inputs,
    finished: o['finished'] === undefined ? false : boolean(o['finished'], `${path}.finished`),
    ...(group === undefined ? {} : { slotSharingGroupId: string(group, `${path}.slotSharingGroupId`) }),
    numSourcePartitions: wholeNumber(o['numSourcePartitions'] ?? 0, `${path}.numSourcePartitions`, 0),
  };
}

const AGGREGATE_FIELDS = new Set(['busyTimeMsPerSecond', 'backPressuredTimeMsPerSecond']);

function rawVertex(value: unknown, path: string): RawVertexMetrics {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(object(value, path))) {
    if (key === 'finished') out[key] = boolean(v, `${path}.${key}`);
    else if (AGGREGATE_FIELDS.has(key)) out[key] = aggregates(v, `${path}.${key}`);
    else out[key] = metricNumber(v, `${path}.${key}`);
  }
  return out as RawVertexMetrics;
}

function aggregates(value: unknown, path: string): MetricAggregates {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(object(value, path))) {
    if (!['min', 'max', 'avg', 'sum'].includes(key)) {
      throw new DecideInputFileError(`${path}.${key}`, v, 'only the aggregates min, max, avg, sum');
    }
    out[key] = metricNumber(v, `${path}.${key}`);
  }
  return out;
}

function sample(value: unknown, path: string): MetricSample {
  const o = object(value, path);
  const vertices: Record<string, Record<string, number>> = {};
  for (const [id, metrics] of Object.entries(object(o['vertices'] ?? {}, `${path}.vertices`))) {
    vertices[id] = metricMap(metrics, `${path}.vertices.${id}`);
  }
  return {
    tsMs: instant(o['tsMs'], `${path}.tsMs`),
    vertices,
    global: metricMap(o['global'] ?? {}, `${path}.global`),
  };
}

function metricMap(value: unknown, path: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(object(value, path))) out[key] = metricNumber(v, `${path}.${key}`);
  return out;
}

function jobState(value: unknown, path: string): JobState {
  const o = object(value, path);
  if (o['schemaVersion'] !== undefined && o['schemaVersion'] !== 1) {
    throw new DecideInputFileError(`${path}.schemaVersion`, o['schemaVersion'], 'schema version 1');
  }
  const base = emptyJobState();
  const history: Record<string, ScalingSummary[]> = {};
  for (const [id, list] of Object.entries(object(o['scalingHistory'] ?? {}, `${path}.scalingHistory`))) {
    history[id] = array(list, `${path}.scalingHistory.${id}`).map((entry, i) => {
      const p = `${path}.scalingHistory.${id}[${i}]`;
      const e = object(entry, p);
      const m = object(e['metrics'], `${p}.metrics`);
      return {
        tsMs: instant(e['tsMs'], `${p}.tsMs`),
        currentParallelism: wholeNumber(e['currentParallelism'], `${p}.currentParallelism`, 1),
        newParallelism: wholeNumber(e['newParallelism'], `${p}.newParallelism`, 1),
        metrics: {
          trueProcessingRateAvg: metricNumber(
            m['trueProcessingRateAvg'],
            `${p}.metrics.trueProcessingRateAvg`,
          ),
          expectedProcessingRate: metricNumber(
            m['expectedProcessingRate'],
            `${p}.metrics.expectedProcessingRate`,
          ),
          targetDataRateAvg: metricNumber(m['targetDataRateAvg'], `${p}.metrics.targetDataRateAvg`),
        },
        ...(e['catchUpCapacity'] === undefined
          ? {}
          : { catchUpCapacity: finite(e['catchUpCapacity'], `${p}.catchUpCapacity`) }),
        ...(e['shortfallCheckDue'] === undefined
          ? {}
          : { shortfallCheckDue: boolean(e['shortfallCheckDue'], `${p}.shortfallCheckDue`) }),
      };
    });
  }
  const tracking: ScalingRecord[] = array(o['scalingTracking'] ?? [], `${path}.scalingTracking`).map(
    (entry, i) => {
      const p = `${path}.scalingTracking[${i}]`;
      const e = object(entry, p);
      const duration = e['restartDurationMs'];
      return {
        startMs: instant(e['startMs'], `${p}.startMs`),
        ...(duration === undefined ? {} : { restartDurationMs: finite(duration, `${p}.restartDurationMs`) }),
      };
    },
  );
  const overrides: Record<string, number> = {};
  for (const [id, p] of Object.entries(
    object(o['parallelismOverrides'] ?? {}, `${path}.parallelismOverrides`),
  )) {
    overrides[id] = wholeNumber(p, `${path}.parallelismOverrides.${id}`, 1);
  }
  // Delayed scale-downs, config overrides and memory history are taken as stored (opaque here).
  return {
    ...base,
    ...(o['jobId'] === undefined ? {} : { jobId: string(o['jobId'], `${path}.jobId`) }),
    ...(o['topologyHash'] === undefined
      ? {}
      : { topologyHash: string(o['topologyHash'], `${path}.topologyHash`) }),
    scalingHistory: history,
    scalingTracking: tracking,
    delayedScaleDown: (o['delayedScaleDown'] ?? {}) as JobState['delayedScaleDown'],
    parallelismOverrides: overrides,
    configOverrides: (o['configOverrides'] ?? base.configOverrides) as JobState['configOverrides'],
    ...(o['memoryHistory'] === undefined ? {} : { memoryHistory: o['memoryHistory'] }),
    ...(o['lastEvaluationMs'] === undefined
      ? {}
      : { lastEvaluationMs: instant(o['lastEvaluationMs'], `${path}.lastEvaluationMs`) }),
  };
}

function taskManager(value: unknown, path: string): TaskManagerResources {
  const o = object(value, path);
  return {
    ...(o['cpu'] === undefined ? {} : { cpu: positive(o['cpu'], `${path}.cpu`) }),
    ...(o['memoryBytes'] === undefined
      ? {}
      : { memoryBytes: positive(o['memoryBytes'], `${path}.memoryBytes`) }),
  };
}

function clusterCapacity(value: unknown, path: string): ClusterCapacitySnapshot {
  const o = object(value, path);
  return {
    nodes: array(o['nodes'] ?? [], `${path}.nodes`).map((n, i) => {
      const p = `${path}.nodes[${i}]`;
      const node = object(n, p);
      return {
        name: string(node['name'], `${p}.name`),
        freeCpu: finite(node['freeCpu'], `${p}.freeCpu`),
        freeMemoryBytes: finite(node['freeMemoryBytes'], `${p}.freeMemoryBytes`),
        ...(node['jobTaskManagers'] === undefined
          ? {}
          : { jobTaskManagers: wholeNumber(node['jobTaskManagers'], `${p}.jobTaskManagers`, 0) }),
      };
    }),
    expandableGroups: array(o['expandableGroups'] ?? [], `${path}.expandableGroups`).map((g, i) => {
      const p = `${path}.expandableGroups[${i}]`;
      const group = object(g, p);
      return {
        name: string(group['name'], `${p}.name`),
        additionalNodes: wholeNumber(group['additionalNodes'], `${p}.additionalNodes`, 0),
        cpuPerNode: positive(group['cpuPerNode'], `${p}.cpuPerNode`),
        memoryBytesPerNode: positive(group['memoryBytesPerNode'], `${p}.memoryBytesPerNode`),
      };
    }),
  };
}

// --- primitives -------------------------------------------------------------------------------

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecideInputFileError(path, value, 'a JSON object');
  }
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new DecideInputFileError(path, value, 'a JSON array');
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '')
    throw new DecideInputFileError(path, value, 'a non-empty string');
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new DecideInputFileError(path, value, 'true or false');
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new DecideInputFileError(path, value, 'a finite number');
  return value;
}

function positive(value: unknown, path: string): number {
  const n = finite(value, path);
  if (n <= 0) throw new DecideInputFileError(path, value, 'a number > 0');
  return n;
}

function wholeNumber(value: unknown, path: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new DecideInputFileError(path, value, `a whole number ≥ ${min}`);
  }
  return value;
}

/** A metric value: a number, or "Infinity", "-Infinity", "NaN" (JSON has no non-finite numbers). */
function metricNumber(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (value === 'NaN') return Number.NaN;
  throw new DecideInputFileError(path, value, 'a number or one of "Infinity", "-Infinity", "NaN"');
}

/** Epoch ms as a number, or an ISO-8601 instant string. */
function instant(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new DecideInputFileError(
    path,
    value,
    'epoch milliseconds or an ISO-8601 instant (e.g. 2026-01-01T00:00:00Z)',
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
