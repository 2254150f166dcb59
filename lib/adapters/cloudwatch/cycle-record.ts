/**
 * The cycle record: ONE compact JSON log line per evaluated job-cycle with the job's decision and
 * every vertex's parallelism, recommendation, rates, lag and load. It replaces per-job and
 * per-vertex CloudWatch metrics by default: a custom metric costs $0.30 a month whether or not
 * anyone looks at it, while these bytes cost $0.50 per GB ingested and the dashboard reads them
 * with Logs Insights only when viewed (`unnest` of the `v` list gives one row per vertex).
 *
 * The line has no `_aws` key, so CloudWatch extracts no metric from it.
 */
import type { EvaluatedMetrics, JobKey, ScalingDecision, VertexId } from '../../domain/index.ts';
import { formatJobKey } from '../../domain/index.ts';
import { CYCLE_RECORD } from './metric-catalog.ts';

/**
 * Longest vertex name kept: Flink's chain descriptions can run to kilobytes, and the name is most
 * of a vertex's bytes in the record (about 80 bytes per vertex with a 30-character name, at most
 * about 128 with every value present).
 */
export const MAX_VERTEX_NAME_CHARS = 48;

/** One vertex in the record; short keys because they repeat for every vertex. */
export interface CycleRecordVertex {
  /** Vertex name (the operator chain, truncated), or the JobVertexID when the name is unknown. */
  readonly n: string;
  /** Current parallelism. */
  readonly p?: number;
  /** Recommended parallelism. */
  readonly r?: number;
  /** Busy-time fraction (LOAD), window average. */
  readonly l?: number;
  /** True processing rate, window average, records/s. */
  readonly t?: number;
  /** Target data rate, window average, records/s. */
  readonly d?: number;
  /** Pending records (sources). */
  readonly lag?: number;
}

/** The record as written. */
export interface CycleRecord {
  readonly [CYCLE_RECORD.markerKey]: typeof CYCLE_RECORD.markerValue;
  /** `<cluster>/<namespace>/<kind>/<name>`. */
  readonly job: string;
  readonly action: ScalingDecision['action'];
  /** Heap max usage ratio. */
  readonly heap?: number;
  /** GC time fraction. */
  readonly gc?: number;
  /** Seconds since the previous evaluation. */
  readonly age?: number;
  readonly v: readonly CycleRecordVertex[];
}

/** Four significant digits: enough for a graph, and a third of the bytes of a full double. */
function compact(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return Number.isInteger(value) ? value : Number(value.toPrecision(4));
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Builds the record of one evaluated cycle. */
export function buildCycleRecord(
  jobKey: JobKey,
  evaluated: EvaluatedMetrics | undefined,
  decision: ScalingDecision,
  extras: { readonly vertexNames?: Readonly<Record<VertexId, string>>; readonly evaluationAgeSeconds?: number },
): CycleRecord {
  const decided = new Map(decision.vertices.map((v) => [v.vertexId, v] as const));
  const ids = [...new Set([...Object.keys(evaluated?.vertices ?? {}), ...decided.keys()])];
  const v = ids.map((id) => {
    const metrics = evaluated?.vertices[id] ?? {};
    const vertex = decided.get(id);
    const name = extras.vertexNames?.[id]?.trim();
    return withoutUndefined<CycleRecordVertex>({
      n: name ? name.slice(0, MAX_VERTEX_NAME_CHARS) : id,
      p: vertex?.currentParallelism ?? compact(metrics.PARALLELISM?.current),
      r: vertex?.recommendedParallelism ?? compact(metrics.RECOMMENDED_PARALLELISM?.current),
      l: compact(metrics.LOAD?.average),
      t: compact(metrics.TRUE_PROCESSING_RATE?.average),
      d: compact(metrics.TARGET_DATA_RATE?.average),
      lag: compact(metrics.LAG?.current),
    });
  });
  return withoutUndefined<CycleRecord>({
    [CYCLE_RECORD.markerKey]: CYCLE_RECORD.markerValue,
    job: formatJobKey(jobKey),
    action: decision.action,
    heap: compact(evaluated?.global.HEAP_MAX_USAGE_RATIO?.current),
    gc: compact(evaluated?.global.GC_PRESSURE?.current),
    age: compact(extras.evaluationAgeSeconds),
    v,
  });
}
