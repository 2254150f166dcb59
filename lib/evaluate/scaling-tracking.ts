/**
 * Restart-time tracking and scaling-history trimming (docs/algorithm.md §6, §4.7;
 * Java `ScalingTracking`, `AutoScalerStateStore` trimming).
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type { JobState, JobTopology, ScalingRecord, ScalingSummary, VertexId } from '../domain/index.ts';

/**
 * Restart time fed into the capacity formula (docs/algorithm.md §6): with `restart.time-tracking.enabled` and
 * at least one measured restart, the longest measured restart capped at
 * `restart.time-tracking.limit`; otherwise `restart.time`. Whole seconds (Java reads every
 * duration with `toSeconds`), returned in ms.
 */
export function computeRestartTimeMs(
  records: readonly ScalingRecord[],
  options: Pick<
    AutoscalerOptions,
    'restartTimeMs' | 'restartTimeTrackingEnabled' | 'restartTimeTrackingLimitMs'
  >,
): number {
  const wholeSeconds = (ms: number): number => Math.trunc(ms / 1000);
  let maxTrackedSeconds = -1;
  if (options.restartTimeTrackingEnabled) {
    for (const record of records) {
      if (record.restartDurationMs !== undefined) {
        maxTrackedSeconds = Math.max(maxTrackedSeconds, wholeSeconds(record.restartDurationMs));
      }
    }
  }
  const seconds =
    maxTrackedSeconds === -1
      ? wholeSeconds(options.restartTimeMs)
      : Math.min(maxTrackedSeconds, wholeSeconds(options.restartTimeTrackingLimitMs));
  return seconds * 1000;
}

/** Input of {@link recordRestartDuration}. */
export interface RecordRestartInput {
  /** Scaling records, any order. */
  readonly records: readonly ScalingRecord[];
  /** Scaling history per vertex (summaries carry the decision timestamp). */
  readonly scalingHistory: JobState['scalingHistory'];
  /** The running job's topology: current parallelism per vertex and `jobRunningTsMs`. */
  readonly topology: JobTopology;
}

/**
 * Measures the restart of the latest scaling (docs/algorithm.md §6): if the latest record has no duration
 * yet and every vertex scaled by it (the history entries at exactly the record's timestamp) now
 * runs at its target parallelism, the duration is `jobRunningTs − start`. A vertex missing from
 * the topology counts as a mismatch; a scaling without history entries matches vacuously, as in
 * Java. Returns the updated records (oldest first), or `undefined` when nothing changed.
 */
export function recordRestartDuration(input: RecordRestartInput): ScalingRecord[] | undefined {
  const records = sortRecords(input.records);
  const latest = records.at(-1);
  if (latest === undefined || latest.restartDurationMs !== undefined) return undefined;

  const actual = new Map(input.topology.vertices.map((vertex) => [vertex.id, vertex.parallelism]));
  for (const [vertexId, summaries] of Object.entries(input.scalingHistory)) {
    const scaledNow = summaries.find((summary) => summary.tsMs === latest.startMs);
    if (scaledNow !== undefined && actual.get(vertexId) !== scaledNow.newParallelism) return undefined;
  }
  const updated: ScalingRecord = {
    ...latest,
    restartDurationMs: input.topology.jobRunningTsMs - latest.startMs,
  };
  return [...records.slice(0, -1), updated];
}

/**
 * Trims scaling records on load (docs/algorithm.md §6): records strictly older than `now − history.max.age`
 * go, then the oldest while more than `history.max.count` remain; the latest record is always
 * kept, since it may still be waiting for its restart to be measured. Returns oldest first.
 */
export function trimScalingTracking(
  records: readonly ScalingRecord[],
  options: Pick<AutoscalerOptions, 'historyMaxAgeMs' | 'historyMaxCount'>,
  nowMs: number,
): ScalingRecord[] {
  const sorted = sortRecords(records);
  const latest = sorted.at(-1);
  if (latest === undefined) return [];
  const cutoffMs = nowMs - options.historyMaxAgeMs;
  const recent = sorted.filter((record) => record.startMs >= cutoffMs);
  const kept = recent.slice(Math.max(0, recent.length - Math.max(0, options.historyMaxCount)));
  return kept.at(-1) === latest ? kept : [...kept, latest];
}

/**
 * Trims the per-vertex scaling history on read (docs/algorithm.md §4.7): entries strictly older than
 * `now − history.max.age` go, then the oldest until at most `history.max.count` remain; vertices
 * left empty and vertices no longer in the topology are dropped. Entries are returned oldest first.
 */
export function trimScalingHistory(
  history: JobState['scalingHistory'],
  topology: JobTopology,
  options: Pick<AutoscalerOptions, 'historyMaxAgeMs' | 'historyMaxCount'>,
  nowMs: number,
): Record<VertexId, ScalingSummary[]> {
  const inTopology = new Set(topology.vertices.map((vertex) => vertex.id));
  const cutoffMs = nowMs - options.historyMaxAgeMs;
  const maxCount = Math.max(0, options.historyMaxCount);
  const trimmed: Record<VertexId, ScalingSummary[]> = {};
  for (const [vertexId, summaries] of Object.entries(history)) {
    if (!inTopology.has(vertexId)) continue;
    const recent = [...summaries]
      .sort((a, b) => a.tsMs - b.tsMs)
      .filter((summary) => summary.tsMs >= cutoffMs);
    const kept = recent.slice(Math.max(0, recent.length - maxCount));
    if (kept.length > 0) trimmed[vertexId] = kept;
  }
  return trimmed;
}

function sortRecords(records: readonly ScalingRecord[]): ScalingRecord[] {
  return [...records].sort((a, b) => a.startMs - b.startMs);
}
