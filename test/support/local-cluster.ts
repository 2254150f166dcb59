/**
 * A Flink job on the local servers for integration tests: the Flink simulator behind the
 * Kubernetes emulator's service proxy, a FlinkDeployment opted in to the autoscaler, and the
 * operator model applying parallelism overrides to the simulator after its restart delay.
 */
import { type FlinkSimulator, startFlinkSimulator } from '../../sim/flink-simulator/index.ts';
import {
  parallelismOverridesOf,
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from '../integration/kubernetes/flink-fixtures.ts';

/** One Kafka source that cannot keep up (1 subtask × 1.5 ms/record ≈ 667 rec/s < 1000 rec/s). */
export const laggingSourceScenario = (name = 'orders-enrichment') => `
name: ${name}
restart: { downtimeMs: 20 s, mode: in-place }
job:
  vertices:
    - id: src
      parallelism: 1
      maxParallelism: 128
      costMsPerRecord: 1.5
      source: { type: kafka, topic: orders, partitions: 8, load: { type: constant, recordsPerSecond: 1000 } }
    - { id: sink, parallelism: 1, maxParallelism: 128, costMsPerRecord: 0.3 }
  edges:
    - { from: src, to: sink }
`;

export const LAGGING_SOURCE_SCENARIO = laggingSourceScenario();

/** Autoscaler settings that make a decision possible after a few simulated minutes. */
export const FAST_AUTOSCALER_CONFIG: Readonly<Record<string, string>> = {
  'taskmanager.numberOfTaskSlots': '2',
  'jobmanager.scheduler': 'adaptive',
  'high-availability.type': 'kubernetes',
  'job.autoscaler.metrics.window': '5 min',
  'job.autoscaler.stabilization.interval': '1 min',
  'job.autoscaler.restart.time': '30 s',
  'job.autoscaler.catch-up.duration': '10 min',
};

export const LOCAL_TOKEN = 'local-token';

export interface LocalCluster {
  readonly sim: FlinkSimulator;
  readonly emulator: KubernetesEmulator;
  /** Advances the simulator's and the emulator's virtual clocks together. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts both servers and deploys `orders-enrichment` in `flink-jobs` (RUNNING after 20 s). */
export async function startLocalCluster(
  options: { scenario?: string; flinkConfiguration?: Record<string, string>; flinkVersion?: string } = {},
): Promise<LocalCluster> {
  const sim = await startFlinkSimulator({ scenario: options.scenario ?? LAGGING_SOURCE_SCENARIO });
  const emulator = await startKubernetesEmulator({
    token: LOCAL_TOKEN,
    restartDelayMs: 20_000,
    startTimeMs: sim.nowMs(),
    onSpecApplied: (resource) => {
      const overrides = parallelismOverridesOf(resource);
      return { jobId: overrides ? sim.applyParallelism(overrides).jobId : sim.jobId };
    },
  });
  emulator.setProxyTarget('flink-jobs', 'orders-enrichment-rest', sim.url);
  emulator.apply(
    aFlinkDeployment({
      flinkConfiguration: { ...(options.flinkConfiguration ?? FAST_AUTOSCALER_CONFIG) },
      ...(options.flinkVersion ? { flinkVersion: options.flinkVersion } : {}),
    }),
  );
  const advance = async (ms: number) => {
    sim.advance(ms);
    await emulator.advance(ms);
  };
  await advance(20_000);
  return {
    sim,
    emulator,
    advance,
    close: async () => {
      await emulator.close();
      await sim.close();
    },
  };
}
