/**
 * The cycle record: ONE compact JSON log line per evaluated job-cycle. It replaces per-job and
 * per-vertex CloudWatch metrics by default: a custom metric costs $0.30 a month whether or not
 * anyone looks at it, while these bytes cost $0.50 per GB ingested and the dashboard reads them
 * with Logs Insights only when viewed.
 *
 * Two shapes, so that a fleet of healthy jobs logs little (issue #16, log budget):
 * - every record carries the job's totals: summed parallelism and recommendation, summed lag, the
 *   busiest vertex's load (about 120 bytes);
 * - a *detailed* record also lists every vertex (`v`, read with `unnest`), with the vertex count
 *   `nv` (the dashboard filters on it) and heap and GC pressure. It is written when the cycle
 *   changed something (a scaling, a blocked change, a realization, a policy verdict), on a job's
 *   first evaluation, and otherwise once per vertex-detail interval (default 5 minutes): the first
 *   cycle whose wall-clock interval slot differs from the previous evaluation's. The slots are
 *   aligned to the epoch, as Logs Insights' `bin()` is, so each bin of that width holds a detailed
 *   record of every job evaluated in it.
 *
 * The line has no `_aws` key, so CloudWatch extracts no metric from it.
 */
import type { EvaluatedMetrics, JobKey, ScalingDecision, VertexId } from '../../domain/index.ts';
import { formatJobKey } from '../../domain/index.ts';
import { CYCLE_RECORD } from './metric-catalog.ts';

/**
 * Longest vertex name kept: Flink's chain descriptions can run to kilobytes, and the name is most
 * of a vertex's bytes in the record (about 70 bytes per vertex with a 30-character name, at most
 * about 125 with every value present).
 */
export const MAX_VERTEX_NAME_CHARS = 48;

/** Default interval between detailed records of a job whose cycles change nothing: 5 minutes. */
export const DEFAULT_VERTEX_DETAIL_INTERVAL_MS = 300_000;

/** One vertex in a detailed record; short keys because they repeat for every vertex. */
export interface CycleRecordVertex {
  /** Vertex name (the operator chain, truncated), or the JobVertexID when the name is unknown. */
  readonly n: string;
  /** Current parallelism. */
  readonly p?: number;
  /** Recommended parallelism. */
  readonly r?: number;
  /** Busy-time fraction (LOAD), window average, 3 significant digits. */
  readonly l?: number;
  /** True processing rate, window average, records/s. */
  readonly t?: number;
  /** Target data rate, window average, records/s. */
  readonly d?: number;
  /** Pending records (sources). */
  readonly lag?: number;
}

/** The record as written. The job-level `p`, `r`, `lag`, `l` aggregate the vertices' keys of the same name. */
export interface CycleRecord {
  readonly [CYCLE_RECORD.markerKey]: typeof CYCLE_RECORD.markerValue;
  /** `<cluster>/<namespace>/<kind>/<name>`. */
  readonly job: string;
  readonly action: ScalingDecision['action'];
  /** Sum of the vertices' current parallelism. */
  readonly p?: number;
  /** Sum of the vertices' recommended parallelism. */
  readonly r?: number;
  /** Sum of the vertices' pending records. */
  readonly lag?: number;
  /** Highest vertex load (busy-time fraction): the vertex that scales up first. */
  readonly l?: number;
  /** Seconds since the previous evaluation. */
  readonly age?: number;
  /**
   * Price of the change this cycle recommended, USD per month (TaskManager delta at the job's
   * unit prices, `ScalingDecision.price`); only on a cycle whose decision carries a price.
   */
  readonly usd?: number;
  /**
   * Detailed records only: what the autoscaler has saved (positive) or added (negative) against
   * the resource's own spec so far, USD (`JobState.costLedger.savedUsd`).
   */
  readonly saved?: number;
  /** Detailed records only: heap max usage ratio. */
  readonly heap?: number;
  /** Detailed records only: GC time fraction. */
  readonly gc?: number;
  /** Detailed records only: number of vertices in {@link v} (the dashboard's filter for them). */
  readonly nv?: number;
  /** Detailed records only: every vertex. */
  readonly v?: readonly CycleRecordVertex[];
}

/** What decides whether a cycle's record lists its vertices. */
export interface VertexDetailInput {
  /** Time of this cycle (epoch ms). */
  readonly nowMs: number;
  /** Time of the job's previous evaluation (epoch ms); absent on its first. */
  readonly previousEvaluationMs?: number;
  /** Detail interval (ms); 0 = every cycle. */
  readonly intervalMs: number;
  /** The cycle changed something or asked for a change (scale, blocked, realized, policy verdict). */
  readonly changed: boolean;
}

/** Whether this cycle's record lists every vertex (see the module comment). Pure. */
export function vertexDetailDue(input: VertexDetailInput): boolean {
  if (input.changed || input.intervalMs <= 0 || input.previousEvaluationMs === undefined) return true;
  return Math.floor(input.nowMs / input.intervalMs) !== Math.floor(input.previousEvaluationMs / input.intervalMs);
}

/** `digits` significant digits: enough for a graph, and a third of the bytes of a full double. */
function compact(value: number | undefined, digits = 4): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return Number.isInteger(value) ? value : Number(value.toPrecision(digits));
}

/** Whole cents: a price on a dashboard needs no more. */
function cents(usd: number | undefined): number | undefined {
  return usd === undefined || !Number.isFinite(usd) ? undefined : Math.round(usd * 100) / 100;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Sum (or maximum) of the values present; undefined when none is. */
function aggregate(values: ReadonlyArray<number | undefined>, how: 'sum' | 'max'): number | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  if (present.length === 0) return undefined;
  return how === 'sum' ? present.reduce((a, b) => a + b, 0) : Math.max(...present);
}

/** Options of {@link buildCycleRecord}. */
export interface CycleRecordExtras {
  readonly vertexNames?: Readonly<Record<VertexId, string>>;
  readonly evaluationAgeSeconds?: number;
  /** List every vertex (see {@link vertexDetailDue}). @default true */
  readonly detailed?: boolean;
  /** The job's running total against its spec, USD (written with the detailed records). */
  readonly savedUsd?: number;
}

/** Builds the record of one evaluated cycle. */
export function buildCycleRecord(
  jobKey: JobKey,
  evaluated: EvaluatedMetrics | undefined,
  decision: ScalingDecision,
  extras: CycleRecordExtras,
): CycleRecord {
  const decided = new Map(decision.vertices.map((v) => [v.vertexId, v] as const));
  const ids = [...new Set([...Object.keys(evaluated?.vertices ?? {}), ...decided.keys()])];
  const vertices = ids.map((id) => {
    const metrics = evaluated?.vertices[id] ?? {};
    const vertex = decided.get(id);
    const name = extras.vertexNames?.[id]?.trim();
    return withoutUndefined<CycleRecordVertex>({
      n: name ? name.slice(0, MAX_VERTEX_NAME_CHARS) : id,
      // The decision is authoritative: it includes limits and alignment applied after evaluation.
      p: vertex?.currentParallelism ?? compact(metrics.PARALLELISM?.current),
      r: vertex?.recommendedParallelism ?? compact(metrics.RECOMMENDED_PARALLELISM?.current),
      l: compact(metrics.LOAD?.average, 3),
      t: compact(metrics.TRUE_PROCESSING_RATE?.average),
      d: compact(metrics.TARGET_DATA_RATE?.average),
      lag: compact(metrics.LAG?.current),
    });
  });
  const detailed = extras.detailed ?? true;
  return withoutUndefined<CycleRecord>({
    [CYCLE_RECORD.markerKey]: CYCLE_RECORD.markerValue,
    job: formatJobKey(jobKey),
    action: decision.action,
    p: aggregate(vertices.map((v) => v.p), 'sum'),
    r: aggregate(vertices.map((v) => v.r), 'sum'),
    lag: compact(aggregate(vertices.map((v) => v.lag), 'sum')),
    l: aggregate(vertices.map((v) => v.l), 'max'),
    age: compact(extras.evaluationAgeSeconds, 3),
    usd: cents(decision.price?.deltaUsdPerMonth),
    ...(detailed
      ? {
          saved: cents(extras.savedUsd),
          heap: compact(evaluated?.global.HEAP_MAX_USAGE_RATIO?.current, 3),
          gc: compact(evaluated?.global.GC_PRESSURE?.current, 3),
          nv: vertices.length,
          v: vertices,
        }
      : {}),
  });
}
