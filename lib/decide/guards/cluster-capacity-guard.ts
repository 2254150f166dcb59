import type { AutoscalerOptions } from '../../config/index.ts';
import type { AutoscalerEvent, ClusterCapacitySnapshot, GuardOutcome } from '../../domain/index.ts';

/** Tolerance for fractional CPU arithmetic (0.1 + 0.2 style rounding). */
const EPSILON = 1e-9;

/** Where the TaskManagers to add would run. */
export interface TaskManagerPlacement {
  /** TaskManagers placed on existing nodes, by node name. */
  readonly onNodes: Readonly<Record<string, number>>;
  /** Nodes each expandable group would have to add, by group name. */
  readonly newNodesPerGroup: Readonly<Record<string, number>>;
  /** TaskManagers that fit nowhere (0 = all placed). */
  readonly unplaced: number;
}

/**
 * First-fit placement of `count` TaskManagers of `cpu` cores and `memoryBytes` each: first into
 * the free capacity of existing nodes (in snapshot order), then onto nodes the expandable groups
 * may add. With `releaseJobTaskManagers` the job's own TaskManagers (`jobTaskManagers` per node)
 * are released first, because a rescale replaces them (docs/algorithm.md §9.2, `ClusterResourceManager`).
 * A heuristic, like the operator's: no pod affinity, taints or ephemeral storage.
 */
export function placeTaskManagers(
  snapshot: ClusterCapacitySnapshot,
  count: number,
  cpu: number,
  memoryBytes: number,
  releaseJobTaskManagers: boolean,
): TaskManagerPlacement {
  let remaining = count;
  const onNodes: Record<string, number> = {};
  for (const node of snapshot.nodes) {
    if (remaining <= 0) break;
    const released = releaseJobTaskManagers ? (node.jobTaskManagers ?? 0) : 0;
    let freeCpu = node.freeCpu + released * cpu;
    let freeMemory = node.freeMemoryBytes + released * memoryBytes;
    let placed = 0;
    while (remaining > 0 && freeCpu + EPSILON >= cpu && freeMemory >= memoryBytes) {
      freeCpu -= cpu;
      freeMemory -= memoryBytes;
      placed++;
      remaining--;
    }
    if (placed > 0) onNodes[node.name] = placed;
  }
  const newNodesPerGroup: Record<string, number> = {};
  for (const group of snapshot.expandableGroups) {
    if (remaining <= 0) break;
    const perNode = Math.floor(
      Math.min((group.cpuPerNode + EPSILON) / cpu, group.memoryBytesPerNode / memoryBytes),
    );
    if (perNode <= 0 || group.additionalNodes <= 0) continue;
    const placed = Math.min(remaining, perNode * group.additionalNodes);
    newNodesPerGroup[group.name] = Math.ceil(placed / perNode);
    remaining -= placed;
  }
  return { onNodes, newNodesPerGroup, unplaced: remaining };
}

/** Inputs of {@link checkClusterCapacity}. */
export interface ClusterCapacityCheckInput {
  /** Cluster capacity seen before the decision; undefined = check disabled. */
  readonly snapshot: ClusterCapacitySnapshot | undefined;
  readonly currentTaskManagers: number;
  readonly newTaskManagers: number;
  readonly taskManagerCpu: number | undefined;
  readonly taskManagerMemoryBytes: number | undefined;
  readonly options: Pick<AutoscalerOptions, 'scalingEventIntervalMs'>;
}

/** Result of {@link checkClusterCapacity}; `outcome` is undefined when the check is disabled. */
export interface ClusterCapacityResult {
  readonly outcome?: GuardOutcome;
  readonly event?: AutoscalerEvent;
  readonly placement?: TaskManagerPlacement;
}

/**
 * Cluster capacity guard (docs/algorithm.md §5.1 step 9): a change that needs more TaskManagers is blocked
 * when they cannot be scheduled on the cluster, so a rescale never leaves the job waiting for
 * pods that will not come. When the snapshot tells where the job's TaskManagers run, they are
 * released and all new TaskManagers placed (the operator's model); otherwise only the added
 * TaskManagers are placed, assuming the current ones stay where they are.
 */
export function checkClusterCapacity(input: ClusterCapacityCheckInput): ClusterCapacityResult {
  const { snapshot, currentTaskManagers: current, newTaskManagers: next } = input;
  if (!snapshot) return {};
  const cpu = input.taskManagerCpu;
  const memory = input.taskManagerMemoryBytes;
  if (cpu === undefined || memory === undefined || !(cpu > 0) || !(memory > 0)) {
    return {
      outcome: {
        guard: 'cluster-capacity',
        passed: true,
        detail: 'not checked: TaskManager CPU or memory unknown',
      },
    };
  }
  if (next <= current) {
    return {
      outcome: {
        guard: 'cluster-capacity',
        passed: true,
        detail: `TaskManagers ${current} -> ${next}: no additional resources needed`,
      },
    };
  }
  const placementKnown = snapshot.nodes.some((node) => node.jobTaskManagers !== undefined);
  const toPlace = placementKnown ? next : next - current;
  const placement = placeTaskManagers(snapshot, toPlace, cpu, memory, placementKnown);
  const what = `${toPlace} TaskManager(s) of ${cpu} CPU / ${memory} B (TaskManagers ${current} -> ${next})`;
  if (placement.unplaced === 0) {
    const groups = Object.entries(placement.newNodesPerGroup);
    const growth = groups.length > 0 ? `; new nodes: ${groups.map(([g, n]) => `${g} +${n}`).join(', ')}` : '';
    return {
      outcome: { guard: 'cluster-capacity', passed: true, detail: `${what} fit${growth}` },
      placement,
    };
  }
  return {
    outcome: {
      guard: 'cluster-capacity',
      passed: false,
      detail: `${what} do not fit: ${placement.unplaced} cannot be scheduled`,
    },
    event: {
      reason: 'ClusterCapacityReached',
      type: 'Warning',
      message: `Scaling needs ${what}, but ${placement.unplaced} cannot be scheduled on the cluster (free node capacity and node group limits). Scaling is blocked until capacity is available.`,
      messageKey: 'ClusterCapacity',
      dedupeIntervalMs: input.options.scalingEventIntervalMs,
    },
    placement,
  };
}
