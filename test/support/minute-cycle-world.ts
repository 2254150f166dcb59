/**
 * One job's cycle per simulated minute against the local servers (Flink simulator + Kubernetes
 * emulator over HTTP, test/support/local-cluster.ts) with an in-memory state store (or the one
 * given, e.g. DynamoDB on dynalite), wired through the production composition root
 * (`composeCycleDependencies`) rather than by hand.
 */
import { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { StaticTokenProvider } from '../../lib/adapters/kubernetes/auth/token-providers.ts';
import { createClusterAdapters } from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import { InMemoryStateStore } from '../../lib/adapters/memory/in-memory-state-store.ts';
import { type CycleProcessParts, composeCycleDependencies } from '../../lib/cycle/compose-cycle-dependencies.ts';
import type { CycleResult } from '../../lib/cycle/cycle-result.ts';
import { runCycle } from '../../lib/cycle/run-cycle.ts';
import type { JobKey } from '../../lib/domain/index.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';
import { LOCAL_TOKEN, type LocalCluster, startLocalCluster } from './local-cluster.ts';

/** The local cluster's one opted-in job. */
export const LOCAL_JOB_KEY: JobKey = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
};

const MINUTE_MS = 60_000;

export interface MinuteCycleWorld {
  readonly sim: LocalCluster['sim'];
  readonly emulator: LocalCluster['emulator'];
  readonly store: StateStore;
  readonly clock: ManualClock;
  /** Moves the clock and the servers one minute on, then runs the job's cycle. */
  minute(): Promise<CycleResult>;
  close(): Promise<void>;
}

/**
 * Starts the servers; `runId` names the cycles in logs. `store` replaces the in-memory store,
 * `cluster` is what {@link startLocalCluster} takes, `logger` and `reporter` watch the cycles.
 */
export async function startMinuteCycleWorld(
  runId: string,
  options: {
    readonly store?: StateStore;
    readonly cluster?: Parameters<typeof startLocalCluster>[0];
    readonly logger?: CycleProcessParts['logger'];
    readonly reporter?: CycleProcessParts['reporter'];
  } = {},
): Promise<MinuteCycleWorld> {
  const local = await startLocalCluster(options.cluster);
  const clock = new ManualClock(local.sim.nowMs());
  const client = new KubernetesClient({ baseUrl: local.emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) });
  const adapters = createClusterAdapters(client, { cluster: LOCAL_JOB_KEY.cluster, clock });
  const metrics = new FlinkRestMetricsSource();
  const store = options.store ?? new InMemoryStateStore();
  const watchers = {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.reporter ? { reporter: options.reporter } : {}),
  };
  const deps = composeCycleDependencies(adapters, { store, metrics, clock, cadenceMs: MINUTE_MS, ...watchers }, runId);
  return {
    sim: local.sim,
    emulator: local.emulator,
    store,
    clock,
    minute: async () => {
      clock.advance(MINUTE_MS);
      await local.advance(MINUTE_MS);
      return runCycle(deps, LOCAL_JOB_KEY);
    },
    close: async () => {
      await metrics.close();
      await client.close();
      await local.close();
    },
  };
}
