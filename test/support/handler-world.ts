/**
 * A small local world for handler-level tests: the Flink simulator, the Kubernetes emulator
 * (operator model applying overrides to the simulator), dynalite over HTTP and the two Lambda
 * handlers wired as in production; only SQS is an in-process queue. Same setup as
 * test/integration/functions/handlers-end-to-end.test.ts, packaged so each test gets a fresh
 * world (one simulated job per world, so patches of one test never reach another's job).
 */

import type { Context, SQSEvent } from 'aws-lambda';
import type { DispatchSummary } from '../../functions/dispatcher/dispatcher-handler.ts';
import type { WorkerRecordResult } from '../../functions/scale-job/scale-job-handler.ts';
import { DynamoDbStateStore } from '../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import {
  type ClusterAdapters,
  createClusterAdapters,
} from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../../lib/adapters/kubernetes/auth/token-providers.ts';
import { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import { sqsEventOf } from '../../lib/adapters/sqs/sqs-event.ts';
import { InMemoryJobQueue } from '../../lib/adapters/sqs/sqs-job-queue.ts';
import type { CycleLogger } from '../../lib/cycle/run-cycle.ts';
import { parseMap } from '../../lib/config/value-parsers.ts';
import type { JobKey } from '../../lib/domain/index.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../sim/flink-simulator/index.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../sim/kubernetes-emulator/index.ts';
import type { JobMessage } from '../../lib/ports/job-queue.ts';
import type { PolicyHook } from '../../lib/ports/policy-hook.ts';
import { aFlinkDeployment } from '../integration/kubernetes/flink-fixtures.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from './dynalite.ts';

import { LAGGING_SOURCE_SCENARIO } from './local-cluster.ts';
import { localHandlers } from '../../sim/world/local-handlers.ts';

export { LAGGING_SOURCE_SCENARIO };

export const WORLD_NAMESPACE = 'flink-jobs';
export const WORLD_JOB = 'orders-enrichment';
export const WORLD_KEY: JobKey = {
  cluster: 'local',
  namespace: WORLD_NAMESPACE,
  kind: 'FlinkDeployment',
  name: WORLD_JOB,
};
export const OVERRIDES_KEY = 'pipeline.jobvertex-parallelism-overrides';
const MINUTE = 60_000;

/** Autoscaler settings that make the lagging source scale within a few virtual minutes. */
export const FAST_AUTOSCALER_CONFIG: Readonly<Record<string, string>> = {
  'taskmanager.numberOfTaskSlots': '2',
  'jobmanager.scheduler': 'adaptive',
  'high-availability.type': 'kubernetes',
  'job.autoscaler.metrics.window': '5 min',
  'job.autoscaler.stabilization.interval': '1 min',
  'job.autoscaler.restart.time': '30 s',
  'job.autoscaler.catch-up.duration': '10 min',
};

const silent: CycleLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Options of {@link startHandlerWorld}. */
export interface HandlerWorldOptions {
  readonly policy?: PolicyHook;
  /** Extra annotations on the deployment. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One tick's worker results plus the dispatcher summary. */
export interface WorldTick {
  readonly summary: DispatchSummary;
  readonly results: readonly WorkerRecordResult[];
}

export interface HandlerWorld {
  readonly sim: FlinkSimulator;
  readonly emulator: KubernetesEmulator;
  readonly store: DynamoDbStateStore;
  readonly clock: ManualClock;
  readonly client: KubernetesClient;
  /** dynalite endpoint and table, for CLI commands against the world's store. */
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** Advances every virtual clock by `ms`. */
  advance(ms: number): Promise<void>;
  /** One minute passes, then dispatcher tick → queue → worker batch. */
  tick(): Promise<WorldTick>;
  /** Ticks until the job's cycle decides `scale` (or `maxTicks` pass); returns the ticks run. */
  tickUntilScale(maxTicks?: number): Promise<WorldTick[]>;
  /** The deployment's `pipeline.jobvertex-parallelism-overrides` as a map (empty when unset). */
  overrides(): Record<string, string>;
  /** Re-applies the deployment with changed labels/annotations (spec unchanged). */
  relabel(labels: Record<string, string>, annotations?: Record<string, string>): void;
  close(): Promise<void>;
}

/** Starts a fresh world with one opted-in, RUNNING FlinkDeployment. */
export async function startHandlerWorld(options: HandlerWorldOptions = {}): Promise<HandlerWorld> {
  const sim = await startFlinkSimulator({ scenario: LAGGING_SOURCE_SCENARIO });
  const emulator = await startKubernetesEmulator({
    token: 'local-token',
    restartDelayMs: 20_000,
    startTimeMs: sim.nowMs(),
    onSpecApplied: (resource) => {
      const config = (resource.spec?.['flinkConfiguration'] ?? {}) as Record<string, string>;
      const text = config[OVERRIDES_KEY];
      if (!text) return { jobId: sim.jobId };
      const overrides = Object.fromEntries(Object.entries(parseMap(text)).map(([v, p]) => [v, Number(p)]));
      return { jobId: sim.applyParallelism(overrides).jobId };
    },
  });
  emulator.setProxyTarget(WORLD_NAMESPACE, `${WORLD_JOB}-rest`, sim.url);
  const dynalite: DynaliteHandle = await startDynalite();
  const table = await createLocalStateTable(dynalite.endpoint);
  const store = new DynamoDbStateStore(table.doc, { tableName: table.tableName });
  const clock = new ManualClock(sim.nowMs());
  const client = new KubernetesClient({
    baseUrl: emulator.url,
    token: new StaticTokenProvider('local-token'),
  });
  const adapters: ClusterAdapters = createClusterAdapters(client, { cluster: 'local', clock });
  const metrics = new FlinkRestMetricsSource();
  const queue = new InMemoryJobQueue();
  emulator.apply(
    aFlinkDeployment({
      flinkConfiguration: { ...FAST_AUTOSCALER_CONFIG },
      ...(options.annotations ? { annotations: { ...options.annotations } } : {}),
    }),
  );

  const { worker, dispatcher } = localHandlers({
    adapters,
    metrics,
    store,
    clock,
    queue,
    logger: silent,
    managedState: store,
    ...(options.policy ? { policy: options.policy } : {}),
  });

  let batch = 0;
  const advance = async (ms: number) => {
    clock.advance(ms);
    sim.advance(ms);
    await emulator.advance(ms);
  };
  const tick = async (): Promise<WorldTick> => {
    await advance(MINUTE);
    const summary = await dispatcher({ time: new Date(clock.nowMs()).toISOString() });
    batch += 1;
    const response = await worker(sqsEvent(queue.drain(), `b${batch}`), {
      awsRequestId: `req-${batch}`,
    } as unknown as Context);
    return { summary, results: response.results };
  };
  await advance(20_000); // deployed and RUNNING
  return {
    sim,
    emulator,
    store,
    clock,
    client,
    dynamoEndpoint: dynalite.endpoint,
    tableName: table.tableName,
    advance,
    tick,
    async tickUntilScale(maxTicks = 12) {
      const ticks: WorldTick[] = [];
      for (let i = 0; i < maxTicks; i++) {
        const t = await tick();
        ticks.push(t);
        if (t.results.some((r) => r.result?.decision?.action === 'scale' || r.result?.policy)) break;
      }
      return ticks;
    },
    overrides() {
      const resource = emulator.get('FlinkDeployment', WORLD_NAMESPACE, WORLD_JOB) as unknown as {
        spec: { flinkConfiguration: Record<string, string> };
      };
      const text = resource.spec.flinkConfiguration[OVERRIDES_KEY];
      return text ? parseMap(text) : {};
    },
    relabel(labels, annotations) {
      const current = emulator.get('FlinkDeployment', WORLD_NAMESPACE, WORLD_JOB) as unknown as {
        metadata: Record<string, unknown>;
      } & Record<string, unknown>;
      const { resourceVersion: _rv, ...metadata } = current.metadata;
      emulator.apply({
        ...current,
        metadata: { ...metadata, labels, ...(annotations ? { annotations } : {}) },
      });
    },
    async close() {
      await metrics.close();
      await emulator.close();
      await sim.close();
      await dynalite.close();
    },
  };
}

function sqsEvent(messages: readonly JobMessage[], prefix: string): SQSEvent {
  return sqsEventOf(messages, { messageIdPrefix: prefix });
}
