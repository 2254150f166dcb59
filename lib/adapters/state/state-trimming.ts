import type { JobState, ScalingSummary } from '../../domain/index.ts';
import type { TrimReport } from '../../ports/state-store.ts';

/** A state that measures at most `limitBytes`, and what was dropped to get there. */
export interface TrimmedState {
  readonly state: JobState;
  readonly bytes: number;
  readonly trimmed: TrimReport;
}

/** The trim report of a state stored as it was (nothing dropped). */
export const NOTHING_TRIMMED: TrimReport = { historyEntries: 0, trackingRecords: 0, delayedVertices: 0, memoryHistory: false };

/**
 * Drops the least valuable parts of `state` until `measure(state)` ≤ `limitBytes`, in this
 * order: oldest scaling-history entries (across vertices), oldest scaling-tracking records (the
 * latest is always kept, as docs/algorithm.md §6 does), the memory history, pending delayed scale-downs.
 * Mirrors Flink's ConfigMap store, which drops oldest entries before the size cap; the normal
 * per-count/age trimming (docs/algorithm.md §4.7) is the core's job, this is only the safety net.
 *
 * Each round drops the excess fraction plus 5 %, so a few re-encodings suffice even at
 * 1,000 vertices. Returns the state as small as it could make it; the caller decides whether
 * that is still too large.
 */
export function trimStateToFit(
  state: JobState,
  measure: (state: JobState) => number,
  limitBytes: number,
): TrimmedState {
  let current = state;
  let bytes = measure(current);
  const trimmed = { historyEntries: 0, trackingRecords: 0, delayedVertices: 0, memoryHistory: false };
  const excessShare = (): number => Math.min(1, (bytes - limitBytes) / bytes + 0.05);

  while (bytes > limitBytes) {
    const entries = Object.values(current.scalingHistory).reduce((n, list) => n + list.length, 0);
    if (entries === 0) break;
    const drop = Math.max(1, Math.ceil(entries * excessShare()));
    current = { ...current, scalingHistory: dropOldestHistory(current.scalingHistory, drop) };
    trimmed.historyEntries += drop;
    bytes = measure(current);
  }
  while (bytes > limitBytes && current.scalingTracking.length > 1) {
    const records = current.scalingTracking;
    const drop = Math.min(records.length - 1, Math.max(1, Math.ceil(records.length * excessShare())));
    current = { ...current, scalingTracking: records.slice(drop) };
    trimmed.trackingRecords += drop;
    bytes = measure(current);
  }
  if (bytes > limitBytes && current.memoryHistory !== undefined) {
    const { memoryHistory: _dropped, ...rest } = current;
    current = rest;
    trimmed.memoryHistory = true;
    bytes = measure(current);
  }
  if (bytes > limitBytes && Object.keys(current.delayedScaleDown).length > 0) {
    trimmed.delayedVertices = Object.keys(current.delayedScaleDown).length;
    current = { ...current, delayedScaleDown: {} };
    bytes = measure(current);
  }
  return { state: current, bytes, trimmed };
}

/** Removes the `count` globally oldest entries; vertices left without entries disappear. */
function dropOldestHistory(
  history: JobState['scalingHistory'],
  count: number,
): Record<string, readonly ScalingSummary[]> {
  const all = Object.entries(history).flatMap(([id, list]) => list.map((s) => ({ id, s })));
  all.sort((a, b) => a.s.tsMs - b.s.tsMs);
  const dropped = new Set(all.slice(0, count).map((e) => e.s));
  const result: Record<string, readonly ScalingSummary[]> = {};
  for (const [id, list] of Object.entries(history)) {
    const kept = list.filter((s) => !dropped.has(s));
    if (kept.length > 0) result[id] = kept;
  }
  return result;
}
