/**
 * TaskManager memory plan (spec §7, issue "TaskManager memory autotuning"). Java-exact with the
 * operator's `MemoryTuning` when the usage history adds nothing above the metric window, plus:
 * - heap and metaspace are sized from the decaying history of peaks (memory-history.ts);
 * - guards: never below observed usage × (1 + overhead) nor Flink's minimums; no plan without
 *   heap/metaspace metrics; no plan whose configuration Flink would derive differently;
 * - computed on every evaluation; reported as a recommendation when tuning is disabled.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import { formatMemorySize } from '../config/index.ts';
import type {
  AutoscalerEvent,
  ConfigChanges,
  EvaluatedMetric,
  EvaluatedMetrics,
  JobTopology,
  MemoryPlan,
  MemoryPoolName,
  MemoryPoolPlan,
  TaskManagerMemorySpecChange,
  TaskManagerResources,
  VertexId,
} from '../domain/index.ts';
import { applyConfigChanges, emptyConfigChanges, recommendationMessage } from './config-changes.ts';
import { ceilFractionThousandths, formatFractionThousandths } from './java-numbers.ts';
import { MemoryBudget } from './memory-budget.ts';
import {
  type MemoryHistory,
  memoryHistoryParams,
  peakEstimate,
  readMemoryHistory,
  recordPeak,
} from './memory-history.ts';
import { MIN_HEAP_BYTES, MIN_METASPACE_BYTES } from './memory-minimums.ts';
import { applyScaleDownCompensation, scaleDownCompensation } from './memory-scaling.ts';
import { networkMemoryRequirement } from './network-memory.ts';
import {
  deriveTaskManagerMemory,
  memoryConfigWithBudget,
  parseTaskManagerMemory,
  type TaskManagerMemorySpec,
  TM_MEMORY_KEYS,
} from './task-manager-memory-model.ts';
import { InvalidMemoryConfigurationError } from './tuning-errors.ts';

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

const FRACTION_REMOVALS = [
  TM_MEMORY_KEYS.flinkSize,
  TM_MEMORY_KEYS.taskHeap,
  TM_MEMORY_KEYS.managedSize,
  TM_MEMORY_KEYS.managedSizeFallback,
];

const fmt = formatMemorySize;

/** Latest and average of a usage metric when both are usable; NaN fields become undefined. */
function usage(metric: EvaluatedMetric | undefined): { average: number; observedMax: number } | undefined {
  if (!metric) return undefined;
  const values = [metric.average, metric.current].filter((v) => Number.isFinite(v) && v >= 0);
  if (!Number.isFinite(metric.average) || metric.average < 0) return undefined;
  return { average: metric.average, observedMax: Math.max(...values) };
}

/** `(long) (bytes × (1 + overhead))` over `(long) usage`, as the operator computes it. */
function withOverhead(usageBytes: number, overhead: number): number {
  return Math.trunc(Math.trunc(usageBytes) * (1 + overhead));
}

interface SizedPool {
  readonly bytes: number;
  readonly minimumBytes: number;
  readonly why: string;
}

/**
 * Target for heap or metaspace: max(window average, history estimate) × (1 + overhead), floored
 * at observed maximum × (1 + overhead) and the Flink minimum.
 */
function usageTarget(
  label: string,
  metric: { average: number; observedMax: number },
  historyEstimateBytes: number | undefined,
  overhead: number,
  flinkMinimumBytes: number,
): { targetBytes: number; minimumBytes: number; why: string } {
  const fromWindow = withOverhead(metric.average, overhead);
  const fromHistory = historyEstimateBytes === undefined ? 0 : withOverhead(historyEstimateBytes, overhead);
  const observed = withOverhead(metric.observedMax, overhead);
  const minimumBytes = Math.max(observed, flinkMinimumBytes);
  const targetBytes = Math.max(fromWindow, fromHistory, minimumBytes);
  const source =
    targetBytes === fromWindow
      ? `window average ${fmt(Math.trunc(metric.average))}`
      : targetBytes === fromHistory
        ? `history peak estimate ${fmt(historyEstimateBytes ?? 0)} (window average ${fmt(Math.trunc(metric.average))})`
        : targetBytes === observed
          ? `latest usage ${fmt(Math.trunc(metric.observedMax))} (above the window average)`
          : `Flink minimum ${fmt(flinkMinimumBytes)} (usage ${fmt(Math.trunc(metric.observedMax))} is lower)`;
  return {
    targetBytes,
    minimumBytes,
    why: `${label} from ${source} × (1 + overhead ${overhead}) = ${fmt(targetBytes)}`,
  };
}

function skipped(reason: string, memoryHistory: unknown): PlanMemoryResult {
  return { plan: undefined, skippedReason: reason, memoryHistory, configChanges: emptyConfigChanges() };
}

/** Updates the history with this evaluation's observations (when the model is enabled). */
function updateHistory(input: PlanMemoryInput): { stored: unknown; history: MemoryHistory | undefined } {
  const params = memoryHistoryParams(input.options);
  if (!params.enabled) return { stored: input.memoryHistory, history: undefined };
  const previous = readMemoryHistory(input.memoryHistory, params.intervalMs);
  const heap = usage(input.globalMetrics.HEAP_MEMORY_USED);
  const metaspace = usage(input.globalMetrics.METASPACE_MEMORY_USED);
  const history: MemoryHistory = {
    ...previous,
    heap: recordPeak(previous.heap, heap?.observedMax ?? Number.NaN, input.nowMs, params),
    metaspace: recordPeak(previous.metaspace, metaspace?.observedMax ?? Number.NaN, input.nowMs, params),
  };
  return { stored: history, history };
}

/** The new TaskManager memory for the resource spec (spec §7.7: the requests/limits ratio is kept). */
function specChange(
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

/**
 * Computes the TaskManager memory plan of a job (spec §7.1–§7.3, §7.5, §7.7).
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
  const { options } = input;
  const { stored, history } = updateHistory(input);
  const params = memoryHistoryParams(options);

  const budgetBytes = input.taskManager?.memoryBytes ?? options.tmProcessSizeBytes;
  if (budgetBytes === undefined || !(budgetBytes > 0)) {
    return skipped(
      'TaskManager memory unknown: neither the resource spec nor taskmanager.memory.process.size gives it',
      stored,
    );
  }
  let spec: TaskManagerMemorySpec;
  try {
    spec = deriveTaskManagerMemory(memoryConfigWithBudget(options, budgetBytes));
  } catch (error) {
    if (error instanceof InvalidMemoryConfigurationError) {
      return skipped(`current memory configuration is not valid: ${error.message}`, stored);
    }
    throw error;
  }

  const heapUsage = usage(input.globalMetrics.HEAP_MEMORY_USED);
  const metaspaceUsage = usage(input.globalMetrics.METASPACE_MEMORY_USED);
  const missing = [
    heapUsage ? undefined : 'HEAP_MEMORY_USED',
    metaspaceUsage ? undefined : 'METASPACE_MEMORY_USED',
  ].filter((m) => m !== undefined);
  if (!heapUsage || !metaspaceUsage) {
    return skipped(
      `memory metrics missing (${missing.join(', ')}): heap and metaspace cannot be sized`,
      stored,
    );
  }

  const overhead = options.memoryTuningOverhead;
  const budget = new MemoryBudget(budgetBytes);
  // Pools the tuner does not resize are reserved first (spec §7.1).
  const frameworkOffHeap = budget.take(spec.frameworkOffHeapBytes);
  const taskOffHeap = budget.take(spec.taskOffHeapBytes);
  const jvmOverhead = budget.take(spec.jvmOverheadBytes);
  if (
    frameworkOffHeap + taskOffHeap + jvmOverhead <
    spec.frameworkOffHeapBytes + spec.taskOffHeapBytes + spec.jvmOverheadBytes
  ) {
    return skipped(`budget ${fmt(budgetBytes)} does not hold the off-heap and JVM overhead pools`, stored);
  }

  // Network first: a TaskManager without enough buffers does not start (spec §7.2 step 1).
  const network = networkMemoryRequirement(input.topology, input.newParallelism, {
    buffersPerChannel: options.networkBuffersPerChannel,
    floatingBuffersPerGate: options.networkFloatingBuffersPerGate,
    segmentSizeBytes: options.memorySegmentSizeBytes,
    slotsPerTaskManager: options.numberOfTaskSlots,
  });
  const networkBytes = budget.take(network.bytes);
  if (networkBytes < network.bytes) {
    return skipped(
      `budget ${fmt(budgetBytes)} does not hold the network memory ${fmt(network.bytes)}`,
      stored,
    );
  }

  // Metaspace before heap, so metaspace always gets what it needs (operator order).
  const metaspaceTarget = usageTarget(
    'metaspace',
    metaspaceUsage,
    history ? peakEstimate(history.metaspace, input.nowMs, params) : undefined,
    overhead,
    MIN_METASPACE_BYTES,
  );
  const metaspaceBytes = budget.take(metaspaceTarget.targetBytes);
  const heapTarget = usageTarget(
    'heap',
    heapUsage,
    history ? peakEstimate(history.heap, input.nowMs, params) : undefined,
    overhead,
    MIN_HEAP_BYTES,
  );
  let heapBytes = budget.take(heapTarget.targetBytes);
  if (metaspaceBytes < metaspaceTarget.minimumBytes || heapBytes < heapTarget.minimumBytes) {
    return skipped(
      `budget ${fmt(budgetBytes)} is below the observed usage + overhead (metaspace ${fmt(metaspaceTarget.minimumBytes)}, heap ${fmt(heapTarget.minimumBytes)}): memory is not reduced`,
      stored,
    );
  }

  // Managed memory usage is either 0 (no RocksDB) or opaque (RocksDB takes what it gets).
  const managedMetric = input.globalMetrics.MANAGED_MEMORY_USED?.average;
  let managedBytes: number;
  let managedWhy: string;
  if (managedMetric === undefined || !Number.isFinite(managedMetric)) {
    managedBytes = budget.take(spec.managedBytes);
    managedWhy = `usage unknown (MANAGED_MEMORY_USED missing): kept as configured, ${fmt(managedBytes)}`;
  } else if (Math.trunc(managedMetric) <= 0) {
    managedBytes = 0;
    managedWhy = 'unused (MANAGED_MEMORY_USED = 0): released';
  } else if (options.memoryTuningMaximizeManagedMemory) {
    managedBytes = budget.take(Number.POSITIVE_INFINITY);
    managedWhy = `used; maximize-managed-memory gives it everything left: ${fmt(managedBytes)}`;
  } else {
    managedBytes = budget.take(spec.managedBytes);
    managedWhy = `used (${fmt(Math.trunc(managedMetric))}, e.g. RocksDB): kept as configured, ${fmt(managedBytes)}`;
  }

  // Scale-down compensation after all pools are sized (spec §7.5).
  const currentParallelism = Object.fromEntries(input.topology.vertices.map((v) => [v.id, v.parallelism]));
  const compensation = scaleDownCompensation({
    numTaskSlotsUsed: input.globalMetrics.NUM_TASK_SLOTS_USED?.current ?? Number.NaN,
    currentParallelism,
    newParallelism: input.newParallelism,
    slotsPerTaskManager: options.numberOfTaskSlots,
  });
  let heapWhy = heapTarget.why;
  if (options.memoryTuningScaleDownCompensationEnabled && compensation.factor > 1) {
    const before = heapBytes;
    heapBytes = applyScaleDownCompensation(heapBytes, compensation.factor, budget);
    heapWhy += `; scale-down compensation ${compensation.taskManagersBefore} → ${compensation.taskManagersAfter} TaskManagers (× ${compensation.factor.toFixed(3)}): ${fmt(before)} → ${fmt(heapBytes)}`;
  }

  const totalAfterBytes = budgetBytes - budget.remainingBytes;
  const flinkMemoryBytes =
    spec.totalFlinkBytes +
    (heapBytes - spec.jvmHeapBytes) +
    (managedBytes - spec.managedBytes) +
    (networkBytes - spec.networkBytes);
  if (totalAfterBytes <= 0 || flinkMemoryBytes <= 0) {
    return skipped(`invalid total memory ${totalAfterBytes} bytes`, stored);
  }

  const overrides: Record<string, string> = {
    [TM_MEMORY_KEYS.processSize]: fmt(totalAfterBytes),
    // Heap is never set directly: task heap is what the other pools leave (spec §7.3).
    [TM_MEMORY_KEYS.frameworkHeap]: fmt(0),
    [TM_MEMORY_KEYS.managedFraction]: formatFractionThousandths(
      ceilFractionThousandths(managedBytes, flinkMemoryBytes),
    ),
    [TM_MEMORY_KEYS.networkMin]: fmt(networkBytes),
    [TM_MEMORY_KEYS.networkMax]: fmt(networkBytes),
    [TM_MEMORY_KEYS.jvmOverheadFraction]: formatFractionThousandths(
      ceilFractionThousandths(spec.jvmOverheadBytes, totalAfterBytes),
    ),
    [TM_MEMORY_KEYS.jvmMetaspace]: fmt(metaspaceBytes),
  };
  const changes: ConfigChanges = { overrides, removals: [...FRACTION_REMOVALS] };

  // What Flink will actually derive from the new configuration (fractions are rounded up).
  let after: TaskManagerMemorySpec;
  try {
    after = parseTaskManagerMemory(applyConfigChanges(options.flinkConfiguration, changes));
  } catch (error) {
    return skipped(`the planned configuration would not be valid: ${(error as Error).message}`, stored);
  }

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
  const pools: Record<MemoryPoolName, MemoryPoolPlan> = {
    heap: pool(spec.jvmHeapBytes, after.jvmHeapBytes, {
      bytes: heapBytes,
      minimumBytes: heapTarget.minimumBytes,
      why: heapWhy,
    }),
    managed: pool(spec.managedBytes, after.managedBytes, {
      bytes: managedBytes,
      minimumBytes: 0,
      why: managedWhy,
    }),
    network: pool(spec.networkBytes, after.networkBytes, {
      bytes: networkBytes,
      minimumBytes: network.bytes,
      why: `${network.segments} buffers per subtask set at the new parallelism × ${fmt(options.memorySegmentSizeBytes)} × ${options.numberOfTaskSlots} slots = ${fmt(network.bytes)}`,
    }),
    metaspace: pool(spec.jvmMetaspaceBytes, after.jvmMetaspaceBytes, {
      bytes: metaspaceBytes,
      minimumBytes: metaspaceTarget.minimumBytes,
      why: metaspaceTarget.why,
    }),
    jvmOverhead: pool(spec.jvmOverheadBytes, after.jvmOverheadBytes, kept(jvmOverhead, 'JVM overhead')),
    frameworkOffHeap: pool(
      spec.frameworkOffHeapBytes,
      after.frameworkOffHeapBytes,
      kept(frameworkOffHeap, 'framework off-heap'),
    ),
    taskOffHeap: pool(spec.taskOffHeapBytes, after.taskOffHeapBytes, kept(taskOffHeap, 'task off-heap')),
  };

  const applied = options.memoryTuningEnabled;
  const plan: MemoryPlan = {
    pools,
    totalBeforeBytes: budgetBytes,
    totalAfterBytes,
    savingBytes: budgetBytes - totalAfterBytes,
    configChanges: changes,
    taskManagerSpec: specChange(input.taskManager, budgetBytes, totalAfterBytes),
    applied,
    taskManagersBefore: compensation.taskManagersBefore,
    taskManagersAfter: compensation.taskManagersAfter,
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
