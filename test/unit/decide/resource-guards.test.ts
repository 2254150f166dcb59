import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClusterCapacitySnapshot, JobTopology, VertexInfo } from '../../../lib/domain/index.ts';
import { checkClusterCapacity, placeTaskManagers } from '../../../lib/decide/guards/cluster-capacity-guard.ts';
import { checkQuota, QUOTA_REACHED_MESSAGE } from '../../../lib/decide/guards/quota-guard.ts';
import { countTaskManagers } from '../../../lib/decide/task-manager-count.ts';

const GIB = 1024 ** 3;

function topology(vertices: { id: string; p: number; group?: string }[]): JobTopology {
  return {
    jobId: 'j',
    jobRunningTsMs: 0,
    vertices: vertices.map(
      (v): VertexInfo => ({
        id: v.id,
        parallelism: v.p,
        maxParallelism: 128,
        inputs: [],
        finished: false,
        numSourcePartitions: 0,
        ...(v.group ? { slotSharingGroupId: v.group } : {}),
      }),
    ),
  };
}

describe('countTaskManagers', () => {
  it.each([
    // One group: slots = widest vertex. ceil(4 / 2) = 2.
    {
      name: 'shared group',
      vertices: [
        { id: 'a', p: 4, group: 'g' },
        { id: 'b', p: 3, group: 'g' },
      ],
      slotsPerTm: 2,
      slots: 4,
      tms: 2,
    },
    // Own groups: 4 + 3 = 7 slots, ceil(7 / 2) = 4 (Java's integer division: 3).
    {
      name: 'separate groups',
      vertices: [
        { id: 'a', p: 4, group: 'a' },
        { id: 'b', p: 3, group: 'b' },
      ],
      slotsPerTm: 2,
      slots: 7,
      tms: 4,
    },
    // 1 slot at 2 slots per TM still needs a TaskManager (Java: 1 / 2 = 0).
    { name: 'rounds up', vertices: [{ id: 'a', p: 1 }], slotsPerTm: 2, slots: 1, tms: 1 },
    // No reported group = Flink's `default` group: max(5, 2) = 5.
    {
      name: 'unknown group is default',
      vertices: [
        { id: 'a', p: 5 },
        { id: 'b', p: 2 },
      ],
      slotsPerTm: 1,
      slots: 5,
      tms: 5,
    },
    // default {a:5} + g {b:2, c:3} = 5 + 3 = 8 slots, ceil(8 / 3) = 3.
    {
      name: 'mixed',
      vertices: [
        { id: 'a', p: 5 },
        { id: 'b', p: 2, group: 'g' },
        { id: 'c', p: 3, group: 'g' },
      ],
      slotsPerTm: 3,
      slots: 8,
      tms: 3,
    },
  ])('$name', ({ vertices, slotsPerTm, slots, tms }) => {
    const topo = topology(vertices);
    const p = new Map(vertices.map((v) => [v.id, v.p]));
    expect(countTaskManagers(topo, (id) => p.get(id) ?? 0, slotsPerTm)).toEqual({ slots, taskManagers: tms });
  });
});

const quotaOptions = (quotaCpu?: number, quotaMemoryBytes?: number) => ({
  quotaCpu,
  quotaMemoryBytes,
  scalingEventIntervalMs: 60_000,
});

describe('checkQuota (docs/algorithm.md §5.1 step 9)', () => {
  it.each([
    {
      name: 'no quota → guard does not run',
      cur: 1,
      next: 5,
      cpuQuota: undefined,
      memQuota: undefined,
      passed: undefined,
    },
    // 2 TMs × 2 CPU = 4 > 3.
    { name: 'CPU quota exceeded', cur: 1, next: 2, cpuQuota: 3, memQuota: undefined, passed: false },
    // 2 TMs × 2 GiB = 4 GiB ≤ 30 GiB.
    {
      name: 'memory quota respected',
      cur: 1,
      next: 2,
      cpuQuota: undefined,
      memQuota: 30 * GIB,
      passed: true,
    },
    // 2 × 2 GiB = 4 GiB > 3 GiB.
    { name: 'memory quota exceeded', cur: 1, next: 2, cpuQuota: undefined, memQuota: 3 * GIB, passed: false },
    // Fewer or equal TMs always pass, even above the quota (a job can always shrink).
    { name: 'no additional TaskManagers', cur: 4, next: 4, cpuQuota: 1, memQuota: undefined, passed: true },
    { name: 'shrinking above quota', cur: 6, next: 3, cpuQuota: 1, memQuota: undefined, passed: true },
  ])('$name', ({ cur, next, cpuQuota, memQuota, passed }) => {
    const result = checkQuota({
      currentTaskManagers: cur,
      newTaskManagers: next,
      taskManagerCpu: 2,
      taskManagerMemoryBytes: 2 * GIB,
      options: quotaOptions(cpuQuota, memQuota),
    });
    expect(result.outcome?.passed).toBe(passed);
    if (passed === false) {
      expect(result.event).toEqual({
        reason: 'ResourceQuotaReached',
        type: 'Warning',
        message: QUOTA_REACHED_MESSAGE,
        dedupeIntervalMs: 60_000,
      });
    } else expect(result.event).toBeUndefined();
  });

  it('an unknown TaskManager size cannot exceed the quota but says so', () => {
    const result = checkQuota({
      currentTaskManagers: 1,
      newTaskManagers: 9,
      taskManagerCpu: undefined,
      taskManagerMemoryBytes: undefined,
      options: quotaOptions(1, GIB),
    });
    expect(result.outcome?.passed).toBe(true);
    expect(result.outcome?.detail).toMatch(/CPU quota not checked.*memory quota not checked/);
  });

  it('IMPROVEMENT: a job the Java check undercounts is blocked here', () => {
    // Separate groups, p 1 → (3, 2) at 2 slots/TM: Java 2/2 = 1 → 5/2 = 2 TMs, 2 × 2 CPU = 4 ≤ quota 5
    // passes; really 3 TMs are needed (ceil 5/2) → 6 CPU > 5: blocked.
    const topo = topology([
      { id: 'a', p: 1, group: 'a' },
      { id: 'b', p: 1, group: 'b' },
    ]);
    const next = new Map([
      ['a', 3],
      ['b', 2],
    ]);
    const current = countTaskManagers(topo, () => 1, 2).taskManagers;
    const after = countTaskManagers(topo, (id) => next.get(id) ?? 1, 2).taskManagers;
    const result = checkQuota({
      currentTaskManagers: current,
      newTaskManagers: after,
      taskManagerCpu: 2,
      taskManagerMemoryBytes: GIB,
      options: quotaOptions(5, undefined),
    });
    expect([current, after]).toEqual([1, 3]);
    expect(result.outcome?.passed).toBe(false);
  });
});

const snapshot = (
  nodes: ClusterCapacitySnapshot['nodes'],
  groups: ClusterCapacitySnapshot['expandableGroups'] = [],
) => ({
  nodes,
  expandableGroups: groups,
});

describe('cluster capacity (first fit)', () => {
  it.each([
    // 3.5 CPU/9 GiB fits 1 TM (2 CPU/4 GiB) → 1.5 CPU left; 4.5/9 fits 2.
    {
      name: 'free node capacity',
      snap: snapshot([
        { name: 'n1', freeCpu: 3.5, freeMemoryBytes: 9 * GIB },
        { name: 'n2', freeCpu: 4.5, freeMemoryBytes: 9 * GIB },
      ]),
      count: 3,
      release: false,
      expected: { onNodes: { n1: 1, n2: 2 }, newNodesPerGroup: {}, unplaced: 0 },
    },
    // Memory bounds n1 to 1 TM (5 GiB); 8 CPU/32 GiB nodes take min(8/2, 32/4) = 4 each → 1 node.
    {
      name: 'expandable group after nodes',
      snap: snapshot(
        [{ name: 'n1', freeCpu: 8, freeMemoryBytes: 5 * GIB }],
        [{ name: 'g', additionalNodes: 2, cpuPerNode: 8, memoryBytesPerNode: 32 * GIB }],
      ),
      count: 4,
      release: false,
      expected: { onNodes: { n1: 1 }, newNodesPerGroup: { g: 1 }, unplaced: 0 },
    },
    // Group can add 1 node of 4 TMs; 10 TMs → 6 unplaced.
    {
      name: 'group limit reached',
      snap: snapshot([], [{ name: 'g', additionalNodes: 1, cpuPerNode: 8, memoryBytesPerNode: 32 * GIB }]),
      count: 10,
      release: false,
      expected: { onNodes: {}, newNodesPerGroup: { g: 1 }, unplaced: 6 },
    },
    // Releasing the job's 1 TM on n1 frees 2 CPU/4 GiB: 0.5 + 2 = 2.5 CPU fits 1 again.
    {
      name: 'releases the job TaskManagers first',
      snap: snapshot([{ name: 'n1', freeCpu: 0.5, freeMemoryBytes: GIB, jobTaskManagers: 1 }]),
      count: 1,
      release: true,
      expected: { onNodes: { n1: 1 }, newNodesPerGroup: {}, unplaced: 0 },
    },
  ])('$name', ({ snap, count, release, expected }) => {
    expect(placeTaskManagers(snap, count, 2, 4 * GIB, release)).toEqual(expected);
  });

  it('blocks with a ClusterCapacityReached warning when TaskManagers do not fit', () => {
    const result = checkClusterCapacity({
      snapshot: snapshot([{ name: 'n1', freeCpu: 1, freeMemoryBytes: GIB }]),
      currentTaskManagers: 2,
      newTaskManagers: 3,
      taskManagerCpu: 2,
      taskManagerMemoryBytes: 4 * GIB,
      options: { scalingEventIntervalMs: 60_000 },
    });
    expect(result.outcome?.passed).toBe(false);
    expect(result.event).toMatchObject({
      reason: 'ClusterCapacityReached',
      type: 'Warning',
      messageKey: 'ClusterCapacity',
    });
  });

  it.each([
    { name: 'check disabled without snapshot', snap: undefined, cpu: 2, next: 9, passed: undefined },
    { name: 'TaskManager size unknown', snap: snapshot([]), cpu: undefined, next: 9, passed: true },
    { name: 'no additional TaskManagers', snap: snapshot([]), cpu: 2, next: 2, passed: true },
  ])('$name', ({ snap, cpu, next, passed }) => {
    const result = checkClusterCapacity({
      snapshot: snap,
      currentTaskManagers: 2,
      newTaskManagers: next,
      taskManagerCpu: cpu,
      taskManagerMemoryBytes: 4 * GIB,
      options: { scalingEventIntervalMs: 60_000 },
    });
    expect(result.outcome?.passed).toBe(passed);
  });

  it('property: placed + unplaced = requested and no node is overcommitted', () => {
    const node = fc.record({
      name: fc.string({ minLength: 1, maxLength: 4 }),
      freeCpu: fc.double({ min: 0, max: 16, noNaN: true }),
      freeMemoryBytes: fc.integer({ min: 0, max: 64 }).map((g) => g * GIB),
    });
    const group = fc.record({
      name: fc.string({ minLength: 1, maxLength: 4 }),
      additionalNodes: fc.integer({ min: 0, max: 5 }),
      cpuPerNode: fc.integer({ min: 1, max: 16 }),
      memoryBytesPerNode: fc.integer({ min: 1, max: 64 }).map((g) => g * GIB),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(node, { selector: (n) => n.name, maxLength: 5 }),
        fc.uniqueArray(group, { selector: (g) => g.name, maxLength: 3 }),
        fc.integer({ min: 0, max: 40 }),
        (nodes, groups, count) => {
          const placement = placeTaskManagers({ nodes, expandableGroups: groups }, count, 2, 4 * GIB, false);
          const onNodes = Object.values(placement.onNodes).reduce((a, b) => a + b, 0);
          let onGroups = 0;
          for (const g of groups) {
            const perNode = Math.floor(Math.min(g.cpuPerNode / 2, g.memoryBytesPerNode / (4 * GIB)));
            const added = placement.newNodesPerGroup[g.name] ?? 0;
            expect(added).toBeLessThanOrEqual(g.additionalNodes);
            onGroups += Math.min(added * perNode, count);
          }
          for (const n of nodes) {
            const placed = placement.onNodes[n.name] ?? 0;
            expect(placed * 2).toBeLessThanOrEqual(n.freeCpu + 1e-6);
            expect(placed * 4 * GIB).toBeLessThanOrEqual(n.freeMemoryBytes);
          }
          expect(placement.unplaced).toBeGreaterThanOrEqual(0);
          expect(onNodes + placement.unplaced).toBeLessThanOrEqual(count);
          expect(onNodes + onGroups + placement.unplaced).toBeGreaterThanOrEqual(count);
        },
      ),
    );
  });
});
