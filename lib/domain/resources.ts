/**
 * TaskManager resources as set in the resource spec (`spec.taskManager.resource(s)`), read by the
 * Kubernetes adapter and handed to the pure core. The core never reads Kubernetes objects itself.
 */
export interface TaskManagerResources {
  /** CPU cores per TaskManager. */
  readonly cpu?: number;
  /** Memory per TaskManager in bytes (the memory-tuning budget). */
  readonly memoryBytes?: number;
  /** Which spec field the memory came from, so the realizer patches the same one. */
  readonly memorySource?:
    | 'resource.memory'
    | 'resources.requests.memory'
    | 'resources.limits.memory'
    | 'flinkConfiguration';
  /** Memory limit in bytes when both requests and limits are set (the ratio is kept on change). */
  readonly memoryLimitBytes?: number;
}

/** Free capacity of one node (allocatable minus requested), as seen before a decision. */
export interface NodeCapacity {
  readonly name: string;
  readonly freeCpu: number;
  readonly freeMemoryBytes: number;
  /**
   * TaskManagers of the job being decided that run on this node. Their resources are released
   * before the new TaskManagers are placed (docs/algorithm.md §9.2). Absent = unknown: only TaskManagers added
   * on top of the current ones are placed.
   */
  readonly jobTaskManagers?: number;
}

/** A group of nodes that can grow (EKS managed node group, Karpenter NodePool). */
export interface ExpandableNodeGroup {
  readonly name: string;
  /** How many more nodes the group may add (maxSize − current, or from NodePool limits). */
  readonly additionalNodes: number;
  readonly cpuPerNode: number;
  readonly memoryBytesPerNode: number;
}

/**
 * Snapshot of cluster capacity for the executor's capacity guard (docs/algorithm.md §5.1 step 9, docs/design.md §4).
 * Absent = the check is disabled.
 */
export interface ClusterCapacitySnapshot {
  readonly nodes: readonly NodeCapacity[];
  readonly expandableGroups: readonly ExpandableNodeGroup[];
}
