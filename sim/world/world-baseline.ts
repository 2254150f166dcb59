/**
 * The baseline of the local world: a second copy of the simulated job, driven by the AWS Managed
 * Flink CPU rule (one parallelism for every vertex, Managed Flink's model) on the same virtual time.
 */
import type { NormalizedScenario } from '../flink-simulator/parse-scenario.ts';
import { SimulatedFlinkCluster } from '../flink-simulator/simulated-cluster.ts';
import {
  type BaselineRule,
  type BaselineState,
  MANAGED_FLINK_RULE,
  maxCpuFromBusyTime,
  stepBaseline,
} from './managed-flink-baseline.ts';
import type { DecisionLogEntry } from './world-timeline.ts';

/** The baseline's job and its one step per tick. */
export interface WorldBaseline {
  readonly cluster: SimulatedFlinkCluster;
  /** Moves the baseline's job to `nowMs` and applies the rule; the rescale it made, if any. */
  step(nowMs: number, startMs: number): DecisionLogEntry | undefined;
}

/** Starts the baseline with every vertex at the scenario's highest initial parallelism. */
export function createWorldBaseline(
  scenario: NormalizedScenario,
  ruleOverrides: Partial<BaselineRule> = {},
): WorldBaseline {
  const start = Math.max(...scenario.vertices.map((v) => v.initialParallelism));
  const cluster = new SimulatedFlinkCluster({
    ...scenario,
    vertices: scenario.vertices.map((v) => ({
      ...v,
      initialParallelism: Math.min(v.maxParallelism, start),
    })),
  });
  const rule: BaselineRule = { ...MANAGED_FLINK_RULE, ...ruleOverrides };
  let state: BaselineState = { parallelism: start };

  const step = (nowMs: number, startMs: number): DecisionLogEntry | undefined => {
    cluster.setTime(nowMs);
    const busy = scenario.vertices.map((v) => cluster.flow(v.key)?.busyMsPerSecond ?? []);
    const running = cluster.state === 'RUNNING' && cluster.metricsReported();
    const next = stepBaseline(state, { nowMs, maxCpu: running ? maxCpuFromBusyTime(busy) : undefined }, rule);
    state = next.state;
    if (next.rescaleTo === undefined) return undefined;
    const from = cluster.parallelismOf(scenario.vertices[0]?.key ?? '');
    const overrides = Object.fromEntries(
      scenario.vertices.map((v) => [v.key, Math.min(v.maxParallelism, next.rescaleTo ?? 1)]),
    );
    cluster.applyParallelism(overrides);
    return {
      tMs: nowMs - startMs,
      actor: 'baseline',
      action: 'scale',
      summary: next.reason ?? 'rescale',
      changes: scenario.vertices.map((v) => ({
        vertex: v.key,
        from: Math.min(v.maxParallelism, from),
        to: overrides[v.key] ?? 1,
        why: next.reason ?? '',
      })),
    };
  };
  return { cluster, step };
}
