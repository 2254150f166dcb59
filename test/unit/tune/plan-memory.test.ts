import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import type { EvaluatedMetrics, JobTopology } from '../../../lib/domain/index.ts';
import { MEMORY_POOL_NAMES } from '../../../lib/domain/index.ts';
import { type PlanMemoryInput, planMemory } from '../../../lib/tune/plan-memory.ts';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const DAY = 86_400_000;

/** The worked example of docs/algorithm.md §7.4: 30 GiB, 5 slots, v1 → v2 REBALANCE, 50/50 → 25/10. */
const topology: JobTopology = {
  jobId: 'j',
  jobRunningTsMs: 0,
  vertices: [
    { id: 'v1', parallelism: 50, maxParallelism: 1000, inputs: [], finished: false, numSourcePartitions: 0 },
    {
      id: 'v2',
      parallelism: 50,
      maxParallelism: 1000,
      inputs: [{ id: 'v1', shipStrategy: 'REBALANCE' }],
      finished: false,
      numSourcePartitions: 0,
    },
  ],
};

const both = (value: number) => ({ current: value, average: value });

function globals(
  overrides: Partial<Record<string, { current: number; average: number }>> = {},
): EvaluatedMetrics['global'] {
  return {
    HEAP_MEMORY_USED: both(5096 * MIB),
    MANAGED_MEMORY_USED: both(10_000 * MIB),
    METASPACE_MEMORY_USED: both(100 * MIB),
    NUM_TASK_SLOTS_USED: both(50),
    ...overrides,
  } as EvaluatedMetrics['global'];
}

function input(config: Record<string, string> = {}, extra: Partial<PlanMemoryInput> = {}): PlanMemoryInput {
  return {
    options: resolveOptions({
      'taskmanager.memory.process.size': '30 gb',
      'taskmanager.numberOfTaskSlots': '5',
      'job.autoscaler.memory.tuning.enabled': 'true',
      'job.autoscaler.memory.tuning.scale-down-compensation.enabled': 'false',
      ...config,
    }).options,
    topology,
    newParallelism: { v1: 25, v2: 10 },
    globalMetrics: globals(),
    memoryHistory: undefined,
    nowMs: 10 * DAY,
    ...extra,
  };
}

describe('planMemory: the operator’s plan (docs/algorithm.md §7.4)', () => {
  it('plans the worked example with before/after per pool and the saving', () => {
    const { plan, configChanges, event } = planMemory(input());
    // network 86 segs × 32 KiB × 5 = 13 760 KiB; metaspace 100 MiB × 1.2 = 120 MiB;
    // heap 5096 MiB × 1.2 = 6 412 251 955; managed = spec 12 348 031 160;
    // total = 128 MiB + 1 GiB + 13 760 KiB + 120 MiB + heap + managed = 20 108 162 027
    expect(plan?.totalAfterBytes).toBe(20_108_162_027);
    expect(plan?.savingBytes).toBe(30 * GIB - 20_108_162_027);
    expect(plan?.pools.heap).toMatchObject({ beforeBytes: 17_314_086_728, plannedBytes: 6_412_251_955 });
    expect(plan?.pools.network).toMatchObject({
      beforeBytes: GIB,
      plannedBytes: 13_760 * 1024,
      afterBytes: 13_760 * 1024,
    });
    expect(plan?.pools.metaspace.why).toContain('window average 100 mb');
    expect(plan?.applied).toBe(true);
    expect(configChanges.overrides['taskmanager.memory.process.size']).toBe('20108162027 bytes');
    expect(event).toMatchObject({
      reason: 'Configuration recommendation',
      type: 'Normal',
      messageKey: 'MemoryTuning',
    });
    expect(event?.message).toBe(
      'Memory tuning recommends the following configuration (automatic tuning is enabled):\n' +
        'taskmanager.memory.process.size: 20108162027 bytes\n' +
        'taskmanager.memory.framework.heap.size: 0 bytes\n' +
        'taskmanager.memory.managed.fraction: 0.654\n' +
        'taskmanager.memory.network.min: 13760 kb\n' +
        'taskmanager.memory.network.max: 13760 kb\n' +
        'taskmanager.memory.jvm-overhead.fraction: 0.054\n' +
        'taskmanager.memory.jvm-metaspace.size: 120 mb\n' +
        'Remove the following config entries if present: [taskmanager.memory.flink.size, taskmanager.memory.task.heap.size, taskmanager.memory.managed.size, taskmanager.memory.size]',
    );
  });

  it('reports the effective sizes Flink derives: the rounded-up managed fraction takes from heap', () => {
    // managed fraction 0.654f × Flink memory 18 908 591 083 = 12 366 218 270 (planned 12 348 031 160)
    const { plan } = planMemory(input());
    expect(plan?.pools.managed.afterBytes).toBe(12_366_218_270);
    expect(plan?.pools.heap.afterBytes).toBe(6_412_251_955 - (12_366_218_270 - 12_348_031_160));
    const sumAfter = MEMORY_POOL_NAMES.reduce((s, p) => s + (plan?.pools[p].afterBytes ?? 0), 0);
    expect(sumAfter).toBe(plan?.totalAfterBytes);
  });

  it('only recommends when tuning is disabled, also without a parallelism change', () => {
    const result = planMemory(
      input({ 'job.autoscaler.memory.tuning.enabled': 'false' }, { newParallelism: {} }),
    );
    // network at the current 50/50: (50·2+8)·2 = 216 segs × 32 KiB × 5 = 34 560 KiB
    expect(result.plan?.pools.network.plannedBytes).toBe(34_560 * 1024);
    expect(result.plan?.applied).toBe(false);
    expect(result.configChanges).toEqual({ overrides: {}, removals: [] });
    expect(result.event?.message).toMatch(/^Memory tuning recommends .*\(automatic tuning is disabled\):\n/);
  });

  it('compensates heap for removed TaskManagers', () => {
    // slots used 50 = max p 50 → sharing; after max(25, 10) = 25 slots; 5/TM: 10 → 5 TMs, factor 2
    // heap 6 412 251 955 × 2 = 12 824 503 910
    const { plan } = planMemory(
      input({ 'job.autoscaler.memory.tuning.scale-down-compensation.enabled': 'true' }),
    );
    expect(plan?.pools.heap.plannedBytes).toBe(12_824_503_910);
    expect(plan?.pools.heap.why).toContain('10 → 5 TaskManagers');
    expect([plan?.taskManagersBefore, plan?.taskManagersAfter]).toEqual([10, 5]);
  });

  it('keeps the requests/limits ratio of the TaskManager spec (docs/algorithm.md §7.7)', () => {
    const { plan } = planMemory(
      input(
        {},
        {
          taskManager: {
            memoryBytes: 30 * GIB,
            memorySource: 'resources.requests.memory',
            memoryLimitBytes: 45 * GIB,
          },
        },
      ),
    );
    // limit 45 GiB × 20 108 162 027 / 30 GiB = 30 162 243 040.5 → 30 162 243 041
    expect(plan?.taskManagerSpec).toEqual({
      field: 'resources.requests.memory',
      beforeBytes: 30 * GIB,
      afterBytes: 20_108_162_027,
      limitBeforeBytes: 45 * GIB,
      limitAfterBytes: 30_162_243_041,
    });
  });
});

describe('planMemory: guards and the history model', () => {
  it.each([
    { name: 'heap metric missing', metrics: { HEAP_MEMORY_USED: undefined }, reason: /HEAP_MEMORY_USED/ },
    {
      name: 'metaspace metric NaN',
      metrics: { METASPACE_MEMORY_USED: both(Number.NaN) },
      reason: /METASPACE_MEMORY_USED/,
    },
  ])('gives no plan when $name', ({ metrics, reason }) => {
    const result = planMemory(input({}, { globalMetrics: globals(metrics) }));
    expect(result.plan).toBeUndefined();
    expect(result.skippedReason).toMatch(reason);
    expect(result.configChanges).toEqual({ overrides: {}, removals: [] });
  });

  it('gives no plan without a TaskManager memory', () => {
    const options = resolveOptions({}).options;
    const result = planMemory({ ...input(), options });
    expect(result.skippedReason).toMatch(/TaskManager memory unknown/);
  });

  it('gives no plan for an inconsistent memory configuration, saying why', () => {
    const result = planMemory(input({ 'taskmanager.memory.managed.fraction': '1.5' }));
    expect(result.skippedReason).toMatch(/not valid: .*managed.fraction = 1.5/);
  });

  it('gives no plan rather than heap below usage + overhead when the budget is too small', () => {
    // 25 GiB heap usage × 1.2 = 30 GiB > what is left of 30 GiB
    const result = planMemory(input({}, { globalMetrics: globals({ HEAP_MEMORY_USED: both(25 * GIB) }) }));
    expect(result.plan).toBeUndefined();
    expect(result.skippedReason).toMatch(/below the observed usage \+ overhead/);
  });

  it('sizes from the latest usage when it is above the window average', () => {
    // current 6000 MiB × 1.2 = 7200 MiB (average 5096 MiB would give 6 412 251 955)
    const metrics = globals({ HEAP_MEMORY_USED: { current: 6000 * MIB, average: 5096 * MIB } });
    const { plan } = planMemory(input({}, { globalMetrics: metrics }));
    expect(plan?.pools.heap.plannedBytes).toBe(7200 * MIB);
    expect(plan?.pools.heap.minimumBytes).toBe(7200 * MIB);
  });

  it('keeps yesterday’s heap peak through a quiet window', () => {
    // Prepare: yesterday's bucket (day 9) peaked at 8 GiB
    const history = {
      schemaVersion: 1,
      intervalMs: DAY,
      heap: [{ startMs: 9 * DAY, peakBytes: 8 * GIB }],
      metaspace: [{ startMs: 9 * DAY, peakBytes: 100 * MIB }],
    };
    // Act: today (day 10, start) the window averages 5096 MiB
    const result = planMemory(input({}, { memoryHistory: history }));
    // Assess: 8 GiB × 1.2 = 10 307 921 510 (truncated), not 6 412 251 955
    expect(result.plan?.pools.heap.plannedBytes).toBe(Math.trunc(8 * GIB * 1.2));
    expect(result.plan?.pools.heap.why).toContain('history peak estimate 8 gb');
    expect(result.memoryHistory).toMatchObject({
      heap: [
        { startMs: 9 * DAY, peakBytes: 8 * GIB },
        { startMs: 10 * DAY, peakBytes: 5096 * MIB },
      ],
    });
  });

  it('is the operator’s window-average plan when the history model is disabled', () => {
    const history = {
      schemaVersion: 1,
      intervalMs: DAY,
      heap: [{ startMs: 9 * DAY, peakBytes: 8 * GIB }],
      metaspace: [],
    };
    const result = planMemory(
      input({ 'job.autoscaler.memory.tuning.history.enabled': 'false' }, { memoryHistory: history }),
    );
    expect(result.plan?.pools.heap.plannedBytes).toBe(6_412_251_955);
    expect(result.memoryHistory).toBe(history);
  });

  it('keeps managed memory as configured when its usage is unknown', () => {
    const { plan } = planMemory(input({}, { globalMetrics: globals({ MANAGED_MEMORY_USED: undefined }) }));
    expect(plan?.pools.managed.plannedBytes).toBe(12_348_031_160);
    expect(plan?.pools.managed.why).toMatch(/usage unknown/);
  });

  it('never goes below the Flink minimums for tiny usage', () => {
    const metrics = globals({ HEAP_MEMORY_USED: both(1 * MIB), METASPACE_MEMORY_USED: both(1 * MIB) });
    const { plan } = planMemory(input({}, { globalMetrics: metrics }));
    expect(plan?.pools.heap.plannedBytes).toBe(128 * MIB);
    expect(plan?.pools.metaspace.plannedBytes).toBe(64 * MIB);
  });
});
