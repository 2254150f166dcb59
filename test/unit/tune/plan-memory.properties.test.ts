/**
 * Properties of the memory plan (issue "TaskManager memory autotuning"): pools sum to the process
 * size, the plan never exceeds the budget, every pool is at least its minimum, and the produced
 * configuration parses back through our own memory model to the planned sizes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import type { JobTopology, ShipStrategy } from '../../../lib/domain/index.ts';
import { MEMORY_POOL_NAMES } from '../../../lib/domain/index.ts';
import { applyConfigChanges } from '../../../lib/tune/config-changes.ts';
import { MIN_HEAP_BYTES, MIN_METASPACE_BYTES } from '../../../lib/tune/memory-minimums.ts';
import { planMemory } from '../../../lib/tune/plan-memory.ts';
import { parseTaskManagerMemory } from '../../../lib/tune/task-manager-memory-model.ts';

const MIB = 1024 * 1024;
const SHIPS: ShipStrategy[] = ['HASH', 'REBALANCE', 'RESCALE', 'FORWARD'];

const scenario = fc.record({
  processMib: fc.integer({ min: 1024, max: 64 * 1024 }),
  slots: fc.integer({ min: 1, max: 8 }),
  edges: fc.array(fc.record({ ship: fc.constantFrom(...SHIPS), p: fc.integer({ min: 1, max: 64 }) }), {
    minLength: 0,
    maxLength: 4,
  }),
  sourceP: fc.integer({ min: 1, max: 64 }),
  newP: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 5, maxLength: 5 }),
  heapUsedMib: fc.integer({ min: 0, max: 40 * 1024 }),
  heapCurrentExtraMib: fc.integer({ min: 0, max: 2048 }),
  metaspaceUsedMib: fc.integer({ min: 0, max: 512 }),
  managedUsed: fc.constantFrom(0, 1, 512 * MIB),
  maximize: fc.boolean(),
  compensation: fc.boolean(),
  slotsUsed: fc.integer({ min: 0, max: 200 }),
  overhead: fc.double({ min: 0, max: 1, noNaN: true }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario) {
  const vertices = [
    {
      id: 'v0',
      parallelism: s.sourceP,
      maxParallelism: 128,
      inputs: [],
      finished: false,
      numSourcePartitions: 0,
    },
    ...s.edges.map((e, i) => ({
      id: `v${i + 1}`,
      parallelism: e.p,
      maxParallelism: 128,
      inputs: [{ id: `v${i}`, shipStrategy: e.ship }],
      finished: false,
      numSourcePartitions: 0,
    })),
  ];
  const topology: JobTopology = { jobId: 'j', jobRunningTsMs: 0, vertices };
  const options = resolveOptions({
    'taskmanager.memory.process.size': `${s.processMib}m`,
    'taskmanager.numberOfTaskSlots': String(s.slots),
    'job.autoscaler.memory.tuning.enabled': 'true',
    'job.autoscaler.memory.tuning.overhead': String(s.overhead),
    'job.autoscaler.memory.tuning.maximize-managed-memory': String(s.maximize),
    'job.autoscaler.memory.tuning.scale-down-compensation.enabled': String(s.compensation),
  }).options;
  const heap = s.heapUsedMib * MIB;
  const result = planMemory({
    options,
    topology,
    newParallelism: Object.fromEntries(vertices.map((v, i) => [v.id, s.newP[i]!])),
    globalMetrics: {
      HEAP_MEMORY_USED: { current: heap + s.heapCurrentExtraMib * MIB, average: heap },
      METASPACE_MEMORY_USED: { current: s.metaspaceUsedMib * MIB, average: s.metaspaceUsedMib * MIB },
      MANAGED_MEMORY_USED: { current: s.managedUsed, average: s.managedUsed },
      NUM_TASK_SLOTS_USED: { current: s.slotsUsed, average: s.slotsUsed },
    },
    memoryHistory: undefined,
    nowMs: 0,
  });
  return { result, options, budgetBytes: s.processMib * MIB };
}

describe('planMemory properties', () => {
  it('planned pools sum to the process size, which never exceeds the budget', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { result, budgetBytes } = run(s);
        if (!result.plan) return;
        const plan = result.plan;
        const planned = MEMORY_POOL_NAMES.reduce((sum, p) => sum + plan.pools[p].plannedBytes, 0);
        expect(planned).toBe(plan.totalAfterBytes);
        expect(plan.totalAfterBytes).toBeLessThanOrEqual(budgetBytes);
        expect(plan.savingBytes).toBe(budgetBytes - plan.totalAfterBytes);
      }),
      { numRuns: 300 },
    );
  });

  it('gives every pool at least its minimum (usage + overhead, Flink floors, topology buffers)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { result } = run(s);
        if (!result.plan) {
          expect(result.skippedReason).toBeTruthy();
          return;
        }
        const { pools } = result.plan;
        for (const name of MEMORY_POOL_NAMES) {
          expect(pools[name].plannedBytes).toBeGreaterThanOrEqual(pools[name].minimumBytes);
        }
        // heap ≥ observed maximum (the latest value) × (1 + overhead)
        const observedHeap = (s.heapUsedMib + s.heapCurrentExtraMib) * MIB;
        expect(pools.heap.plannedBytes).toBeGreaterThanOrEqual(Math.trunc(observedHeap * (1 + s.overhead)));
        expect(pools.heap.plannedBytes).toBeGreaterThanOrEqual(MIN_HEAP_BYTES);
        expect(pools.metaspace.plannedBytes).toBeGreaterThanOrEqual(MIN_METASPACE_BYTES);
      }),
      { numRuns: 300 },
    );
  });

  it('produces a configuration our memory model parses back to the planned sizes', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { result, options } = run(s);
        if (!result.plan) return;
        const plan = result.plan;
        const parsed = parseTaskManagerMemory(
          applyConfigChanges(options.flinkConfiguration, plan.configChanges),
        );
        // exact: process size, network, metaspace, off-heap pools; framework heap is folded into task heap
        expect(parsed.totalProcessBytes).toBe(plan.totalAfterBytes);
        expect(parsed.networkBytes).toBe(plan.pools.network.plannedBytes);
        expect(parsed.jvmMetaspaceBytes).toBe(plan.pools.metaspace.plannedBytes);
        expect(parsed.frameworkOffHeapBytes).toBe(plan.pools.frameworkOffHeap.plannedBytes);
        expect(parsed.taskOffHeapBytes).toBe(plan.pools.taskOffHeap.plannedBytes);
        expect(parsed.frameworkHeapBytes).toBe(0);
        // fraction pools: the operator's fractions are rounded UP to 3 decimals, so JVM overhead
        // and managed memory may grow by ≤ 0.1 % of their base (plus the float's own rounding),
        // taken from heap
        const tolerance = Math.ceil(plan.totalAfterBytes * 0.0011) + 2;
        expect(parsed.jvmOverheadBytes).toBeGreaterThanOrEqual(plan.pools.jvmOverhead.plannedBytes);
        expect(parsed.jvmOverheadBytes - plan.pools.jvmOverhead.plannedBytes).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(parsed.managedBytes - plan.pools.managed.plannedBytes)).toBeLessThanOrEqual(
          2 * tolerance,
        );
        expect(plan.pools.heap.plannedBytes - parsed.jvmHeapBytes).toBeLessThanOrEqual(3 * tolerance);
        // the plan reports what Flink will derive
        expect(plan.pools.heap.afterBytes).toBe(parsed.jvmHeapBytes);
        expect(plan.pools.managed.afterBytes).toBe(parsed.managedBytes);
      }),
      { numRuns: 300 },
    );
  });

  it('produces plans for most realistic inputs (the properties are not vacuous)', () => {
    const samples = fc.sample(scenario, { numRuns: 200, seed: 42 });
    const planned = samples.filter((s) => run(s).result.plan !== undefined).length;
    expect(planned).toBeGreaterThan(50);
  });
});
