import {
  InvalidTopologyError,
  parseShipStrategy,
  topologicalOrder,
  type VertexId,
  type VertexInfo,
  type VertexInput,
} from '../../domain/index.ts';
import { FlinkResponseFormatError } from '../../ports/metrics-source.ts';
import {
  isJsonObject,
  type JsonObject,
  optionalString,
  readFlinkNumber,
  requireArray,
  requireFiniteNumber,
  requireObject,
  requireString,
} from './json-values.ts';

/** Cumulative IO counters of one vertex from job details (`vertices[].metrics`), summed over subtasks. */
export interface VertexIoCounters {
  /** `read-records`. */
  readonly readRecords?: number;
  /** `write-records`. */
  readonly writeRecords?: number;
  /** `accumulated-busy-time` (ms; Flink ≥ 1.16, may be NaN for legacy sources). */
  readonly accumulatedBusyTimeMs?: number;
  /** `accumulated-backpressured-time` (ms; Flink ≥ 1.16). */
  readonly accumulatedBackPressuredTimeMs?: number;
  /** `accumulated-idle-time` (ms; Flink ≥ 1.16). */
  readonly accumulatedIdleTimeMs?: number;
}

/** What the autoscaler needs from `GET /jobs/{jobid}` (docs/algorithm.md §2.2). */
export interface JobDetails {
  readonly jobId: string;
  readonly name?: string;
  /** JobStatus as reported (`RUNNING`, `RESTARTING`, …). */
  readonly state: string;
  /** `timestamps.RUNNING` when present and > 0 (Flink writes 0 for states never entered). */
  readonly runningTsMs?: number;
  /** `plan.type` (`STREAMING` / `BATCH`) when present. */
  readonly planType?: string;
  /**
   * Vertices in topological order (sources first); `numSourcePartitions` is 0 here, partition
   * discovery fills it later. Empty when the plan has no nodes yet.
   */
  readonly vertices: readonly VertexInfo[];
  /** IO counters per vertex id (only vertices listed in `vertices[]`). */
  readonly ioCounters: Readonly<Record<VertexId, VertexIoCounters>>;
}

const RAW_JSON_PREFIX = "RawJson{json='";
const RAW_JSON_SUFFIX = "'}";

/**
 * Returns the plan object of job details. Over HTTP the plan is a nested object, but bodies
 * re-serialized by Flink's Java client (≥ 1.17, stored by tools and operator tests) carry it as
 * the string `RawJson{json='{…}'}` or as a plain JSON string; `/jobs/{id}/plan` nests it once
 * more under `plan`.
 */
export function unwrapPlan(value: unknown, path: string): JsonObject {
  let plan = value;
  if (typeof plan === 'string') {
    let text = plan.trim();
    if (text.startsWith(RAW_JSON_PREFIX) && text.endsWith(RAW_JSON_SUFFIX)) {
      text = text.slice(RAW_JSON_PREFIX.length, -RAW_JSON_SUFFIX.length);
    }
    try {
      plan = JSON.parse(text);
    } catch {
      throw new FlinkResponseFormatError(
        path,
        'plan',
        'is a string that is not JSON (nor RawJson{json=...})',
      );
    }
  }
  const object = requireObject(plan, path, 'plan');
  if (!('nodes' in object) && isJsonObject(object['plan'])) return unwrapPlan(object['plan'], path);
  return object;
}

/** Parses a `GET /jobs/{jobid}` body. Throws {@link FlinkResponseFormatError} naming the bad field. */
export function parseJobDetails(body: unknown, path = '/jobs/{jobid}'): JobDetails {
  const root = requireObject(body, path, '(body)');
  const jobId = requireFlinkId(root['jid'], path, 'jid');
  const state = requireString(root['state'], path, 'state');
  const jobMaxParallelism = readFlinkNumber(root['maxParallelism']);
  const timestamps = isJsonObject(root['timestamps']) ? root['timestamps'] : {};
  const running = readFlinkNumber(timestamps['RUNNING']);

  const vertexList = root['vertices'] === undefined ? [] : requireArray(root['vertices'], path, 'vertices');
  const vertexDetails = new Map<string, { entry: JsonObject; index: number }>();
  const ioCounters: Record<VertexId, VertexIoCounters> = {};
  vertexList.forEach((raw, index) => {
    const entry = requireObject(raw, path, `vertices[${index}]`);
    const id = requireFlinkId(entry['id'], path, `vertices[${index}].id`);
    vertexDetails.set(id, { entry, index });
    ioCounters[id] = parseIoCounters(entry['metrics']);
  });

  const plan = root['plan'] === undefined ? { nodes: [] } : unwrapPlan(root['plan'], path);
  const nodes = plan['nodes'] === undefined ? [] : requireArray(plan['nodes'], path, 'plan.nodes');
  const unordered: VertexInfo[] = nodes.map((raw, index) => {
    const field = `plan.nodes[${index}]`;
    const node = requireObject(raw, path, field);
    const id = requireFlinkId(node['id'], path, `${field}.id`);
    const detail = vertexDetails.get(id);
    const parallelism = positiveInteger(
      node['parallelism'] ?? detail?.entry['parallelism'],
      path,
      `${field}.parallelism`,
    );
    const maxParallelism = vertexMaxParallelism(detail, jobMaxParallelism, path, id);
    const inputs = node['inputs'] === undefined ? [] : requireArray(node['inputs'], path, `${field}.inputs`);
    const slotSharingGroupId = optionalString(detail?.entry['slotSharingGroupId']);
    const name = optionalString(detail?.entry['name']) ?? optionalString(node['description']);
    return {
      id,
      ...(name === undefined ? {} : { name }),
      parallelism,
      maxParallelism,
      inputs: inputs.map((rawInput, inputIndex): VertexInput => {
        const input = requireObject(rawInput, path, `${field}.inputs[${inputIndex}]`);
        return {
          id: requireFlinkId(input['id'], path, `${field}.inputs[${inputIndex}].id`),
          shipStrategy: parseShipStrategy(input['ship_strategy']),
        };
      }),
      finished: optionalString(detail?.entry['status']) === 'FINISHED',
      ...(slotSharingGroupId === undefined ? {} : { slotSharingGroupId }),
      numSourcePartitions: 0,
    };
  });

  const name = optionalString(root['name']);
  const planType = optionalString(plan['type']);
  return {
    jobId,
    ...(name === undefined ? {} : { name }),
    state,
    ...(running !== undefined && running > 0 ? { runningTsMs: running } : {}),
    ...(planType === undefined ? {} : { planType }),
    vertices: orderPlan(unordered, path),
    ioCounters,
  };
}

function parseIoCounters(metrics: unknown): VertexIoCounters {
  if (!isJsonObject(metrics)) return {};
  const pick = (key: string): number | undefined => readFlinkNumber(metrics[key]);
  const counters: Record<string, number> = {};
  const fields: [keyof VertexIoCounters, string][] = [
    ['readRecords', 'read-records'],
    ['writeRecords', 'write-records'],
    ['accumulatedBusyTimeMs', 'accumulated-busy-time'],
    ['accumulatedBackPressuredTimeMs', 'accumulated-backpressured-time'],
    ['accumulatedIdleTimeMs', 'accumulated-idle-time'],
  ];
  for (const [name, key] of fields) {
    const value = pick(key);
    if (value !== undefined) counters[name] = value;
  }
  return counters;
}

/**
 * Flink job and vertex ids are 32 hex digits. They go into REST paths (`/jobs/{id}/vertices/{id}`),
 * the `pipeline.jobvertex-parallelism-overrides` map (`id:p,…`) and stored state, so only letters
 * and digits are accepted: no `/`, `.`, `%`, `?`, `#`, `,` or `:` can reach a URL, a key or the map.
 */
const FLINK_ID = /^[0-9A-Za-z]{1,64}$/;

function requireFlinkId(value: unknown, path: string, field: string): string {
  const id = requireString(value, path, field);
  if (!FLINK_ID.test(id)) {
    throw new FlinkResponseFormatError(
      path,
      field,
      `must be a Flink id (hex digits), got ${JSON.stringify(id.slice(0, 80))}`,
    );
  }
  return id;
}

function positiveInteger(value: unknown, path: string, field: string): number {
  const parsed = requireFiniteNumber(value, path, field);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new FlinkResponseFormatError(path, field, `must be a positive integer, got ${parsed}`);
  }
  return parsed;
}

/**
 * Vertex max parallelism (number of key groups). Job-level `maxParallelism` is -1 unless set on
 * the environment, so it only serves as a fallback for bodies that lack the vertex field.
 */
function vertexMaxParallelism(
  detail: { entry: JsonObject; index: number } | undefined,
  jobMaxParallelism: number | undefined,
  path: string,
  id: string,
): number {
  const own = readFlinkNumber(detail?.entry['maxParallelism']);
  if (own !== undefined && Number.isFinite(own) && own > 0) return own;
  if (jobMaxParallelism !== undefined && Number.isFinite(jobMaxParallelism) && jobMaxParallelism > 0) {
    return jobMaxParallelism;
  }
  const field = detail === undefined ? `vertices[id=${id}]` : `vertices[${detail.index}].maxParallelism`;
  throw new FlinkResponseFormatError(path, field, 'is missing (and the job has no maxParallelism either)');
}

/**
 * Orders the plan's vertices sources-first. A Flink job graph is a DAG, so an edge to an unknown
 * vertex or a cycle means the body is corrupt: {@link FlinkResponseFormatError}.
 */
function orderPlan(vertices: readonly VertexInfo[], path: string): VertexInfo[] {
  try {
    return topologicalOrder({ vertices });
  } catch (error) {
    if (!(error instanceof InvalidTopologyError)) throw error;
    const { defect } = error;
    if (defect.kind === 'cycle') throw new FlinkResponseFormatError(path, 'plan.nodes', 'contain a cycle');
    throw new FlinkResponseFormatError(
      path,
      `plan.nodes[id=${defect.vertexId}].inputs[${defect.inputIndex}].id`,
      `refers to unknown vertex ${defect.inputId}`,
    );
  }
}
