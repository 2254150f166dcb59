import { badRequest, ok, type RestAnswer } from './rest-answer.ts';
import type { NormalizedVertex } from './parse-scenario.ts';
import type { SimulatedFlinkCluster, SubtaskValues } from './simulated-cluster.ts';

/**
 * The metric endpoints (Flink 1.x `org.apache.flink.runtime.rest.handler.job.metrics`): listing
 * calls without `get`, metric collections with string values (`AbstractMetricsHandler`) and the
 * aggregating handlers with `agg` (`AbstractAggregatingMetricsHandler`).
 */

/** `MetricsAggregationParameter.AggregationMode` (Flink 1.x; 2.x adds `skew`). */
const AGGREGATIONS = ['min', 'max', 'avg', 'sum'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];

/**
 * `get` ids of a metric query (absent = listing call). Flink splits the decoded value on commas
 * (`MetricsFilterParameter`, Flink 1.x).
 */
function requestedIds(query: URLSearchParams): string[] | undefined {
  const raw = query.get('get');
  if (raw === null) return undefined;
  return raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

/**
 * `agg`, case-insensitive; absent = all four (`MetricsAggregationParameter`, Flink 1.x). An
 * unknown mode is a 400, as Flink's query parameter conversion fails.
 */
function parseAggregations(query: URLSearchParams): Aggregation[] | RestAnswer {
  const raw = query.get('agg');
  if (raw === null) return [...AGGREGATIONS];
  const result: Aggregation[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim().toLowerCase();
    if (!(AGGREGATIONS as readonly string[]).includes(name)) {
      return badRequest(`Invalid aggregation mode '${part}'. Allowed: ${AGGREGATIONS.join(', ')}.`);
    }
    result.push(name as Aggregation);
  }
  return result;
}

/** Parses `subtasks=0,2,5-9`; undefined = all (`SubtasksFilterQueryParameter`, Flink 1.x). */
function parseSubtaskRanges(raw: string | null): Set<number> | RestAnswer | undefined {
  if (raw === null) return undefined;
  const result = new Set<number>();
  for (const part of raw.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) return badRequest(`Invalid subtask range '${part}'.`);
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    for (let index = from; index <= to; index++) result.add(index);
  }
  return result;
}

/**
 * min/max/avg/sum over the reporting subtasks or TaskManagers (`DoubleAccumulator`, Flink 1.x);
 * a NaN value makes min and max NaN, as `Math.min`/`Math.max` do in Java.
 */
function aggregate(values: readonly number[], aggregations: readonly Aggregation[]) {
  const result: Record<string, number> = {};
  if (values.length === 0) return result;
  const sum = values.reduce((a, b) => a + b, 0);
  for (const aggregation of aggregations) {
    if (aggregation === 'min')
      result['min'] = values.reduce((a, b) => (Number.isNaN(b) ? b : Math.min(a, b)));
    if (aggregation === 'max')
      result['max'] = values.reduce((a, b) => (Number.isNaN(b) ? b : Math.max(a, b)));
    if (aggregation === 'avg') result['avg'] = sum / values.length;
    if (aggregation === 'sum') result['sum'] = sum;
  }
  return result;
}

/**
 * The aggregated answer for `ids`: each id aggregated over the stores (subtasks or TaskManagers)
 * that report it, stores without it left out. When any requested id has no reporting store the
 * WHOLE answer is `[]`, not just that id: `AbstractAggregatingMetricsHandler
 * .getAggregatedMetricValues` returns an empty body from inside its loop (checked in Flink
 * 1.x releases; master moved the same loop to `AggregatedMetricsStoreHelper`). The Java
 * autoscaler probes its GC metric separately because of it (`RestApiMetricsCollector`).
 */
function aggregatedAnswer(
  ids: readonly string[],
  valuesOf: (id: string) => number[],
  aggregations: readonly Aggregation[],
): RestAnswer {
  const body = [];
  for (const id of ids) {
    const values = valuesOf(id);
    if (values.length === 0) return ok([]);
    body.push({ id, ...aggregate(values, aggregations) });
  }
  return ok(body);
}

/**
 * `GET /jobs/{id}/vertices/{vid}/subtasks/metrics` (`AggregatingSubtasksMetricsHandler`, Flink
 * 1.x): bare metric ids aggregated over the selected subtasks that report them; `[]` when one
 * requested id has no values ({@link aggregatedAnswer}), and for every query while the vertex has
 * reported nothing (its metric store does not exist yet, `getStores` returns null).
 */
export function vertexAggregates(
  cluster: SimulatedFlinkCluster,
  vertex: NormalizedVertex,
  query: URLSearchParams,
): RestAnswer {
  const metrics = cluster.vertexMetrics(vertex.key);
  const ids = requestedIds(query);
  if (ids === undefined) return ok([...metrics.keys()].map((id) => ({ id })));
  const aggregations = parseAggregations(query);
  if (!Array.isArray(aggregations)) return aggregations;
  const subtasks = parseSubtaskRanges(query.get('subtasks'));
  if (subtasks !== undefined && !(subtasks instanceof Set)) return subtasks;
  return aggregatedAnswer(ids, (id) => pick(metrics.get(id) ?? [], subtasks), aggregations);
}

function pick(values: SubtaskValues, subtasks: Set<number> | undefined): number[] {
  const result: number[] = [];
  values.forEach((value, index) => {
    if (value !== undefined && (subtasks === undefined || subtasks.has(index))) result.push(value);
  });
  return result;
}

/** `GET /jobs/{id}/vertices/{vid}/metrics` (`JobVertexMetricsHandler`, Flink 1.x). */
export function vertexSubtaskCollection(
  cluster: SimulatedFlinkCluster,
  vertex: NormalizedVertex,
  query: URLSearchParams,
): RestAnswer {
  // `/vertices/{id}/metrics` prefixes every id with the subtask index.
  const prefixed = new Map<string, number>();
  for (const [id, values] of cluster.vertexMetrics(vertex.key)) {
    values.forEach((value, index) => {
      if (value !== undefined) prefixed.set(`${index}.${id}`, value);
    });
  }
  return metricCollection(prefixed, query);
}

/**
 * A metric collection (`AbstractMetricsHandler`, Flink 1.x): `[{id, value}]` with the value as a
 * string; unknown ids are left out.
 */
export function metricCollection(metrics: ReadonlyMap<string, number>, query: URLSearchParams): RestAnswer {
  const ids = requestedIds(query);
  if (ids === undefined) return ok([...metrics.keys()].map((id) => ({ id })));
  const body = [];
  for (const id of ids) {
    const value = metrics.get(id);
    // Collection values are strings in Flink (`"16"`, `"NaN"`).
    if (value !== undefined) body.push({ id, value: String(value) });
  }
  return ok(body);
}

/**
 * `GET /taskmanagers/metrics` (`AggregatingTaskManagersMetricsHandler`, Flink 1.x), optionally
 * filtered by `taskmanagers` (`TaskManagersFilterQueryParameter`).
 */
export function taskManagerAggregates(cluster: SimulatedFlinkCluster, query: URLSearchParams): RestAnswer {
  const tms = cluster.metricsReported() ? cluster.taskManagers() : [];
  const filter = query.get('taskmanagers');
  const wanted = filter === null ? undefined : new Set(filter.split(',').map((id) => id.trim()));
  const selected = tms.filter((tm) => wanted === undefined || wanted.has(tm.id));
  const ids = requestedIds(query);
  if (ids === undefined) {
    const all = new Set<string>();
    for (const tm of selected) for (const id of tm.metrics.keys()) all.add(id);
    return ok([...all].map((id) => ({ id })));
  }
  const aggregations = parseAggregations(query);
  if (!Array.isArray(aggregations)) return aggregations;
  // Only the TaskManagers that report an id count in its aggregates (a TaskManager without it is
  // skipped, not a 0: `getAggregatedMetricValues` adds a value only where the store has one).
  return aggregatedAnswer(
    ids,
    (id) =>
      selected.flatMap((tm) => {
        const value = tm.metrics.get(id);
        return value === undefined ? [] : [value];
      }),
    aggregations,
  );
}
