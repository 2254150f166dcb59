import type { ConfigChanges } from './job-state.ts';

/**
 * The TaskManager memory pools of Flink's memory model (Flink 1.20, spec
 * docs/algorithm.md §7.1). Heap is the JVM heap (framework heap + task heap).
 */
export type MemoryPoolName =
  | 'heap'
  | 'managed'
  | 'network'
  | 'metaspace'
  | 'jvmOverhead'
  | 'frameworkOffHeap'
  | 'taskOffHeap';

/** Every pool, in the order a plan lists them. */
export const MEMORY_POOL_NAMES: readonly MemoryPoolName[] = [
  'heap',
  'managed',
  'network',
  'metaspace',
  'jvmOverhead',
  'frameworkOffHeap',
  'taskOffHeap',
];

/** One pool of a {@link MemoryPlan}: its size before and after, and why it has that size. */
export interface MemoryPoolPlan {
  /** Size in the user's configuration (Flink's model derived from the spec), bytes. */
  readonly beforeBytes: number;
  /**
   * Size Flink derives from the produced configuration, bytes. Can differ from the planned size
   * by the 3-decimal rounding of the fraction options (managed, JVM overhead; docs/algorithm.md §7.3).
   */
  readonly afterBytes: number;
  /** Size the plan computed before the configuration was rendered, bytes. */
  readonly plannedBytes: number;
  /** Lowest size the plan may give this pool (Flink minimum or observed usage + overhead), bytes. */
  readonly minimumBytes: number;
  /** One sentence: the usage, the rule and the numbers that set the size. */
  readonly why: string;
}

/** New TaskManager memory for the resource spec (docs/algorithm.md §7.7). */
export interface TaskManagerMemorySpecChange {
  /** Which spec field is written (the one the memory was read from). */
  readonly field:
    | 'resource.memory'
    | 'resources.requests.memory'
    | 'resources.limits.memory'
    | 'flinkConfiguration';
  readonly beforeBytes: number;
  readonly afterBytes: number;
  /** New limit when both requests and limits are set: the limit/request ratio is kept. */
  readonly limitBeforeBytes?: number;
  readonly limitAfterBytes?: number;
}

/**
 * A TaskManager memory plan (issue "TaskManager memory autotuning"): per-pool sizes before and
 * after, the saving, the configuration changes that realize it and the new spec memory.
 * Computed on every evaluation; applied only with `memory.tuning.enabled`.
 */
export interface MemoryPlan {
  readonly pools: Readonly<Record<MemoryPoolName, MemoryPoolPlan>>;
  /** Process memory before (the budget: the user's TaskManager memory), bytes. */
  readonly totalBeforeBytes: number;
  /** Process memory after (`taskmanager.memory.process.size` of the plan), bytes. */
  readonly totalAfterBytes: number;
  /** totalBefore − totalAfter per TaskManager, bytes (≥ 0: a plan never exceeds the budget). */
  readonly savingBytes: number;
  /** The `flinkConfiguration` keys to remove, then to set (Java `ConfigChanges`). */
  readonly configChanges: ConfigChanges;
  /** New TaskManager memory of the resource spec; absent when the source field is unknown. */
  readonly taskManagerSpec?: TaskManagerMemorySpecChange;
  /** True when the plan is applied (`memory.tuning.enabled`), false when only recommended. */
  readonly applied: boolean;
  /** Slots per TaskManager and TaskManager counts the plan assumed. */
  readonly taskManagersBefore: number;
  readonly taskManagersAfter: number;
}
