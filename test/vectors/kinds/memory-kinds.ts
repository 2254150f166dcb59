/**
 * Memory-tuning vector kinds (docs/algorithm.md §7): network_segments, memory_tuning, memory_scaling,
 * memory_tuning_via_executor (memory_tuning.json) and slot_estimate (executor.json).
 */
import { expect } from 'vitest';
import { parseMemoryBytes, resolveOptions } from '../../../lib/config/index.ts';
import type {
  EvaluatedMetrics,
  EvaluatedVertexMetrics,
  JobTopology,
  ShipStrategy,
  VertexId,
} from '../../../lib/domain/index.ts';
import { emptyJobState } from '../../../lib/domain/index.ts';
import { executeScaling } from '../../../lib/decide/execute-scaling.ts';
import { MemoryBudget } from '../../../lib/tune/memory-budget.ts';
import { applyScaleDownCompensation, scaleDownCompensation } from '../../../lib/tune/memory-scaling.ts';
import { networkSegmentsPerGate } from '../../../lib/tune/network-memory.ts';
import { planMemory } from '../../../lib/tune/plan-memory.ts';
import { estimateSlotsAfterRescale } from '../../../lib/tune/slot-estimate.ts';
import { type KindHandler, type VectorCase, vectorConfig, vectorNumber } from '../vector-format.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form vector JSON
type Json = any;

const FALLBACK_PLACEHOLDER = '<fallback key of taskmanager.memory.managed.size>';
/** Flink's deprecated fallback key of `taskmanager.memory.managed.size`. */
const MANAGED_SIZE_FALLBACK_KEY = 'taskmanager.memory.size';

function optionsFrom(config: Record<string, unknown> | undefined) {
  return resolveOptions(vectorConfig(config)).options;
}

/** README "Topology" → JobTopology (vertices in the JSON's order: sources come first there). */
function topologyFrom(topology: Json): JobTopology {
  return {
    jobId: 'job',
    jobRunningTsMs: 0,
    vertices: Object.entries(topology as Record<string, Json>).map(([id, v]) => ({
      id,
      parallelism: v.parallelism,
      maxParallelism: v.max_parallelism,
      inputs: Object.entries(v.inputs as Record<string, string>).map(([input, ship]) => ({
        id: input,
        shipStrategy: ship as ShipStrategy,
      })),
      finished: false,
      numSourcePartitions: 0,
    })),
  };
}

/** Window averages only: the latest value equals the average, so no extra peak is observed. */
function globalFrom(
  avg: Record<string, number>,
  slotsUsed: number | null | undefined,
): EvaluatedMetrics['global'] {
  const both = (value: number | undefined) => ({
    current: vectorNumber(value),
    average: vectorNumber(value),
  });
  return {
    HEAP_MEMORY_USED: both(avg.HEAP_MEMORY_USED),
    MANAGED_MEMORY_USED: both(avg.MANAGED_MEMORY_USED),
    METASPACE_MEMORY_USED: both(avg.METASPACE_MEMORY_USED),
    NUM_TASK_SLOTS_USED: both(slotsUsed ?? undefined),
  };
}

function expectRemovals(actual: readonly string[], expected: readonly string[]): void {
  const wanted = expected.map((key) => (key === FALLBACK_PLACEHOLDER ? MANAGED_SIZE_FALLBACK_KEY : key));
  expect([...actual].sort()).toEqual([...wanted].sort());
}

/** The inputs of a memory_tuning vector, resolving "same as previous vector but …" notes. */
function memoryTuningInputs(vector: VectorCase, all: readonly VectorCase[], index: number): Json {
  if (vector.inputs.config) return vector.inputs;
  const note = String(vector.inputs.note ?? '');
  const previous = all[index - 1];
  if (!previous || !/previous vector/.test(note)) throw new Error(`unsupported memory_tuning note: ${note}`);
  const base = memoryTuningInputs(previous, all, index - 1);
  const override = /job\.autoscaler\.memory\.tuning\.enabled=false/.test(note)
    ? { 'job.autoscaler.memory.tuning.enabled': false }
    : undefined;
  if (!override) throw new Error(`unsupported memory_tuning note: ${note}`);
  return { ...base, config: { ...base.config, ...override } };
}

const networkSegments: KindHandler = ({ inputs, expected }) => {
  expect(
    networkSegmentsPerGate(
      inputs.current_vertex_parallelism,
      inputs.connected_vertex_parallelism,
      inputs.ship_strategy,
      inputs.buffers_per_channel,
      inputs.floating_buffers_per_gate,
    ),
  ).toBe(expected.segments);
};

const memoryTuning: KindHandler = (vector, { all, index }) => {
  const inputs = memoryTuningInputs(vector, all, index);
  const { expected } = vector;
  const options = optionsFrom(inputs.config);
  const newParallelism: Record<VertexId, number> = {};
  for (const [id, summary] of Object.entries(inputs.scaling_summaries as Record<string, Json>)) {
    newParallelism[id] = summary.new;
  }
  const result = planMemory({
    options,
    topology: topologyFrom(inputs.topology),
    newParallelism,
    globalMetrics: globalFrom(inputs.global_metrics_avg, inputs.NUM_TASK_SLOTS_USED),
    memoryHistory: undefined,
    nowMs: 0,
  });
  expect(result.skippedReason).toBeUndefined();
  expect(result.configChanges.overrides).toEqual(expected.overrides);
  if (expected.removals) expectRemovals(result.configChanges.removals, expected.removals);
  if (expected.event_message_prefix) {
    expect(result.event?.message.startsWith(expected.event_message_prefix)).toBe(true);
    expect(result.event?.messageKey).toBe('MemoryTuning');
  }
  const derived = vector.derived ?? {};
  const pools = result.plan?.pools;
  if (derived.network_bytes !== undefined) expect(pools?.network.plannedBytes).toBe(derived.network_bytes);
  if (derived.metaspace_bytes !== undefined)
    expect(pools?.metaspace.plannedBytes).toBe(derived.metaspace_bytes);
  if (derived.heap_bytes !== undefined) expect(pools?.heap.plannedBytes).toBe(derived.heap_bytes);
  if (derived.managed_bytes !== undefined) expect(pools?.managed.plannedBytes).toBe(derived.managed_bytes);
};

const memoryScaling: KindHandler = ({ inputs, expected }) => {
  const options = optionsFrom(inputs.config);
  const budget = new MemoryBudget(parseMemoryBytes(inputs.budget_remaining));
  const heapBytes = parseMemoryBytes(inputs.current_memory);
  let scaled = heapBytes;
  if (options.memoryTuningScaleDownCompensationEnabled) {
    const vertices = (inputs.vertices ?? {}) as Record<string, Json>;
    const compensation = scaleDownCompensation({
      numTaskSlotsUsed: vectorNumber(inputs.NUM_TASK_SLOTS_USED),
      currentParallelism: Object.fromEntries(Object.entries(vertices).map(([id, v]) => [id, v.parallelism])),
      newParallelism: Object.fromEntries(Object.entries(vertices).map(([id, v]) => [id, v.new_parallelism])),
      slotsPerTaskManager: options.numberOfTaskSlots,
    });
    scaled = applyScaleDownCompensation(heapBytes, compensation.factor, budget);
  }
  expect(scaled).toBe(parseMemoryBytes(expected.scaled_memory));
};

const slotEstimate: KindHandler = ({ inputs, expected }) => {
  expect(estimateSlotsAfterRescale(inputs.current, inputs.new, inputs.num_task_slots_used)).toBe(
    expected.slots_after,
  );
};

/**
 * Full path: the executor decides the parallelism (docs/algorithm.md §5.1), then the memory plan is computed
 * at the new parallelism (§7) with the executor's summaries, as decide() does.
 */
function runViaExecutor(inputs: Json, tuningEnabled: boolean) {
  const options = optionsFrom({ ...inputs.config, 'job.autoscaler.memory.tuning.enabled': tuningEnabled });
  const topology = topologyFrom(inputs.topology);
  const state = inputs.vertex_metrics;
  const both = (value: unknown) => ({ current: vectorNumber(value), average: vectorNumber(value) });
  const vertexMetrics: EvaluatedVertexMetrics = {
    PARALLELISM: both(state.parallelism),
    MAX_PARALLELISM: both(state.max_parallelism),
    NUM_SOURCE_PARTITIONS: both(state.num_source_partitions),
    TARGET_DATA_RATE: both(state.target_data_rate_avg),
    CATCH_UP_DATA_RATE: both(state.catch_up_data_rate_current),
    TRUE_PROCESSING_RATE: both(state.true_processing_rate_avg),
  };
  const g = inputs.global_metrics;
  const global: EvaluatedMetrics['global'] = {
    ...globalFrom(
      {
        HEAP_MEMORY_USED: g.HEAP_MEMORY_USED_avg,
        MANAGED_MEMORY_USED: g.MANAGED_MEMORY_USED_avg,
        METASPACE_MEMORY_USED: g.METASPACE_MEMORY_USED_avg,
      },
      g.NUM_TASK_SLOTS_USED,
    ),
    ...(g.GC_PRESSURE === null ? {} : { GC_PRESSURE: both(g.GC_PRESSURE) }),
    ...(g.HEAP_MAX_USAGE_RATIO === null ? {} : { HEAP_MAX_USAGE_RATIO: both(g.HEAP_MAX_USAGE_RATIO) }),
  };
  const evaluated: EvaluatedMetrics = {
    vertices: Object.fromEntries(topology.vertices.map((v) => [v.id, vertexMetrics])),
    global,
    processingBacklog: false,
  };
  const taskManager = { cpu: inputs.context_tm_cpu, memoryBytes: parseMemoryBytes(inputs.context_tm_memory) };
  const state0 = emptyJobState();
  const execution = executeScaling({
    options,
    topology,
    evaluated,
    scalingHistory: state0.scalingHistory,
    delayedScaleDown: state0.delayedScaleDown,
    restartTimeMs: options.restartTimeMs,
    nowMs: 0,
    taskManager,
  });
  const newParallelism = Object.fromEntries(
    Object.entries(execution.summaries).map(([id, change]) => [id, change.newParallelism]),
  );
  const memory = planMemory({
    options,
    topology,
    newParallelism,
    globalMetrics: global,
    memoryHistory: undefined,
    taskManager,
    nowMs: 0,
  });
  return { execution, newParallelism, memory };
}

const memoryTuningViaExecutor: KindHandler = ({ inputs, expected }) => {
  const enabled = runViaExecutor(inputs, true);
  expect(enabled.execution.action === 'scale').toBe(expected.scaled);
  expect(enabled.newParallelism).toEqual(expected.new_parallelism);
  expect(enabled.memory.configChanges.overrides).toEqual(expected.overrides);
  const disabled = runViaExecutor(inputs, false);
  expect(disabled.memory.configChanges.overrides).toEqual(expected.overrides_when_tuning_disabled);
};

/** Vector kinds owned by this module's area; see ../../../../shared/vectors/README.md. */
export const memoryKinds: Record<string, KindHandler> = {
  network_segments: networkSegments,
  memory_tuning: memoryTuning,
  memory_scaling: memoryScaling,
  memory_tuning_via_executor: memoryTuningViaExecutor,
  slot_estimate: slotEstimate,
};
