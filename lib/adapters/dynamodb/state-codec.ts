import type {
  CostLedger,
  DelayedScaleDownState,
  JobState,
  ScalingRecord,
  ScalingSummary,
  VertexId,
} from '../../domain/index.ts';
import { InvalidRollbackStateError, parseRollbackState, type RollbackState } from '../../domain/rollback-state.ts';
import { roundMetric } from '../state/stored-metric.ts';
import { fromTaggedJson, toTaggedJson } from './metric-number-text.ts';

/** A stored item that cannot be decoded; `detail` names what was wrong. */
export class CorruptItemError extends Error {
  override name = 'CorruptItemError';
}

/**
 * Compact JSON body of the STATE item (item schema 1). Vertex ids (32 hex characters each)
 * appear once, in `vx`; everything else refers to a vertex by its index there, and samples
 * use the same indices. Records become arrays, so no field name is repeated per entry:
 *
 * - `h`: scaling history `[vertexIndex, [[tsMs, current, new, tprAvg, expectedRate, tdrAvg], …]]`
 * - `t`: scaling tracking `[startMs, restartDurationMs | null]`
 * - `d`: delayed scale-down `[vertexIndex, firstTriggerMs, [[triggerMs, parallelism, 0|1], …]]`
 * - `o`: parallelism overrides `[vertexIndex, parallelism]`
 * - `c`: config overrides `{o: {key: value}, r: [key]}`; `m`: memory history; `e`: last evaluation ms
 * - `u` (optional, catch-up settle): catch-up capacity of history entries `[vertexIndex, tsMs, rec/s]`.
 *   A separate field rather than a 7th element of `h`, so items stay readable both ways: a
 *   decoder that predates it ignores `u`, and items without it decode as before (no settle due).
 * - `s` (optional, scale-up shortfall correction): history entries whose check is still due
 *   `[vertexIndex, tsMs]`, separate for the same reason.
 * - `n` (optional, vertex names): `[vertexIndex, name]`; `k` (optional, cost ledger):
 *   `[sinceMs, accruedToMs, specTaskManagers, currentTaskManagers, taskManagerUsdPerHour, savedUsd]`.
 *   Optional for the same reason: items without them decode as before.
 */
interface StateBody {
  vx: string[];
  h: [number, number[][]][];
  t: [number, number | null][];
  d: [number, number, number[][]][];
  o: [number, number][];
  c: { o: Record<string, string>; r: string[] };
  m?: unknown;
  e?: number;
  u?: [number, number, number][];
  /** Scale-up shortfall checks still due: [vertex index, history entry tsMs]. */
  s?: [number, number][];
  /** Vertex display names: [vertex index, name]. */
  n?: [number, string][];
  /** Cost ledger (see the field list above). */
  k?: number[];
  /** Extension: rollback watch, blocked changes and last rollback (lib/domain/rollback-state.ts). */
  rb?: RollbackState;
}

/** Every vertex id the state refers to, in first-seen order. */
export function vertexIdsOfState(state: JobState): VertexId[] {
  const ids = new Set<VertexId>();
  for (const id of Object.keys(state.scalingHistory)) ids.add(id);
  for (const id of Object.keys(state.delayedScaleDown)) ids.add(id);
  for (const id of Object.keys(state.parallelismOverrides)) ids.add(id);
  for (const id of Object.keys(state.vertexNames ?? {})) ids.add(id);
  return [...ids];
}

/**
 * Encodes `state` against the vertex dictionary `vertexIds`, which must contain every vertex the
 * state refers to. Metric values are rounded like the Java store (docs/algorithm.md §2.4).
 */
export function encodeStateBody(state: JobState, vertexIds: readonly VertexId[]): string {
  const index = new Map(vertexIds.map((id, i) => [id, i]));
  const indexOf = (id: VertexId): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`vertex ${id} missing from the dictionary`);
    return i;
  };
  const body: StateBody = {
    vx: [...vertexIds],
    h: Object.entries(state.scalingHistory).map(([id, entries]) => [
      indexOf(id),
      entries.map((s) => [
        s.tsMs,
        s.currentParallelism,
        s.newParallelism,
        roundMetric(s.metrics.trueProcessingRateAvg),
        roundMetric(s.metrics.expectedProcessingRate),
        roundMetric(s.metrics.targetDataRateAvg),
      ]),
    ]),
    t: state.scalingTracking.map((r) => [r.startMs, r.restartDurationMs ?? null]),
    d: Object.entries(state.delayedScaleDown).map(([id, d]) => [
      indexOf(id),
      d.firstTriggerTimeMs,
      d.recommendations.map((r) => [r.triggerTimeMs, r.parallelism, r.outsideUtilizationBound ? 1 : 0]),
    ]),
    o: Object.entries(state.parallelismOverrides).map(([id, p]) => [indexOf(id), p]),
    c: { o: { ...state.configOverrides.overrides }, r: [...state.configOverrides.removals] },
  };
  const catchUp: [number, number, number][] = [];
  const shortfallDue: [number, number][] = [];
  for (const [id, entries] of Object.entries(state.scalingHistory)) {
    for (const s of entries) {
      if (s.catchUpCapacity !== undefined)
        catchUp.push([indexOf(id), s.tsMs, roundMetric(s.catchUpCapacity)]);
      if (s.shortfallCheckDue === true) shortfallDue.push([indexOf(id), s.tsMs]);
    }
  }
  if (catchUp.length > 0) body.u = catchUp;
  if (shortfallDue.length > 0) body.s = shortfallDue;
  if (state.memoryHistory !== undefined) body.m = state.memoryHistory;
  if (state.lastEvaluationMs !== undefined) body.e = state.lastEvaluationMs;
  if (state.vertexNames) body.n = Object.entries(state.vertexNames).map(([id, name]) => [indexOf(id), name]);
  const k = state.costLedger;
  if (k) {
    body.k = [k.sinceMs, k.accruedToMs, k.specTaskManagers, k.currentTaskManagers, k.taskManagerUsdPerHour, k.savedUsd];
  }
  // Extension (rollback): plain JSON with vertex ids spelled out; small and rarely present.
  if (state.rollback !== undefined) body.rb = state.rollback;
  return toTaggedJson(body);
}

/** The decoded STATE body: the state (without jobId/topologyHash) and the vertex dictionary. */
export interface DecodedStateBody {
  readonly state: JobState;
  readonly vertexIds: readonly VertexId[];
}

/** Decodes a STATE body; throws {@link CorruptItemError} naming the first bad field. */
export function decodeStateBody(text: string): DecodedStateBody {
  let raw: unknown;
  try {
    raw = fromTaggedJson(text);
  } catch (error) {
    throw new CorruptItemError(`state body is not valid JSON: ${(error as Error).message}`);
  }
  const body = asObject(raw, 'state body');
  const vx = asArray(body['vx'], 'vx').map((v, i) => asString(v, `vx[${i}]`));
  const vertex = (v: unknown, what: string): VertexId => {
    const i = asNumber(v, what);
    const id = vx[i];
    if (!Number.isInteger(i) || id === undefined) throw new CorruptItemError(`${what}: no vertex #${i}`);
    return id;
  };

  const scalingHistory: Record<VertexId, ScalingSummary[]> = {};
  asArray(body['h'], 'h').forEach((entry, i) => {
    const [v, list] = asTuple(entry, 2, `h[${i}]`);
    scalingHistory[vertex(v, `h[${i}][0]`)] = asArray(list, `h[${i}][1]`).map((s, j) => {
      const n = asTuple(s, 6, `h[${i}][1][${j}]`).map((x, k) => asNumber(x, `h[${i}][1][${j}][${k}]`));
      return {
        tsMs: n[0]!,
        currentParallelism: n[1]!,
        newParallelism: n[2]!,
        metrics: { trueProcessingRateAvg: n[3]!, expectedProcessingRate: n[4]!, targetDataRateAvg: n[5]! },
      };
    });
  });

  if (body['u'] !== undefined) {
    asArray(body['u'], 'u').forEach((entry, i) => {
      const [v, ts, capacity] = asTuple(entry, 3, `u[${i}]`);
      const id = vertex(v, `u[${i}][0]`);
      const tsMs = asNumber(ts, `u[${i}][1]`);
      const catchUpCapacity = asNumber(capacity, `u[${i}][2]`);
      const list = scalingHistory[id] ?? [];
      const j = list.findIndex((s) => s.tsMs === tsMs);
      // An entry trimmed away since (history.max.count) leaves nothing to attach to.
      if (j >= 0) list[j] = { ...(list[j] as ScalingSummary), catchUpCapacity };
    });
  }
  if (body['s'] !== undefined) {
    asArray(body['s'], 's').forEach((entry, i) => {
      const [v, ts] = asTuple(entry, 2, `s[${i}]`);
      const list = scalingHistory[vertex(v, `s[${i}][0]`)] ?? [];
      const tsMs = asNumber(ts, `s[${i}][1]`);
      const j = list.findIndex((s) => s.tsMs === tsMs);
      if (j >= 0) list[j] = { ...(list[j] as ScalingSummary), shortfallCheckDue: true };
    });
  }

  const scalingTracking: ScalingRecord[] = asArray(body['t'], 't').map((r, i) => {
    const [start, duration] = asTuple(r, 2, `t[${i}]`);
    const startMs = asNumber(start, `t[${i}][0]`);
    return duration === null ? { startMs } : { startMs, restartDurationMs: asNumber(duration, `t[${i}][1]`) };
  });

  const delayedScaleDown: Record<VertexId, DelayedScaleDownState> = {};
  asArray(body['d'], 'd').forEach((entry, i) => {
    const [v, first, recs] = asTuple(entry, 3, `d[${i}]`);
    delayedScaleDown[vertex(v, `d[${i}][0]`)] = {
      firstTriggerTimeMs: asNumber(first, `d[${i}][1]`),
      recommendations: asArray(recs, `d[${i}][2]`).map((r, j) => {
        const n = asTuple(r, 3, `d[${i}][2][${j}]`).map((x, k) => asNumber(x, `d[${i}][2][${j}][${k}]`));
        return { triggerTimeMs: n[0]!, parallelism: n[1]!, outsideUtilizationBound: n[2] === 1 };
      }),
    };
  });

  const parallelismOverrides: Record<VertexId, number> = {};
  asArray(body['o'], 'o').forEach((entry, i) => {
    const [v, p] = asTuple(entry, 2, `o[${i}]`);
    parallelismOverrides[vertex(v, `o[${i}][0]`)] = asNumber(p, `o[${i}][1]`);
  });

  const c = asObject(body['c'], 'c');
  const overrides: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(c['o'], 'c.o'))) overrides[k] = asString(v, `c.o.${k}`);
  const removals = asArray(c['r'], 'c.r').map((v, i) => asString(v, `c.r[${i}]`));

  const state: JobState = {
    schemaVersion: 1,
    scalingHistory,
    scalingTracking,
    delayedScaleDown,
    parallelismOverrides,
    configOverrides: { overrides, removals },
    ...(body['m'] !== undefined ? { memoryHistory: body['m'] } : {}),
    ...(body['e'] !== undefined ? { lastEvaluationMs: asNumber(body['e'], 'e') } : {}),
    ...(body['n'] !== undefined ? { vertexNames: decodeVertexNames(body['n'], vertex) } : {}),
    ...(body['k'] !== undefined ? { costLedger: decodeCostLedger(body['k']) } : {}),
    ...(body['rb'] !== undefined ? { rollback: decodeRollback(body['rb']) } : {}),
  };
  return { state, vertexIds: vx };
}

function decodeVertexNames(value: unknown, vertex: (v: unknown, what: string) => VertexId): Record<VertexId, string> {
  const names: Record<VertexId, string> = {};
  asArray(value, 'n').forEach((entry, i) => {
    const [v, name] = asTuple(entry, 2, `n[${i}]`);
    names[vertex(v, `n[${i}][0]`)] = asString(name, `n[${i}][1]`);
  });
  return names;
}

function decodeCostLedger(value: unknown): CostLedger {
  const n = asTuple(value, 6, 'k').map((x, i) => asNumber(x, `k[${i}]`));
  return {
    sinceMs: n[0]!,
    accruedToMs: n[1]!,
    specTaskManagers: n[2]!,
    currentTaskManagers: n[3]!,
    taskManagerUsdPerHour: n[4]!,
    savedUsd: n[5]!,
  };
}

function decodeRollback(value: unknown): RollbackState {
  try {
    return parseRollbackState(value);
  } catch (error) {
    if (error instanceof InvalidRollbackStateError) throw new CorruptItemError(`rb: ${error.message}`);
    throw error;
  }
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new CorruptItemError(`${what} is not an object`);
  return v as Record<string, unknown>;
}

function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new CorruptItemError(`${what} is not an array`);
  return v;
}

function asTuple(v: unknown, length: number, what: string): unknown[] {
  const a = asArray(v, what);
  if (a.length !== length) throw new CorruptItemError(`${what} has ${a.length} elements, expected ${length}`);
  return a;
}

function asNumber(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new CorruptItemError(`${what} is not a number`);
  return v;
}

function asString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new CorruptItemError(`${what} is not a string`);
  return v;
}
