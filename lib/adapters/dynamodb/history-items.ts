/**
 * Items of the replay history (docs/design.md §5, README "What-if replay"): a retained SAMPLE item
 * carries its cycle's decision (`d`) and the hash of its decision context (`hh`); the context
 * itself (topology, configuration, cadence, TaskManager resources and the epoch's vertex
 * dictionary) is a `HISTORY#<ms>` item written only when it changes, so a week of samples costs
 * no write beyond the one the cycle makes anyway.
 */
import { createHash } from 'node:crypto';
import type {
  DecisionContext,
  RecordedDecision,
  ScalingDecision,
  TaskManagerResources,
  VertexId,
  VertexInfo,
} from '../../domain/index.ts';
import { parseShipStrategy } from '../../domain/index.ts';
import { decodeBody, encodeBody } from './compressed-body.ts';
import { paddedEpochMs } from './item-keys.ts';
import type { TableItem } from './job-items.ts';
import { CorruptItemError } from './state-codec.ts';
import { ATTR, ITEM_SCHEMA_VERSION, SORT_KEYS, STATE_TABLE } from './table-schema.ts';

/** Sort key of the decision context first used by the sample taken at `tsMs`. */
export function historySortKey(tsMs: number): string {
  return `${SORT_KEYS.historyPrefix}${paddedEpochMs(tsMs)}`;
}

/**
 * Expiry of the history items, epoch seconds. A retained sample lives `max(window + grace,
 * retention)` past its time; a context twice the retention (+ grace). Since a save writes the
 * context again once the last one is a retention old ({@link contextDue}), a sample refers to a
 * context at most one retention older than itself, which therefore outlives it.
 */
export function historyTtls(
  tsMs: number,
  windowMs: number,
  graceMs: number,
  retentionMs: number,
): { sampleTtlSeconds: number; contextTtlSeconds: number } {
  return {
    sampleTtlSeconds: Math.ceil((tsMs + Math.max(windowMs + graceMs, retentionMs)) / 1000),
    contextTtlSeconds: Math.ceil((tsMs + 2 * retentionMs + graceMs) / 1000),
  };
}

/**
 * Whether a save at `tsMs` writes the context item: it changed (hash), none was written, or the
 * last one is a retention old (so it never expires before a sample referring to it).
 */
export function contextDue(
  last: { readonly hash: string; readonly writtenAtMs: number } | undefined,
  hash: string,
  tsMs: number,
  retentionMs: number,
): boolean {
  return last === undefined || last.hash !== hash || tsMs - last.writtenAtMs >= retentionMs;
}

/** The stored JSON of a decision context, keys in a fixed order so equal contexts hash equally. */
export function contextBodyText(context: DecisionContext, epoch: number, vertexIds: readonly VertexId[]): string {
  const configuration = Object.fromEntries(
    Object.keys(context.configuration)
      .sort()
      .map((key) => [key, context.configuration[key]]),
  );
  const { topology } = context;
  return JSON.stringify({
    e: epoch,
    v: vertexIds,
    k: context.cadenceMs,
    j: topology.jobId,
    r: topology.jobRunningTsMs,
    t: topology.vertices.map((v) => ({
      id: v.id,
      ...(v.name === undefined ? {} : { name: v.name }),
      parallelism: v.parallelism,
      maxParallelism: v.maxParallelism,
      inputs: v.inputs.map((i) => ({ id: i.id, shipStrategy: i.shipStrategy })),
      finished: v.finished,
      ...(v.slotSharingGroupId === undefined ? {} : { slotSharingGroupId: v.slotSharingGroupId }),
      numSourcePartitions: v.numSourcePartitions,
    })),
    c: configuration,
    ...(context.taskManager ? { m: context.taskManager } : {}),
  });
}

/** Short hash of a context body (48 bits of SHA-256: a collision within one job is negligible). */
export function contextHashOf(bodyText: string): string {
  return createHash('sha256').update(bodyText).digest('hex').slice(0, 12);
}

/** The `HISTORY#<tsMs>` item of a context body. */
export function historyContextItem(
  pk: string,
  tsMs: number,
  epoch: number,
  bodyText: string,
  hash: string,
  ttlSeconds: number,
): TableItem {
  return {
    [STATE_TABLE.partitionKey]: pk,
    [STATE_TABLE.sortKey]: historySortKey(tsMs),
    [ATTR.schemaVersion]: ITEM_SCHEMA_VERSION,
    [ATTR.epoch]: epoch,
    [ATTR.historyHash]: hash,
    [STATE_TABLE.ttlAttribute]: ttlSeconds,
    ...encodeBody(bodyText),
  };
}

/** A decoded context item. */
export interface StoredContext {
  readonly hash: string;
  readonly epoch: number;
  readonly vertexIds: readonly VertexId[];
  readonly context: DecisionContext;
}

/** Decodes a `HISTORY#` item; throws {@link CorruptItemError} naming what is wrong. */
export function decodeContextItem(item: TableItem): StoredContext {
  if (item[ATTR.schemaVersion] !== ITEM_SCHEMA_VERSION) {
    throw new CorruptItemError(`schema version ${JSON.stringify(item[ATTR.schemaVersion])} is not ${ITEM_SCHEMA_VERSION}`);
  }
  const hash = item[ATTR.historyHash];
  if (typeof hash !== 'string' || hash === '') throw new CorruptItemError(`${ATTR.historyHash} is not a hash`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(decodeBody(item)) as Record<string, unknown>;
  } catch (error) {
    throw new CorruptItemError(`body is not readable JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null) throw new CorruptItemError('body is not an object');
  const epoch = body['e'];
  if (!Number.isSafeInteger(epoch) || item[ATTR.epoch] !== epoch) {
    throw new CorruptItemError(`epoch ${JSON.stringify(epoch)} is not the item's ${JSON.stringify(item[ATTR.epoch])}`);
  }
  const vertexIds = stringArray(body['v'], 'v (vertex dictionary)');
  const cadenceMs = positiveNumber(body['k'], 'k (cadence)');
  const jobId = body['j'];
  if (typeof jobId !== 'string' || jobId === '') throw new CorruptItemError('j (job id) is not a string');
  const jobRunningTsMs = positiveNumber(body['r'], 'r (RUNNING time)');
  if (!Array.isArray(body['t'])) throw new CorruptItemError('t (topology) is not a list');
  const vertices = (body['t'] as unknown[]).map((v, i) => vertexOf(v, i));
  const configuration = stringRecord(body['c'], 'c (configuration)');
  const taskManager = body['m'] === undefined ? undefined : taskManagerOf(body['m']);
  return {
    hash,
    epoch: epoch as number,
    vertexIds,
    context: {
      topology: { jobId, jobRunningTsMs, vertices },
      configuration,
      cadenceMs,
      ...(taskManager ? { taskManager } : {}),
    },
  };
}

/** `d` of a retained sample: the decision with vertices by dictionary index, and missing metrics. */
export function encodeRecordedDecision(
  decision: RecordedDecision,
  missingRequired: readonly string[] | undefined,
  vertexIds: readonly VertexId[],
): string {
  const index = new Map(vertexIds.map((id, i) => [id, i]));
  const p = Object.entries(decision.parallelism).map(([id, parallelism]) => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`vertex ${id} of the decision is missing from the dictionary`);
    return [i, parallelism];
  });
  return JSON.stringify({
    a: decision.action,
    ...(p.length > 0 ? { p } : {}),
    ...(missingRequired && missingRequired.length > 0 ? { m: missingRequired } : {}),
  });
}

const ACTIONS: readonly ScalingDecision['action'][] = ['not-ready', 'balanced', 'blocked', 'scale'];

/** Inverse of {@link encodeRecordedDecision}; throws {@link CorruptItemError}. */
export function decodeRecordedDecision(
  text: string,
  vertexIds: readonly VertexId[],
): { decision: RecordedDecision; missingRequired?: readonly string[] } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new CorruptItemError(`decision is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new CorruptItemError('decision is not an object');
  const action = raw['a'];
  if (!ACTIONS.includes(action as ScalingDecision['action'])) {
    throw new CorruptItemError(`decision action ${JSON.stringify(action)} is not one of ${ACTIONS.join(', ')}`);
  }
  const parallelism: Record<VertexId, number> = {};
  for (const pair of (raw['p'] ?? []) as unknown[]) {
    const [i, p] = Array.isArray(pair) ? (pair as unknown[]) : [];
    const id = typeof i === 'number' ? vertexIds[i] : undefined;
    if (id === undefined || !Number.isSafeInteger(p) || (p as number) < 1) {
      throw new CorruptItemError(`decision parallelism ${JSON.stringify(pair)} is not [vertex index, parallelism ≥ 1]`);
    }
    parallelism[id] = p as number;
  }
  const missing = raw['m'] === undefined ? undefined : stringArray(raw['m'], 'decision m (missing metrics)');
  return {
    decision: { action: action as ScalingDecision['action'], parallelism },
    ...(missing ? { missingRequired: missing } : {}),
  };
}

function vertexOf(value: unknown, i: number): VertexInfo {
  const what = `t[${i}]`;
  if (typeof value !== 'object' || value === null) throw new CorruptItemError(`${what} is not an object`);
  const v = value as Record<string, unknown>;
  if (typeof v['id'] !== 'string') throw new CorruptItemError(`${what}.id is not a string`);
  const integer = (name: string): number => {
    const n = v[name];
    if (!Number.isSafeInteger(n) || (n as number) < 0) throw new CorruptItemError(`${what}.${name} is not an integer ≥ 0`);
    return n as number;
  };
  if (!Array.isArray(v['inputs'])) throw new CorruptItemError(`${what}.inputs is not a list`);
  const inputs = (v['inputs'] as unknown[]).map((input, j) => {
    const edge = input as Record<string, unknown> | null;
    if (typeof edge?.['id'] !== 'string') throw new CorruptItemError(`${what}.inputs[${j}].id is not a string`);
    return { id: edge['id'], shipStrategy: parseShipStrategy(edge['shipStrategy']) };
  });
  return {
    id: v['id'],
    ...(typeof v['name'] === 'string' ? { name: v['name'] } : {}),
    parallelism: integer('parallelism'),
    maxParallelism: integer('maxParallelism'),
    inputs,
    finished: v['finished'] === true,
    ...(typeof v['slotSharingGroupId'] === 'string' ? { slotSharingGroupId: v['slotSharingGroupId'] } : {}),
    numSourcePartitions: integer('numSourcePartitions'),
  };
}

function taskManagerOf(value: unknown): TaskManagerResources {
  if (typeof value !== 'object' || value === null) throw new CorruptItemError('m (TaskManager) is not an object');
  const m = value as Record<string, unknown>;
  for (const key of ['cpu', 'memoryBytes', 'memoryLimitBytes']) {
    if (m[key] !== undefined && typeof m[key] !== 'number') throw new CorruptItemError(`m.${key} is not a number`);
  }
  return m as TaskManagerResources;
}

function stringArray(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new CorruptItemError(`${what} is not a list of strings`);
  }
  return value as string[];
}

function stringRecord(value: unknown, what: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptItemError(`${what} is not an object`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new CorruptItemError(`${what}.${key} is not a string`);
  }
  return value as Record<string, string>;
}

function positiveNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CorruptItemError(`${what} is not a number ≥ 0`);
  }
  return value;
}
