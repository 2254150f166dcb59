import { describe, expect, it } from 'vitest';
import { billedGbSeconds, type CpuProfile, FULL_VCPU_MEMORY_MB, handlerShare, modeledDurationMs, splitProfile } from '../../../bench/lambda-cpu.ts';
import { memoryFits } from '../../../bench/lambda-memory.ts';

describe('modeledDurationMs', () => {
  const run = { wallMs: 300, cpuMs: 200 };

  it('stretches the CPU part by 1,769 / memory and keeps the wait', () => {
    expect(modeledDurationMs(run, 1769)).toBeCloseTo(300, 10);
    expect(modeledDurationMs(run, 884.5)).toBeCloseTo(100 + 400, 10);
    expect(modeledDurationMs(run, 128)).toBeCloseTo(100 + (200 * FULL_VCPU_MEMORY_MB) / 128, 10);
  });

  it('is never shorter than the measured run, even with more than one vCPU', () => {
    expect(modeledDurationMs(run, 4096)).toBe(300);
  });

  it('counts CPU time of several threads (more than the wall time) against the vCPUs the memory buys', () => {
    // garbage collection and the libuv pool ran next to the handler's thread
    const parallel = { wallMs: 100, cpuMs: 150 };
    expect(modeledDurationMs(parallel, 1769)).toBeCloseTo(150, 10);
    expect(modeledDurationMs(parallel, 884.5)).toBeCloseTo(300, 10);
    expect(modeledDurationMs(parallel, 3538)).toBe(100);
  });
});

describe('billedGbSeconds', () => {
  it('rounds the duration up to the millisecond and multiplies by the memory in GB', () => {
    // 100 + 200 × 1769/1024 = 445.5… ms → 446 ms at 1 GB
    expect(billedGbSeconds({ wallMs: 300, cpuMs: 200 }, 1024)).toBeCloseTo(0.446, 10);
  });

  it('makes the CPU part cost the same at every size below one vCPU: only the wait gets cheaper', () => {
    const cpuOnly = { wallMs: 1000, cpuMs: 1000 };
    expect(billedGbSeconds(cpuOnly, 256)).toBeCloseTo(billedGbSeconds(cpuOnly, 512), 2);
    const waitOnly = { wallMs: 1000, cpuMs: 0 };
    expect(billedGbSeconds(waitOnly, 256)).toBeCloseTo(billedGbSeconds(waitOnly, 512) / 2, 10);
  });
});

describe('memoryFits', () => {
  it('checks the modeled run against the deadline and the resident memory against half the size', () => {
    const limits = { run: { wallMs: 2000, cpuMs: 1800 }, deadlineMs: 30_000, residentMb: 80 };
    expect(memoryFits(128, limits)).toEqual({ withinDeadline: true, withinMemory: false });
    expect(memoryFits(256, limits)).toEqual({ withinDeadline: true, withinMemory: true });
    expect(memoryFits(128, { ...limits, run: { wallMs: 4000, cpuMs: 3000 } }).withinDeadline).toBe(false);
  });
});

describe('splitProfile', () => {
  // root → handler frame → SDK frame (leaf); root → server frame in the Flink simulator → leaf;
  // root → (garbage collector); root → (idle)
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 4, 6, 7] },
      { id: 2, callFrame: { functionName: 'runCycle', url: 'file:///repo/lib/cycle/run-cycle.ts' }, children: [3] },
      { id: 3, callFrame: { functionName: 'sign', url: 'file:///repo/node_modules/@smithy/signature-v4/index.js' } },
      { id: 4, callFrame: { functionName: 'answer', url: 'file:///repo/sim/flink-simulator/rest.ts' }, children: [5] },
      { id: 5, callFrame: { functionName: 'stringify', url: '' } },
      { id: 6, callFrame: { functionName: '(garbage collector)', url: '' } },
      { id: 7, callFrame: { functionName: '(idle)', url: '' } },
    ],
    samples: [3, 3, 3, 5, 6, 7, 7],
    timeDeltas: [100, 100, 100, 100, 50, 1000, 1000],
  };

  it("counts a stack through a simulator's module as the simulator's, other JavaScript as the handler's", () => {
    expect(splitProfile(profile)).toEqual({ handlerUs: 300, simulatorUs: 100, unattributedUs: 50 });
    expect(handlerShare(splitProfile(profile))).toBe(0.75);
  });

  it("counts the profiler's own start-up (the inspector session, under the bench's frames) as no work", () => {
    const withStartUp: CpuProfile = {
      nodes: [
        ...profile.nodes.map((node) => (node.id === 1 ? { ...node, children: [...(node.children ?? []), 8] } : node)),
        { id: 8, callFrame: { functionName: 'profileCpu', url: 'file:///repo/bench/lambda-cpu.ts' }, children: [9] },
        { id: 9, callFrame: { functionName: 'post', url: 'node:inspector' } },
      ],
      samples: [9, ...profile.samples],
      timeDeltas: [200_000, ...profile.timeDeltas],
    };
    expect(splitProfile(withStartUp)).toEqual(splitProfile(profile));
  });

  it('is 1 when nothing could be attributed', () => {
    expect(handlerShare({ handlerUs: 0, simulatorUs: 0, unattributedUs: 10 })).toBe(1);
  });
});
