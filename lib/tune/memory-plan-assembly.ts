/**
 * The last steps of the memory plan (docs/algorithm.md §7.3, §7.7): the Flink configuration that yields the
 * sized pools, and the per-pool record of what was planned and what Flink will derive.
 */
import { formatMemorySize } from '../config/index.ts';
import type {
  ConfigChanges,
  MemoryPoolName,
  MemoryPoolPlan,
  TaskManagerMemorySpecChange,
  TaskManagerResources,
} from '../domain/index.ts';
import { ceilFractionThousandths, formatFractionThousandths } from './java-numbers.ts';
import { type TaskManagerMemorySpec, TM_MEMORY_KEYS } from './task-manager-memory-model.ts';
import type { SizedPool } from './usage-target.ts';

const fmt = formatMemorySize;

/** Every pool as the sizing steps left it, with the totals they add up to. */
export interface SizedPools {
  /** The TaskManager memory the plan starts from, bytes. */
  readonly budgetBytes: number;
  /** What Flink derives from the current configuration at that budget. */
  readonly current: TaskManagerMemorySpec;
  /** Pools the tuner does not resize, as taken from the budget. */
  readonly frameworkOffHeapBytes: number;
  readonly taskOffHeapBytes: number;
  readonly jvmOverheadBytes: number;
  readonly network: SizedPool;
  readonly metaspace: SizedPool;
  /** Heap after scale-down compensation. */
  readonly heap: SizedPool;
  readonly managed: SizedPool;
  /** TaskManagers before and after the rescale (scale-down compensation). */
  readonly taskManagersBefore: number;
  readonly taskManagersAfter: number;
  /** What was taken of the budget: the new process size. */
  readonly totalAfterBytes: number;
  /** The new total Flink memory (process size without metaspace and JVM overhead). */
  readonly flinkMemoryBytes: number;
}

const FRACTION_REMOVALS = [
  TM_MEMORY_KEYS.flinkSize,
  TM_MEMORY_KEYS.taskHeap,
  TM_MEMORY_KEYS.managedSize,
  TM_MEMORY_KEYS.managedSizeFallback,
];

/** The configuration that makes Flink derive the sized pools. */
export function plannedConfigChanges(sized: SizedPools): ConfigChanges {
  const overrides: Record<string, string> = {
    [TM_MEMORY_KEYS.processSize]: fmt(sized.totalAfterBytes),
    // Heap is never set directly: task heap is what the other pools leave (docs/algorithm.md §7.3).
    [TM_MEMORY_KEYS.frameworkHeap]: fmt(0),
    [TM_MEMORY_KEYS.managedFraction]: formatFractionThousandths(
      ceilFractionThousandths(sized.managed.bytes, sized.flinkMemoryBytes),
    ),
    [TM_MEMORY_KEYS.networkMin]: fmt(sized.network.bytes),
    [TM_MEMORY_KEYS.networkMax]: fmt(sized.network.bytes),
    [TM_MEMORY_KEYS.jvmOverheadFraction]: formatFractionThousandths(
      ceilFractionThousandths(sized.current.jvmOverheadBytes, sized.totalAfterBytes),
    ),
    [TM_MEMORY_KEYS.jvmMetaspace]: fmt(sized.metaspace.bytes),
  };
  return { overrides, removals: [...FRACTION_REMOVALS] };
}

/** Each pool before, as planned, and as Flink will derive it from the new configuration. */
export function poolPlans(
  sized: SizedPools,
  after: TaskManagerMemorySpec,
): Record<MemoryPoolName, MemoryPoolPlan> {
  const before = sized.current;
  const pool = (beforeBytes: number, afterBytes: number, planned: SizedPool): MemoryPoolPlan => ({
    beforeBytes,
    afterBytes,
    plannedBytes: planned.bytes,
    minimumBytes: planned.minimumBytes,
    why: planned.why,
  });
  const kept = (bytes: number, what: string): SizedPool => ({
    bytes,
    minimumBytes: bytes,
    why: `${what}: kept as configured`,
  });
  return {
    heap: pool(before.jvmHeapBytes, after.jvmHeapBytes, sized.heap),
    managed: pool(before.managedBytes, after.managedBytes, sized.managed),
    network: pool(before.networkBytes, after.networkBytes, sized.network),
    metaspace: pool(before.jvmMetaspaceBytes, after.jvmMetaspaceBytes, sized.metaspace),
    jvmOverhead: pool(
      before.jvmOverheadBytes,
      after.jvmOverheadBytes,
      kept(sized.jvmOverheadBytes, 'JVM overhead'),
    ),
    frameworkOffHeap: pool(
      before.frameworkOffHeapBytes,
      after.frameworkOffHeapBytes,
      kept(sized.frameworkOffHeapBytes, 'framework off-heap'),
    ),
    taskOffHeap: pool(
      before.taskOffHeapBytes,
      after.taskOffHeapBytes,
      kept(sized.taskOffHeapBytes, 'task off-heap'),
    ),
  };
}

/** The new TaskManager memory for the resource spec (docs/algorithm.md §7.7: the requests/limits ratio is kept). */
export function specChange(
  taskManager: TaskManagerResources | undefined,
  budgetBytes: number,
  totalAfterBytes: number,
): TaskManagerMemorySpecChange {
  const field = taskManager?.memorySource ?? 'flinkConfiguration';
  const limit = taskManager?.memoryLimitBytes;
  if (field === 'resources.requests.memory' && limit !== undefined) {
    return {
      field,
      beforeBytes: budgetBytes,
      afterBytes: totalAfterBytes,
      limitBeforeBytes: limit,
      limitAfterBytes: Math.round((limit * totalAfterBytes) / budgetBytes),
    };
  }
  return { field, beforeBytes: budgetBytes, afterBytes: totalAfterBytes };
}
