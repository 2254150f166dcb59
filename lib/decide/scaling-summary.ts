import type { ParallelismChange, VertexId } from '../domain/index.ts';

/**
 * Which vertices a scaling changes (docs/algorithm.md §5.1 steps 3–5). Vertices in `excluded` (configured
 * `vertex.exclude.ids`, FINISHED vertices, vertices without busy time) never take part. If no
 * changed vertex is outside its utilization bound the job counts as balanced and the result is
 * empty: in-band changes alone (e.g. a delayed scale-down maturing) never trigger a restart. Once
 * one vertex is outside, every changed vertex is kept, so one restart applies all of them.
 */
export function selectScalingSummaries(
  changes: Readonly<Record<VertexId, ParallelismChange>>,
  excluded: ReadonlySet<VertexId>,
): Record<VertexId, ParallelismChange> {
  const selected: Record<VertexId, ParallelismChange> = {};
  let anyOutsideBound = false;
  for (const [vertexId, change] of Object.entries(changes)) {
    if (excluded.has(vertexId) || change.noChange || change.newParallelism === change.currentParallelism)
      continue;
    selected[vertexId] = change;
    anyOutsideBound ||= change.outsideUtilizationBound;
  }
  return anyOutsideBound ? selected : {};
}
