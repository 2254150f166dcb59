import type { JobState, ScalingSummary } from '../domain/job-state.ts';
import type { OwnedPatchContent } from './owned-patch.ts';

/**
 * The state to persist when a policy denied this cycle's change: as if the change had been
 * vetoed before execution (docs/algorithm.md §5.1 step 10), i.e. without this cycle's history entries and
 * scaling record and with the previous overrides, so the autoscaler does not believe it scaled
 * and proposes the change again when it is still needed. Everything else (trimmed history,
 * memory history, evaluation time) is this cycle's. Pure.
 */
export function stateAfterDeny(previous: JobState, proposed: JobState, nowMs: number): JobState {
  const scalingHistory: Record<string, readonly ScalingSummary[]> = {};
  for (const [vertex, entries] of Object.entries(proposed.scalingHistory)) {
    const kept = entries.filter((entry) => entry.tsMs !== nowMs);
    if (kept.length > 0) scalingHistory[vertex] = kept;
  }
  return {
    ...proposed,
    scalingHistory,
    scalingTracking: proposed.scalingTracking.filter((record) => record.startMs !== nowMs),
    parallelismOverrides: previous.parallelismOverrides,
    configOverrides: previous.configOverrides,
  };
}

/**
 * The state to persist when a policy modified the patch: our overrides become what the modified
 * patch applies (a vertex it left out is no longer ours), and this cycle's history entries record
 * the modified parallelism, so the next cycle sees no drift to re-apply and ineffective-scaling
 * detection compares against what really ran. Pure.
 */
export function stateAfterModify(proposed: JobState, content: OwnedPatchContent, nowMs: number): JobState {
  const modified = content.parallelismOverrides;
  let parallelismOverrides = proposed.parallelismOverrides;
  let scalingHistory = proposed.scalingHistory;
  if (modified) {
    parallelismOverrides = Object.fromEntries(
      Object.keys(proposed.parallelismOverrides).flatMap((vertex) =>
        modified[vertex] !== undefined ? [[vertex, modified[vertex]]] : [],
      ),
    );
    scalingHistory = Object.fromEntries(
      Object.entries(proposed.scalingHistory).map(([vertex, entries]) => [
        vertex,
        entries.map((entry) =>
          entry.tsMs === nowMs && modified[vertex] !== undefined
            ? { ...entry, newParallelism: modified[vertex] }
            : entry,
        ),
      ]),
    );
  }
  const overrides: Record<string, string> = { ...proposed.configOverrides.overrides };
  const removals = new Set(proposed.configOverrides.removals);
  for (const [key, value] of Object.entries(content.memory)) {
    if (value === null) {
      delete overrides[key];
      removals.add(key);
    } else {
      overrides[key] = value;
      removals.delete(key);
    }
  }
  return {
    ...proposed,
    scalingHistory,
    parallelismOverrides,
    configOverrides: { overrides, removals: [...removals] },
  };
}
