/**
 * TaskManager memory plan (docs/algorithm.md §7, issue "TaskManager memory autotuning"). Java-exact with the
 * operator's `MemoryTuning` when the usage history adds nothing above the metric window, plus:
 * - heap and metaspace are sized from the decaying history of peaks (memory-history.ts);
 * - guards: never below observed usage × (1 + overhead) nor Flink's minimums; no plan without
 *   heap/metaspace metrics; no plan whose configuration Flink would derive differently;
 * - computed on every evaluation; reported as a recommendation when tuning is disabled.
 *
 * The plan is a pipeline of named steps; each returns its value or why there is no plan.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import { formatMemorySize } from '../config/index.ts';
import type {
  AutoscalerEvent,
  ConfigChanges,
  EvaluatedMetrics,
  JobTopology,
  MemoryPlan,
  TaskManagerResources,
  VertexId,
} from '../domain/index.ts';
import { applyConfigChanges, emptyConfigChanges, recommendationMessage } from './config-changes.ts';
import { MemoryBudget } from './memory-budget.ts';
import {
  type MemoryHistory,
  memoryHistoryParams,
  peakEstimate,
  type PeakBucket,
  readMemoryHistory,
  recordPeak,
} from './memory-history.ts';
import { plannedConfigChanges, poolPlans, type SizedPools, specChange } from './memory-plan-assembly.ts';
import { MIN_HEAP_BYTES, MIN_METASPACE_BYTES } from './memory-minimums.ts';
import { applyScaleDownCompensation, scaleDownCompensation } from './memory-scaling.ts';
import { networkMemoryRequirement } from './network-memory.ts';
import {
  deriveTaskManagerMemory,
  memoryConfigWithBudget,
  parseTaskManagerMemory,
  type TaskManagerMemorySpec,
} from './task-manager-memory-model.ts';
import { InvalidMemoryConfigurationError } from './tuning-errors.ts';
import { type PoolUsage, poolUsage, type SizedPool, sizedFrom, usageTarget } from './usage-target.ts';

/** Inputs of {@link planMemory}. */
export interface PlanMemoryInput {
  readonly options: AutoscalerOptions;
  readonly topology: JobTopology;
  /** New parallelism of the vertices that change (a scaling summary), or current; others keep theirs. */
  readonly newParallelism: Readonly<Record<VertexId, number>>;
  /** Evaluated global metrics: HEAP/MANAGED/METASPACE_MEMORY_USED, NUM_TASK_SLOTS_USED. */
  readonly globalMetrics: EvaluatedMetrics['global'];
  /** The job's stored memory history (`JobState.memoryHistory`); anything unreadable restarts it. */
  readonly memoryHistory: unknown;
  /** TaskManager resources of the resource spec: the budget and the field to write back. */
  readonly taskManager?: TaskManagerResources;
  /** Evaluation time, epoch ms. */
  readonly nowMs: number;
}

/** Output of {@link planMemory}. */
export interface PlanMemoryResult {
  /** The plan, also when tuning is disabled (then only recommended); absent when skipped. */
  readonly plan: MemoryPlan | undefined;
  /** Why there is no plan. */
  readonly skippedReason?: string;
  /** The updated memory history to store in `JobState.memoryHistory`. */
  readonly memoryHistory: unknown;
  /** Changes to apply: the plan's when `memory.tuning.enabled`, else none. */
  readonly configChanges: ConfigChanges;
  /** The 'Configuration recommendation' event (key `MemoryTuning`), when there is a plan. */
  readonly event?: AutoscalerEvent;
}

const fmt = formatMemorySize;

/** A step of the plan: its value, or why there is no plan. */
type PlanStep<T> = { readonly value: T } | { readonly skip: string };

function skip(reason: string): { readonly skip: string } {
  return { skip: reason };
}

/**
 * Computes the TaskManager memory plan of a job (docs/algorithm.md §7.1–§7.3, §7.5, §7.7).
 *
 * Pools are taken from the budget (the resource's TaskManager memory, else
 * `taskmanager.memory.process.size`) in the operator's order: framework off-heap, task off-heap
 * and JVM overhead as configured; network for the topology at the new parallelism; metaspace;
 * heap; managed (0 when unused, as configured when used, everything left with
 * `maximize-managed-memory`, kept as configured when its usage is unknown); then scale-down
 * compensation of heap. The process size is what was taken, so the plan never exceeds the budget.
 *
 * Never throws for a bad configuration or missing metrics: it returns no plan and says why.
 */
export function planMemory(input: PlanMemoryInput): PlanMemoryResult {
  const { stored, history } = updateHistory(input);
  const sized = sizePools(input, history);
  if ('skip' in sized) return skipped(sized.skip, stored);
  const changes = plannedConfigChanges(sized.value);
  const after = derivedConfiguration(input.options, changes);
  if ('skip' in after) return skipped(after.skip, stored);
  return planned(input, sized.value, changes, after.value, stored);
}

function skipped(reason: string, memoryHistory: unknown): PlanMemoryResult {
  return { plan: undefined, skippedReason: reason, memoryHistory, configChanges: emptyConfigChanges() };
}

/** Updates the history with this evaluation's observations (when the model is enabled). */
function updateHistory(input: PlanMemoryInput): { stored: unknown; history: MemoryHistory | undefined } {
  const params = memoryHistoryParams(input.options);
  if (!params.enabled) return { stored: input.memoryHistory, history: undefined };
  const previous = readMemoryHistory(input.memoryHistory, params.intervalMs);
  const heap = poolUsage(input.globalMetrics.HEAP_MEMORY_USED);
  const metaspace = poolUsage(input.globalMetrics.METASPACE_MEMORY_USED);
  const history: MemoryHistory = {
    ...previous,
    heap: recordPeak(previous.heap, heap?.observedMax ?? Number.NaN, input.nowMs, params),
    metaspace: recordPeak(previous.metaspace, metaspace?.observedMax ?? Number.NaN, input.nowMs, params),
  };
  return { stored: history, history };
}

/** Every pool sized from the budget, in the operator's order (docs/algorithm.md §7.2). */
function sizePools(input: PlanMemoryInput, history: MemoryHistory | undefined): PlanStep<SizedPools> {
  const current = currentMemory(input);
  if ('skip' in current) return current;
  const usages = readUsages(input.globalMetrics);
  if ('skip' in usages) return usages;
  const { budgetBytes, spec } = current.value;
  const budget = new MemoryBudget(budgetBytes);
  const fixed = reserveFixedPools(budget, spec, budgetBytes);
  if ('skip' in fixed) return fixed;
  const network = reserveNetwork(input, budget, budgetBytes);
  if ('skip' in network) return network;
  const used = reserveUsagePools(input, usages.value, history, budget, budgetBytes);
  if ('skip' in used) return used;
  const managed = reserveManaged(input, spec, budget);
  const compensated = compensateHeap(input, used.value.heap, budget);
  const totalAfterBytes = budgetBytes - budget.remainingBytes;
  const flinkMemoryBytes =
    spec.totalFlinkBytes +
    (compensated.heap.bytes - spec.jvmHeapBytes) +
    (managed.bytes - spec.managedBytes) +
    (network.value.bytes - spec.networkBytes);
  if (totalAfterBytes <= 0 || flinkMemoryBytes <= 0) {
    return skip(`invalid total memory ${totalAfterBytes} bytes`);
  }
  return {
    value: {
      budgetBytes,
      current: spec,
      ...fixed.value,
      network: network.value,
      metaspace: used.value.metaspace,
      heap: compensated.heap,
      managed,
      taskManagersBefore: compensated.taskManagersBefore,
      taskManagersAfter: compensated.taskManagersAfter,
      totalAfterBytes,
      flinkMemoryBytes,
    },
  };
}

/** The budget (resource spec, else `taskmanager.memory.process.size`) and what Flink derives from it. */
function currentMemory(
  input: PlanMemoryInput,
): PlanStep<{ budgetBytes: number; spec: TaskManagerMemorySpec }> {
  const budgetBytes = input.taskManager?.memoryBytes ?? input.options.tmProcessSizeBytes;
  if (budgetBytes === undefined || !(budgetBytes > 0)) {
    return skip(
      'TaskManager memory unknown: neither the resource spec nor taskmanager.memory.process.size gives it',
    );
  }
  try {
    const spec = deriveTaskManagerMemory(memoryConfigWithBudget(input.options, budgetBytes));
    return { value: { budgetBytes, spec } };
  } catch (error) {
    if (error instanceof InvalidMemoryConfigurationError) {
      return skip(`current memory configuration is not valid: ${error.message}`);
    }
    throw error;
  }
}

/** Heap and metaspace usage: without them the two pools cannot be sized. */
function readUsages(
  globalMetrics: EvaluatedMetrics['global'],
): PlanStep<{ heap: PoolUsage; metaspace: PoolUsage }> {
  const heap = poolUsage(globalMetrics.HEAP_MEMORY_USED);
  const metaspace = poolUsage(globalMetrics.METASPACE_MEMORY_USED);
  if (heap && metaspace) return { value: { heap, metaspace } };
  const missing = [
    heap ? undefined : 'HEAP_MEMORY_USED',
    metaspace ? undefined : 'METASPACE_MEMORY_USED',
  ].filter((m) => m !== undefined);
  return skip(`memory metrics missing (${missing.join(', ')}): heap and metaspace cannot be sized`);
}

/** Pools the tuner does not resize are reserved first (docs/algorithm.md §7.1). */
function reserveFixedPools(
  budget: MemoryBudget,
  spec: TaskManagerMemorySpec,
  budgetBytes: number,
): PlanStep<Pick<SizedPools, 'frameworkOffHeapBytes' | 'taskOffHeapBytes' | 'jvmOverheadBytes'>> {
  const frameworkOffHeapBytes = budget.take(spec.frameworkOffHeapBytes);
  const taskOffHeapBytes = budget.take(spec.taskOffHeapBytes);
  const jvmOverheadBytes = budget.take(spec.jvmOverheadBytes);
  if (
    frameworkOffHeapBytes + taskOffHeapBytes + jvmOverheadBytes <
    spec.frameworkOffHeapBytes + spec.taskOffHeapBytes + spec.jvmOverheadBytes
  ) {
    return skip(`budget ${fmt(budgetBytes)} does not hold the off-heap and JVM overhead pools`);
  }
  return { value: { frameworkOffHeapBytes, taskOffHeapBytes, jvmOverheadBytes } };
}

/** Network first: a TaskManager without enough buffers does not start (docs/algorithm.md §7.2 step 1). */
function reserveNetwork(
  input: PlanMemoryInput,
  budget: MemoryBudget,
  budgetBytes: number,
): PlanStep<SizedPool> {
  const { options } = input;
  const network = networkMemoryRequirement(input.topology, input.newParallelism, {
    buffersPerChannel: options.networkBuffersPerChannel,
    floatingBuffersPerGate: options.networkFloatingBuffersPerGate,
    segmentSizeBytes: options.memorySegmentSizeBytes,
    slotsPerTaskManager: options.numberOfTaskSlots,
  });
  const bytes = budget.take(network.bytes);
  if (bytes < network.bytes) {
    return skip(`budget ${fmt(budgetBytes)} does not hold the network memory ${fmt(network.bytes)}`);
  }
  return {
    value: {
      bytes,
      minimumBytes: network.bytes,
      why: `${network.segments} buffers per subtask set at the new parallelism × ${fmt(options.memorySegmentSizeBytes)} × ${options.numberOfTaskSlots} slots = ${fmt(network.bytes)}`,
    },
  };
}

/**
 * Metaspace before heap, so metaspace always gets what it needs (operator order). Neither may
 * end below its observed usage + overhead: memory is then not reduced at all.
 */
function reserveUsagePools(
  input: PlanMemoryInput,
  usages: { heap: PoolUsage; metaspace: PoolUsage },
  history: MemoryHistory | undefined,
  budget: MemoryBudget,
  budgetBytes: number,
): PlanStep<{ metaspace: SizedPool; heap: SizedPool }> {
  const overhead = input.options.memoryTuningOverhead;
  const params = memoryHistoryParams(input.options);
  const estimate = (peaks: readonly PeakBucket[] | undefined) =>
    peaks === undefined ? undefined : peakEstimate(peaks, input.nowMs, params);
  const metaspaceTarget = usageTarget(
    'metaspace',
    usages.metaspace,
    estimate(history?.metaspace),
    overhead,
    MIN_METASPACE_BYTES,
  );
  const metaspaceBytes = budget.take(metaspaceTarget.targetBytes);
  const heapTarget = usageTarget('heap', usages.heap, estimate(history?.heap), overhead, MIN_HEAP_BYTES);
  const heapBytes = budget.take(heapTarget.targetBytes);
  if (metaspaceBytes < metaspaceTarget.minimumBytes || heapBytes < heapTarget.minimumBytes) {
    return skip(
      `budget ${fmt(budgetBytes)} is below the observed usage + overhead (metaspace ${fmt(metaspaceTarget.minimumBytes)}, heap ${fmt(heapTarget.minimumBytes)}): memory is not reduced`,
    );
  }
  return {
    value: {
      metaspace: sizedFrom(metaspaceTarget, metaspaceBytes),
      heap: sizedFrom(heapTarget, heapBytes),
    },
  };
}

/** Managed memory usage is either 0 (no RocksDB) or opaque (RocksDB takes what it gets). */
function reserveManaged(
  input: PlanMemoryInput,
  spec: TaskManagerMemorySpec,
  budget: MemoryBudget,
): SizedPool {
  const managedMetric = input.globalMetrics.MANAGED_MEMORY_USED?.average;
  const sized = (bytes: number, why: string): SizedPool => ({ bytes, minimumBytes: 0, why });
  if (managedMetric === undefined || !Number.isFinite(managedMetric)) {
    const bytes = budget.take(spec.managedBytes);
    return sized(bytes, `usage unknown (MANAGED_MEMORY_USED missing): kept as configured, ${fmt(bytes)}`);
  }
  if (Math.trunc(managedMetric) <= 0) return sized(0, 'unused (MANAGED_MEMORY_USED = 0): released');
  if (input.options.memoryTuningMaximizeManagedMemory) {
    const bytes = budget.take(Number.POSITIVE_INFINITY);
    return sized(bytes, `used; maximize-managed-memory gives it everything left: ${fmt(bytes)}`);
  }
  const bytes = budget.take(spec.managedBytes);
  return sized(bytes, `used (${fmt(Math.trunc(managedMetric))}, e.g. RocksDB): kept as configured, ${fmt(bytes)}`);
}

/** Scale-down compensation of heap, after all pools are sized (docs/algorithm.md §7.5). */
function compensateHeap(
  input: PlanMemoryInput,
  heap: SizedPool,
  budget: MemoryBudget,
): { heap: SizedPool; taskManagersBefore: number; taskManagersAfter: number } {
  const currentParallelism = Object.fromEntries(input.topology.vertices.map((v) => [v.id, v.parallelism]));
  const compensation = scaleDownCompensation({
    numTaskSlotsUsed: input.globalMetrics.NUM_TASK_SLOTS_USED?.current ?? Number.NaN,
    currentParallelism,
    newParallelism: input.newParallelism,
    slotsPerTaskManager: input.options.numberOfTaskSlots,
  });
  const { taskManagersBefore, taskManagersAfter } = compensation;
  if (!input.options.memoryTuningScaleDownCompensationEnabled || !(compensation.factor > 1)) {
    return { heap, taskManagersBefore, taskManagersAfter };
  }
  const bytes = applyScaleDownCompensation(heap.bytes, compensation.factor, budget);
  const why =
    `${heap.why}; scale-down compensation ${taskManagersBefore} → ${taskManagersAfter} TaskManagers ` +
    `(× ${compensation.factor.toFixed(3)}): ${fmt(heap.bytes)} → ${fmt(bytes)}`;
  return { heap: { ...heap, bytes, why }, taskManagersBefore, taskManagersAfter };
}

/** What Flink will actually derive from the new configuration (fractions are rounded up). */
function derivedConfiguration(
  options: AutoscalerOptions,
  changes: ConfigChanges,
): PlanStep<TaskManagerMemorySpec> {
  try {
    return { value: parseTaskManagerMemory(applyConfigChanges(options.flinkConfiguration, changes)) };
  } catch (error) {
    return skip(`the planned configuration would not be valid: ${(error as Error).message}`);
  }
}

/** The plan, and its changes and event: applied with `memory.tuning.enabled`, else recommended. */
function planned(
  input: PlanMemoryInput,
  sized: SizedPools,
  changes: ConfigChanges,
  after: TaskManagerMemorySpec,
  stored: unknown,
): PlanMemoryResult {
  const { options } = input;
  const applied = options.memoryTuningEnabled;
  const plan: MemoryPlan = {
    pools: poolPlans(sized, after),
    totalBeforeBytes: sized.budgetBytes,
    totalAfterBytes: sized.totalAfterBytes,
    savingBytes: sized.budgetBytes - sized.totalAfterBytes,
    configChanges: changes,
    taskManagerSpec: specChange(input.taskManager, sized.budgetBytes, sized.totalAfterBytes),
    applied,
    taskManagersBefore: sized.taskManagersBefore,
    taskManagersAfter: sized.taskManagersAfter,
  };
  const event: AutoscalerEvent = {
    reason: 'Configuration recommendation',
    type: 'Normal',
    message: recommendationMessage(changes, applied),
    messageKey: 'MemoryTuning',
    dedupeIntervalMs: options.scalingEventIntervalMs,
  };
  return { plan, memoryHistory: stored, configChanges: applied ? changes : emptyConfigChanges(), event };
}
