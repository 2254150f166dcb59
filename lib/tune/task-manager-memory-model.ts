/**
 * Flink 1.20's TaskManager memory model (Flink `ProcessMemoryUtils` + `TaskExecutorFlinkMemoryUtils`,
 * as the operator's tuner configures them, docs/algorithm.md §7.1): from the `taskmanager.memory.*` options to
 * the size of every pool in bytes. This is also the parser the tests use to check that a plan's
 * configuration yields the planned sizes.
 *
 * Layout (all bytes):
 *
 *     process   = totalFlink + metaspace + jvmOverhead
 *     totalFlink = frameworkHeap + taskHeap + frameworkOffHeap + taskOffHeap + managed + network
 *     jvmHeap   = frameworkHeap + taskHeap
 *
 * Which pools are derived depends on what is set, in Flink's order of precedence:
 * 1. task heap AND managed size set ("required fine-grained options") → network is the rest of
 *    total Flink memory if that is set, else derived by inverse fraction;
 * 2. else total Flink memory set → managed/network by fraction, task heap is the rest;
 * 3. else process size set → metaspace as configured, JVM overhead by fraction of the process,
 *    total Flink is the rest, then as 2.
 * Fractions are Java floats (0.4f ⇒ managed = 12 348 031 160 B of 30 GiB process memory).
 */
import type { AutoscalerOptions, AutoscalerOptionValues } from '../config/index.ts';
import { formatMemorySize, resolveOptions } from '../config/index.ts';
import { javaFloat, multiplyBytes } from './java-numbers.ts';
import { InvalidMemoryConfigurationError } from './tuning-errors.ts';

/** Flink's keys of the memory options, for error messages and produced configuration. */
export const TM_MEMORY_KEYS = {
  processSize: 'taskmanager.memory.process.size',
  flinkSize: 'taskmanager.memory.flink.size',
  taskHeap: 'taskmanager.memory.task.heap.size',
  managedSize: 'taskmanager.memory.managed.size',
  /** Deprecated fallback key of `managed.size` (Flink `TaskManagerOptions.MANAGED_MEMORY_SIZE`). */
  managedSizeFallback: 'taskmanager.memory.size',
  managedFraction: 'taskmanager.memory.managed.fraction',
  networkMin: 'taskmanager.memory.network.min',
  networkMax: 'taskmanager.memory.network.max',
  networkFraction: 'taskmanager.memory.network.fraction',
  jvmMetaspace: 'taskmanager.memory.jvm-metaspace.size',
  jvmOverheadFraction: 'taskmanager.memory.jvm-overhead.fraction',
  jvmOverheadMin: 'taskmanager.memory.jvm-overhead.min',
  jvmOverheadMax: 'taskmanager.memory.jvm-overhead.max',
  frameworkHeap: 'taskmanager.memory.framework.heap.size',
  frameworkOffHeap: 'taskmanager.memory.framework.off-heap.size',
  taskOffHeap: 'taskmanager.memory.task.off-heap.size',
} as const;

/** The memory options the model reads; sizes in bytes, fractions as configured (0..1). */
export type TaskManagerMemoryConfig = Pick<
  AutoscalerOptionValues,
  | 'tmProcessSizeBytes'
  | 'tmFlinkSizeBytes'
  | 'tmTaskHeapBytes'
  | 'tmManagedSizeBytes'
  | 'tmManagedFraction'
  | 'tmNetworkMinBytes'
  | 'tmNetworkMaxBytes'
  | 'tmNetworkFraction'
  | 'tmJvmMetaspaceBytes'
  | 'tmJvmOverheadFraction'
  | 'tmJvmOverheadMinBytes'
  | 'tmJvmOverheadMaxBytes'
  | 'tmFrameworkHeapBytes'
  | 'tmFrameworkOffHeapBytes'
  | 'tmTaskOffHeapBytes'
>;

/** Every pool of a TaskManager in bytes (Flink `CommonProcessMemorySpec<TaskExecutorFlinkMemory>`). */
export interface TaskManagerMemorySpec extends FlinkPools {
  readonly jvmMetaspaceBytes: number;
  readonly jvmOverheadBytes: number;
  /** frameworkHeap + taskHeap. */
  readonly jvmHeapBytes: number;
  /** Sum of the six Flink pools. */
  readonly totalFlinkBytes: number;
  /** totalFlink + metaspace + JVM overhead. */
  readonly totalProcessBytes: number;
}

interface RangeFraction {
  readonly minBytes: number;
  readonly maxBytes: number;
  /** The float option widened to double. */
  readonly fraction: number;
}

const fmt = formatMemorySize;

function rangeFraction(
  keys: { min: string; max: string; fraction: string },
  minBytes: number,
  maxBytes: number,
  configuredFraction: number,
): RangeFraction {
  const fraction = javaFloat(configuredFraction);
  if (!(fraction >= 0 && fraction < 1)) {
    throw new InvalidMemoryConfigurationError(
      keys.fraction,
      String(configuredFraction),
      'a fraction ≥ 0 and < 1',
    );
  }
  if (maxBytes < minBytes) {
    throw new InvalidMemoryConfigurationError(
      `${keys.min} + ${keys.max}`,
      `${fmt(minBytes)} > ${fmt(maxBytes)}`,
      `a minimum not above the maximum`,
    );
  }
  return { minBytes, maxBytes, fraction };
}

function capToRange(bytes: number, range: RangeFraction): number {
  return Math.min(range.maxBytes, Math.max(range.minBytes, bytes));
}

/** Flink `deriveWithFraction`: base × fraction, capped to [min, max]. */
function withFraction(baseBytes: number, range: RangeFraction): number {
  return capToRange(multiplyBytes(baseBytes, range.fraction), range);
}

/** Flink `deriveWithInverseFraction`: the size that is `fraction` of (base + size), capped. */
function withInverseFraction(baseBytes: number, range: RangeFraction): number {
  return capToRange(multiplyBytes(baseBytes, range.fraction / (1 - range.fraction)), range);
}

function networkRange(config: TaskManagerMemoryConfig): RangeFraction {
  return rangeFraction(
    {
      min: TM_MEMORY_KEYS.networkMin,
      max: TM_MEMORY_KEYS.networkMax,
      fraction: TM_MEMORY_KEYS.networkFraction,
    },
    config.tmNetworkMinBytes,
    config.tmNetworkMaxBytes,
    config.tmNetworkFraction,
  );
}

function overheadRange(config: TaskManagerMemoryConfig): RangeFraction {
  return rangeFraction(
    {
      min: TM_MEMORY_KEYS.jvmOverheadMin,
      max: TM_MEMORY_KEYS.jvmOverheadMax,
      fraction: TM_MEMORY_KEYS.jvmOverheadFraction,
    },
    config.tmJvmOverheadMinBytes,
    config.tmJvmOverheadMaxBytes,
    config.tmJvmOverheadFraction,
  );
}

function managedAbsoluteOrFraction(config: TaskManagerMemoryConfig, totalFlinkBytes: number): number {
  if (config.tmManagedSizeBytes !== undefined) return config.tmManagedSizeBytes;
  const range = rangeFraction(
    {
      min: TM_MEMORY_KEYS.managedSize,
      max: TM_MEMORY_KEYS.managedSize,
      fraction: TM_MEMORY_KEYS.managedFraction,
    },
    0,
    Number.MAX_SAFE_INTEGER,
    config.tmManagedFraction,
  );
  return withFraction(totalFlinkBytes, range);
}

/** A derived network size must lie in the configured range (Flink's sanity check). */
function checkNetworkInRange(networkBytes: number, config: TaskManagerMemoryConfig): void {
  const range = networkRange(config);
  if (networkBytes < range.minBytes || networkBytes > range.maxBytes) {
    throw new InvalidMemoryConfigurationError(
      `${TM_MEMORY_KEYS.networkMin} + ${TM_MEMORY_KEYS.networkMax}`,
      `derived network memory ${fmt(networkBytes)}`,
      `network memory within [${fmt(range.minBytes)}, ${fmt(range.maxBytes)}]: adjust the total Flink memory, task heap or managed size`,
    );
  }
}

/** The six pools that make up Flink's total memory, bytes. */
export interface FlinkPools {
  readonly frameworkHeapBytes: number;
  readonly taskHeapBytes: number;
  readonly frameworkOffHeapBytes: number;
  readonly taskOffHeapBytes: number;
  readonly managedBytes: number;
  readonly networkBytes: number;
}

function sumFlink(p: FlinkPools): number {
  return (
    p.frameworkHeapBytes +
    p.taskHeapBytes +
    p.frameworkOffHeapBytes +
    p.taskOffHeapBytes +
    p.managedBytes +
    p.networkBytes
  );
}

/** Case 1: task heap and managed memory both set. */
function flinkFromFineGrained(
  config: TaskManagerMemoryConfig,
  taskHeapBytes: number,
  managedBytes: number,
): FlinkPools {
  const fixed = {
    frameworkHeapBytes: config.tmFrameworkHeapBytes,
    taskHeapBytes,
    frameworkOffHeapBytes: config.tmFrameworkOffHeapBytes,
    taskOffHeapBytes: config.tmTaskOffHeapBytes,
    managedBytes,
  };
  const withoutNetwork = sumFlink({ ...fixed, networkBytes: 0 });
  if (config.tmFlinkSizeBytes !== undefined) {
    if (withoutNetwork > config.tmFlinkSizeBytes) {
      throw new InvalidMemoryConfigurationError(
        TM_MEMORY_KEYS.flinkSize,
        fmt(config.tmFlinkSizeBytes),
        `at least the framework heap + task heap + framework off-heap + task off-heap + managed memory (${fmt(withoutNetwork)})`,
      );
    }
    const networkBytes = config.tmFlinkSizeBytes - withoutNetwork;
    checkNetworkInRange(networkBytes, config);
    return { ...fixed, networkBytes };
  }
  return { ...fixed, networkBytes: withInverseFraction(withoutNetwork, networkRange(config)) };
}

/** Case 2: total Flink memory known; managed and network by fraction, task heap the rest. */
function flinkFromTotal(config: TaskManagerMemoryConfig, totalFlinkBytes: number): FlinkPools {
  const managedBytes = managedAbsoluteOrFraction(config, totalFlinkBytes);
  const base = {
    frameworkHeapBytes: config.tmFrameworkHeapBytes,
    frameworkOffHeapBytes: config.tmFrameworkOffHeapBytes,
    taskOffHeapBytes: config.tmTaskOffHeapBytes,
    managedBytes,
  };
  if (config.tmTaskHeapBytes !== undefined) {
    const withoutNetwork = sumFlink({ ...base, taskHeapBytes: config.tmTaskHeapBytes, networkBytes: 0 });
    if (withoutNetwork > totalFlinkBytes) {
      throw new InvalidMemoryConfigurationError(
        TM_MEMORY_KEYS.taskHeap,
        fmt(config.tmTaskHeapBytes),
        `a task heap that leaves room for the other pools in the total Flink memory (${fmt(totalFlinkBytes)})`,
      );
    }
    const networkBytes = totalFlinkBytes - withoutNetwork;
    checkNetworkInRange(networkBytes, config);
    return { ...base, taskHeapBytes: config.tmTaskHeapBytes, networkBytes };
  }
  const networkBytes = withFraction(totalFlinkBytes, networkRange(config));
  const withoutTaskHeap = sumFlink({ ...base, taskHeapBytes: 0, networkBytes });
  if (withoutTaskHeap > totalFlinkBytes) {
    throw new InvalidMemoryConfigurationError(
      config.tmFlinkSizeBytes !== undefined ? TM_MEMORY_KEYS.flinkSize : TM_MEMORY_KEYS.processSize,
      fmt(config.tmFlinkSizeBytes ?? config.tmProcessSizeBytes ?? totalFlinkBytes),
      `a size whose Flink memory (${fmt(totalFlinkBytes)}) holds framework heap, framework and task off-heap, managed and network memory (${fmt(withoutTaskHeap)})`,
    );
  }
  return { ...base, taskHeapBytes: totalFlinkBytes - withoutTaskHeap, networkBytes };
}

/** Metaspace and overhead once total Flink memory is known (cases 1 and 2). */
function metaspaceAndOverhead(
  config: TaskManagerMemoryConfig,
  totalFlinkBytes: number,
): { jvmMetaspaceBytes: number; jvmOverheadBytes: number } {
  const jvmMetaspaceBytes = config.tmJvmMetaspaceBytes;
  const flinkAndMetaspace = totalFlinkBytes + jvmMetaspaceBytes;
  const range = overheadRange(config);
  if (config.tmProcessSizeBytes === undefined) {
    return { jvmMetaspaceBytes, jvmOverheadBytes: withInverseFraction(flinkAndMetaspace, range) };
  }
  const jvmOverheadBytes = config.tmProcessSizeBytes - flinkAndMetaspace;
  if (jvmOverheadBytes < range.minBytes || jvmOverheadBytes > range.maxBytes) {
    throw new InvalidMemoryConfigurationError(
      TM_MEMORY_KEYS.processSize,
      fmt(config.tmProcessSizeBytes),
      `a process size leaving a JVM overhead within [${fmt(range.minBytes)}, ${fmt(range.maxBytes)}] after total Flink memory ${fmt(totalFlinkBytes)} and metaspace ${fmt(jvmMetaspaceBytes)}`,
    );
  }
  return { jvmMetaspaceBytes, jvmOverheadBytes };
}

function toSpec(
  pools: FlinkPools,
  jvm: { jvmMetaspaceBytes: number; jvmOverheadBytes: number },
): TaskManagerMemorySpec {
  const totalFlinkBytes = sumFlink(pools);
  return {
    ...pools,
    ...jvm,
    jvmHeapBytes: pools.frameworkHeapBytes + pools.taskHeapBytes,
    totalFlinkBytes,
    totalProcessBytes: totalFlinkBytes + jvm.jvmMetaspaceBytes + jvm.jvmOverheadBytes,
  };
}

/**
 * Derives every TaskManager memory pool from the memory options, as Flink 1.20 does when it
 * starts a TaskManager. Throws {@link InvalidMemoryConfigurationError} for a configuration Flink
 * would reject (sizes that do not add up, fractions outside [0, 1), min > max, none of process
 * size / Flink size / task heap + managed set).
 */
export function deriveTaskManagerMemory(config: TaskManagerMemoryConfig): TaskManagerMemorySpec {
  if (config.tmTaskHeapBytes !== undefined && config.tmManagedSizeBytes !== undefined) {
    const pools = flinkFromFineGrained(config, config.tmTaskHeapBytes, config.tmManagedSizeBytes);
    return toSpec(pools, metaspaceAndOverhead(config, sumFlink(pools)));
  }
  if (config.tmFlinkSizeBytes !== undefined) {
    const pools = flinkFromTotal(config, config.tmFlinkSizeBytes);
    return toSpec(pools, metaspaceAndOverhead(config, config.tmFlinkSizeBytes));
  }
  if (config.tmProcessSizeBytes !== undefined) {
    const processBytes = config.tmProcessSizeBytes;
    const jvmMetaspaceBytes = config.tmJvmMetaspaceBytes;
    const jvmOverheadBytes = withFraction(processBytes, overheadRange(config));
    if (jvmMetaspaceBytes + jvmOverheadBytes > processBytes) {
      throw new InvalidMemoryConfigurationError(
        TM_MEMORY_KEYS.processSize,
        fmt(processBytes),
        `more than JVM metaspace ${fmt(jvmMetaspaceBytes)} + JVM overhead ${fmt(jvmOverheadBytes)}`,
      );
    }
    const pools = flinkFromTotal(config, processBytes - jvmMetaspaceBytes - jvmOverheadBytes);
    return toSpec(pools, { jvmMetaspaceBytes, jvmOverheadBytes });
  }
  throw new InvalidMemoryConfigurationError(
    `${TM_MEMORY_KEYS.processSize} | ${TM_MEMORY_KEYS.flinkSize} | ${TM_MEMORY_KEYS.taskHeap} + ${TM_MEMORY_KEYS.managedSize}`,
    'none set',
    'one of: the process size, the total Flink memory, or both task heap and managed size',
  );
}

/**
 * Parses a flat Flink configuration (`key → string`) and derives the TaskManager memory from it.
 * Keys are read with the project's option parser (units, deprecated keys) so this is the same
 * path a user's `flinkConfiguration` takes.
 */
export function parseTaskManagerMemory(
  flinkConfiguration: Readonly<Record<string, string>>,
): TaskManagerMemorySpec {
  return deriveTaskManagerMemory(resolveOptions(flinkConfiguration).options);
}

/**
 * The memory configuration in effect for the operator's tuner: the resolved options, but with
 * the budget (the resource's TaskManager memory) as process size when the configuration has
 * none. The operator deploys `spec.taskManager.resource.memory` as `taskmanager.memory.process.size`
 * (docs/algorithm.md §7.7), so the two agree on a deployed job.
 */
export function memoryConfigWithBudget(
  options: AutoscalerOptions,
  budgetBytes: number | undefined,
): TaskManagerMemoryConfig {
  if (options.tmProcessSizeBytes !== undefined || budgetBytes === undefined) return options;
  // Flink only falls back to the process size when neither Flink size nor heap+managed is set.
  return { ...options, tmProcessSizeBytes: budgetBytes };
}
