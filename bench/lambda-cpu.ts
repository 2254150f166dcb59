/**
 * CPU time of the handlers alone, while they run in one process with the simulators they call
 * (Flink REST simulator, Kubernetes emulator, dynalite). `process.cpuUsage()` counts both sides of
 * every request, so the handlers' share is taken from a sampling CPU profile (node:inspector,
 * V8's profiler) of each measured invocation: a sample whose stack passes through a simulator's
 * module is the simulator's, one with our or our dependencies' frames only is the handler's, and
 * samples with no JavaScript frame (garbage collection, HTTP parsing called from native code) are
 * split in the proportion of the attributed ones.
 *
 * It also holds Lambda's duration model (see ./lambda-memory.ts): a measured run's CPU part
 * stretches by 1,769 / memory below one vCPU, its wait does not.
 */
import { Session } from 'node:inspector/promises';

/** Modules of the in-process servers the handlers call: their samples are not the handlers' work. */
const SIMULATOR_PATHS = [
  '/sim/flink-simulator/',
  '/sim/kubernetes-emulator/',
  '/sim/dynalite-server.ts',
  '/node_modules/dynalite/',
  '/bench/multi-job-simulator.ts',
] as const;

/** Samples of no work: the profiler's own bookkeeping and the idle loop. */
const NOT_WORK = new Set(['(idle)', '(program)', '(root)']);

/**
 * The inspector session that starts and stops the profiler: a sample in it is the profiler's
 * start-up, not the handlers' (the first sample's delta spans it, some 200 ms in a 10-job batch).
 */
const PROFILER_URL = 'node:inspector';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

/** The part of a V8 CPU profile (Profiler.stop) read here. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Sampled time by side, microseconds. */
export interface CpuSplit {
  readonly handlerUs: number;
  readonly simulatorUs: number;
  readonly unattributedUs: number;
}

/** Splits a profile's sampled time between the handlers and the simulators. Pure. */
export function splitProfile(profile: CpuProfile): CpuSplit {
  const byId = new Map(profile.nodes.map((node) => [node.id, node] as const));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const sideOf = new Map<number, 'handler' | 'simulator' | 'unattributed' | 'none'>();
  const classify = (leaf: number): 'handler' | 'simulator' | 'unattributed' | 'none' => {
    const known = sideOf.get(leaf);
    if (known) return known;
    const leafName = byId.get(leaf)?.callFrame.functionName ?? '';
    let side: 'handler' | 'simulator' | 'unattributed' | 'none' = NOT_WORK.has(leafName) ? 'none' : 'unattributed';
    if (side !== 'none') {
      for (let id: number | undefined = leaf; id !== undefined; id = parentOf.get(id)) {
        const url = byId.get(id)?.callFrame.url ?? '';
        if (url === PROFILER_URL) {
          side = 'none';
          break;
        }
        if (SIMULATOR_PATHS.some((path) => url.includes(path))) {
          side = 'simulator';
          break;
        }
        if (url.startsWith('file:') || url.startsWith('/')) side = 'handler';
      }
    }
    sideOf.set(leaf, side);
    return side;
  };
  const split = { handlerUs: 0, simulatorUs: 0, unattributedUs: 0 };
  profile.samples.forEach((id, index) => {
    const side = classify(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (side === 'handler') split.handlerUs += us;
    else if (side === 'simulator') split.simulatorUs += us;
    else if (side === 'unattributed') split.unattributedUs += us;
  });
  return split;
}

/** The handlers' share of the CPU time in `split` (unattributed time split pro rata); 1 when nothing was attributed. */
export function handlerShare(split: CpuSplit): number {
  const attributed = split.handlerUs + split.simulatorUs;
  return attributed === 0 ? 1 : split.handlerUs / attributed;
}

/** Profiles the CPU of `work` (sampling every `intervalUs`) and returns its result with the split. */
export async function profileCpu<T>(work: () => Promise<T>, intervalUs = 200): Promise<{ result: T; split: CpuSplit }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    return { result, split: splitProfile(profile as unknown as CpuProfile) };
  } finally {
    session.disconnect();
  }
}

/** Memory size at which a function has one full vCPU (Lambda Developer Guide, "Configuring Lambda function memory"). */
export const FULL_VCPU_MEMORY_MB = 1769;

/** A measured run of a handler on a full core. */
export interface MeasuredRun {
  readonly wallMs: number;
  /** The handler's own CPU time within {@link wallMs}. */
  readonly cpuMs: number;
}

/**
 * Modeled duration of `run` at `memoryMb`: its wait plus its CPU time at the vCPUs the memory
 * buys (memory / 1,769), never shorter than measured. The CPU time is the process's, all threads
 * (garbage collection, the libuv pool's compression and crypto), which share the function's CPU
 * allocation; so it can exceed the wall time of the measured run. Pure.
 */
export function modeledDurationMs(run: MeasuredRun, memoryMb: number): number {
  const waitMs = Math.max(0, run.wallMs - run.cpuMs);
  return Math.max(run.wallMs, waitMs + (run.cpuMs * FULL_VCPU_MEMORY_MB) / memoryMb);
}

/** Billed GB-seconds of one invocation of `run` at `memoryMb` (duration rounded up to 1 ms). */
export function billedGbSeconds(run: MeasuredRun, memoryMb: number): number {
  return (Math.ceil(modeledDurationMs(run, memoryMb)) / 1000) * (memoryMb / 1024);
}

