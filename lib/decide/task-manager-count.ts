import type { JobTopology, VertexId } from '../domain/index.ts';

/**
 * Slot sharing group of vertices whose group Flink did not report. Flink puts every vertex into
 * the group `default` unless the job sets another one, so that is the best assumption.
 */
export const DEFAULT_SLOT_SHARING_GROUP = 'default';

/** Slots and TaskManagers a job needs at some parallelism. */
export interface TaskManagerCount {
  /** Σ over slot sharing groups of the largest parallelism in the group. */
  readonly slots: number;
  /** ceil(slots / slots per TaskManager). */
  readonly taskManagers: number;
}

/**
 * TaskManagers needed to run every vertex of `topology` at `parallelismOf(vertex)`: a slot
 * sharing group needs as many slots as its widest vertex, and the groups are added up.
 *
 * IMPROVEMENT over the operator's quota check (docs/algorithm.md §5.1 step 9, §11 #3), which sums only the
 * vertices being rescaled and divides with integer division (1 slot at 2 slots per TaskManager =
 * 0 TaskManagers): every vertex counts and the TaskManager count is rounded up, as the
 * cluster-capacity check does.
 */
export function countTaskManagers(
  topology: JobTopology,
  parallelismOf: (vertexId: VertexId) => number,
  slotsPerTaskManager: number,
): TaskManagerCount {
  const widestPerGroup = new Map<string, number>();
  for (const vertex of topology.vertices) {
    const group = vertex.slotSharingGroupId ?? DEFAULT_SLOT_SHARING_GROUP;
    widestPerGroup.set(group, Math.max(widestPerGroup.get(group) ?? 0, parallelismOf(vertex.id)));
  }
  let slots = 0;
  for (const widest of widestPerGroup.values()) slots += widest;
  return { slots, taskManagers: Math.ceil(slots / Math.max(1, slotsPerTaskManager)) };
}
