/**
 * What the local world records at each tick: the simulated job next to its baseline and the oracle
 * (a {@link TickRecord}), and the autoscaler's decision log entries from the cycle's result.
 */
import { readTaskManagerResources } from '../../lib/adapters/kubernetes/task-manager-resources.ts';
import type { CycleResult } from '../../lib/cycle/cycle-result.ts';
import { vertexLabel } from '../../lib/domain/index.ts';
import type { FlinkSimulator } from '../flink-simulator/flink-simulator.ts';
import type { NormalizedScenario } from '../flink-simulator/parse-scenario.ts';
import type { SimulatedFlinkCluster } from '../flink-simulator/simulated-cluster.ts';
import type { KubernetesEmulator } from '../kubernetes-emulator/index.ts';
import { maxCpuFromBusyTime } from './managed-flink-baseline.ts';
import { oracleParallelism } from './oracle.ts';
import { WORLD_NAMESPACE } from './world-deployment.ts';
import type { DecisionLogEntry, TickRecord, VertexPoint } from './world-timeline.ts';

/** What a tick is observed from. */
export interface WorldObservation {
  readonly scenario: NormalizedScenario;
  readonly simulator: FlinkSimulator;
  readonly emulator: KubernetesEmulator;
  /** Name of the world's FlinkDeployment. */
  readonly name: string;
  readonly baselineCluster: SimulatedFlinkCluster;
  /** The utilization target the oracle sizes for (the job's resolved option). */
  readonly utilizationTarget: number;
}

/** The tick's record: per-vertex parallelism, capacity and rates, lag, memory, the baseline. */
export function observeTick(
  world: WorldObservation,
  tMs: number,
  result: CycleResult,
  cycleWallMs: number,
): TickRecord {
  const { scenario, baselineCluster } = world;
  const cluster = world.simulator.cluster;
  const oracle = oracleParallelism(scenario, tMs, { utilizationTarget: world.utilizationTarget });
  const vertices: Record<string, VertexPoint> = {};
  let inputRate = 0;
  let lagRecords = 0;
  let baselineLag = 0;
  for (const v of scenario.vertices) {
    const flow = cluster.flow(v.key);
    const busy = flow?.busyMsPerSecond;
    vertices[v.key] = {
      parallelism: cluster.parallelismOf(v.key),
      oracle: oracle.parallelism[v.key] ?? 1,
      capacity: cluster.trueCapacity(v.key),
      requiredRate: oracle.requiredRate[v.key] ?? 0,
      processedRate: cluster.state === 'RUNNING' ? (flow?.inputRate ?? 0) : 0,
      busyRatio:
        cluster.state === 'RUNNING' && busy && busy.length > 0 ? Math.max(...busy) / 1000 : undefined,
      baselineParallelism: baselineCluster.parallelismOf(v.key),
      baselineCapacity: baselineCluster.trueCapacity(v.key),
    };
    if (v.source) {
      inputRate += cluster.arrivalRate(v.key);
      lagRecords += cluster.lagOf(v.key);
      baselineLag += baselineCluster.lagOf(v.key);
    }
  }
  const heapUsed = cluster.taskManagers()[0]?.metrics.get('Status.JVM.Memory.Heap.Used');
  const memory = taskManagerMemoryOf(world);
  const baselineBusy = scenario.vertices.map((v) => baselineCluster.flow(v.key)?.busyMsPerSecond ?? []);
  return {
    tMs,
    inputRate,
    lagRecords,
    lagSeconds: inputRate > 0 ? lagRecords / inputRate : 0,
    vertices,
    outcome: result.outcome,
    ...(result.decision ? { action: result.decision.action } : {}),
    ...(memory !== undefined ? { taskManagerMemoryBytes: memory } : {}),
    ...(heapUsed !== undefined && cluster.state === 'RUNNING' ? { heapUsedBytes: heapUsed } : {}),
    baseline: {
      lagRecords: baselineLag,
      lagSeconds: inputRate > 0 ? baselineLag / inputRate : 0,
      maxCpu: baselineCluster.state === 'RUNNING' ? maxCpuFromBusyTime(baselineBusy) : undefined,
    },
    cycleWallMs,
  };
}

/** The TaskManager memory in the resource's spec (what the memory plan patched), if readable. */
function taskManagerMemoryOf(world: WorldObservation): number | undefined {
  const resource = world.emulator.get('FlinkDeployment', WORLD_NAMESPACE, world.name);
  if (!resource?.spec) return undefined;
  try {
    return readTaskManagerResources(resource.spec as Parameters<typeof readTaskManagerResources>[0])
      .memoryBytes;
  } catch {
    return undefined;
  }
}

/**
 * The decision log entry of the autoscaler's cycle, if it changed or tried to change something.
 * A policy hook may have stopped or limited the change: the entry says what actually happened.
 */
export function decisionEntryOf(
  result: CycleResult,
  tMs: number,
  vertexKeyOf: (vertexId: string) => string,
): DecisionLogEntry | undefined {
  if (result.rollback) {
    // A rollback (docs/algorithm.md §13) is a change of its own, on decided and not-ready cycles alike.
    return {
      tMs,
      actor: 'autoscaler',
      action: 'rollback',
      summary: result.reason,
      changes: result.rollback.vertices.map((v) => ({
        vertex: vertexKeyOf(v.vertexId),
        from: v.from,
        to: v.to,
        why: `rolled back (${result.rollback?.cause ?? ''}): ${result.rollback?.evidence ?? ''}`,
      })),
    };
  }
  const decision = result.decision;
  if (!decision) return undefined;
  if (result.policy?.verdict === 'deny') {
    return {
      tMs,
      actor: 'autoscaler',
      action: 'denied',
      summary: `Denied by the policy hook (${result.policy.hook}): ${result.policy.reason ?? 'no reason given'}`,
      changes: [],
    };
  }
  if (result.policy?.verdict === 'modify' && result.realized?.outcome !== 'patched') return undefined;
  const changed = decision.vertices.filter((v) => v.changed);
  if (decision.action !== 'scale' && decision.action !== 'blocked') {
    if (result.realized?.outcome !== 'patched') return undefined;
    return {
      tMs,
      actor: 'autoscaler',
      action: 'memory',
      summary: `Applied the stored overrides/memory plan (${result.realized.upgradePath}).`,
      changes: [],
    };
  }
  return {
    tMs,
    actor: 'autoscaler',
    action: decision.action,
    summary: decision.summary,
    ...(decision.price ? { price: decision.price } : {}),
    changes: changed.map((v) => ({
      vertex: vertexKeyOf(v.vertexId),
      ...(v.vertexName !== undefined ? { label: vertexLabel(v.vertexId, v.vertexName) } : {}),
      from: v.currentParallelism,
      to: v.recommendedParallelism,
      why: v.why,
    })),
  };
}

/**
 * The memory entry when the spec's TaskManager memory changed since the previous tick: the memory
 * plan is applied together with a scaling, and the spec shows it once patched.
 */
export function memoryChangeEntry(
  before: number | undefined,
  record: TickRecord,
  tMs: number,
): DecisionLogEntry | undefined {
  const after = record.taskManagerMemoryBytes;
  if (before === undefined || after === undefined || before === after) return undefined;
  return {
    tMs,
    actor: 'autoscaler',
    action: 'memory',
    summary: `TaskManager memory ${mebibytes(before)} → ${mebibytes(after)} (memory tuning, applied with the scaling).`,
    changes: [],
  };
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}
