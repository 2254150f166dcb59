/**
 * The reliability harness: the full wiring of test/integration/functions/handlers-end-to-end.test.ts
 * (dispatcher + scale-job handlers, the production `cycleDependenciesFor`, the Kubernetes emulator,
 * one Flink simulator per job behind the emulator's service proxy, DynamoDB on dynalite) made
 * reusable, with every fault switch in reach and everything the invariants need captured:
 * Powertools log lines, EMF documents, Kubernetes requests and events.
 *
 * Only the queue is in-process (SQS cannot run here); DynamoDB faults are injected by a proxy in
 * front of a real dynalite (see dynamo-fault-proxy.ts).
 */

import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import type { WorkerRecordResult } from '../../../functions/scale-job/scale-job-handler.ts';
import { cycleLogger } from '../../../functions/shared/wiring.ts';
import { localHandlers } from '../../../sim/world/local-handlers.ts';
import { EmfMetricsReporter } from '../../../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import { createStateTable } from '../../../lib/adapters/dynamodb/create-state-table.ts';
import { DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import {
  type ClusterAdapters,
  createClusterAdapters,
} from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import type { BearerTokenProvider } from '../../../lib/adapters/kubernetes/auth/eks-token.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { sqsEventOf } from '../../../lib/adapters/sqs/sqs-event.ts';
import { InMemoryJobQueue } from '../../../lib/adapters/sqs/sqs-job-queue.ts';
import type { JobKey } from '../../../lib/domain/index.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import {
  parallelismOverridesOf,
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import type { JobMessage } from '../../../lib/ports/job-queue.ts';
import type { ScalingRealizer } from '../../../lib/ports/scaling-realizer.ts';
import { aFlinkDeployment } from '../../integration/kubernetes/flink-fixtures.ts';
import { laggingSourceScenario } from '../../support/local-cluster.ts';
import { type DynamoFaultProxy, startDynamoFaultProxy } from './dynamo-fault-proxy.ts';

export const MINUTE = 60_000;
export const OVERRIDES_KEY = 'pipeline.jobvertex-parallelism-overrides';

/** One Kafka source that cannot keep up, named per job. */
export const LAGGING_SCENARIO = laggingSourceScenario;

export const AUTOSCALER_CONFIG: Readonly<Record<string, string>> = {
  'taskmanager.numberOfTaskSlots': '2',
  'jobmanager.scheduler': 'adaptive',
  'high-availability.type': 'kubernetes',
  'job.autoscaler.metrics.window': '3 min',
  'job.autoscaler.stabilization.interval': '1 min',
  'job.autoscaler.restart.time': '30 s',
  'job.autoscaler.catch-up.duration': '10 min',
  'job.autoscaler.flink.rest-client.timeout': '800 ms',
  // Fault runs need jobs that stay put after their first scaling, so that every fault meets a
  // RUNNING job; the settle's second rescale belongs to the decision-quality tests.
  'job.autoscaler.catch-up.settle.enabled': 'false',
};

/**
 * A token source like the EKS one: it caches a token until told it is invalid, then fetches the
 * one the "cluster" currently accepts. `rotate()` expires the current token mid-run.
 */
export class RotatingToken implements BearerTokenProvider {
  #serial = 1;
  #accepted = RotatingToken.tokenFor(1);
  #cached: string | undefined;
  /** Every token ever issued (the log scan looks for all of them). */
  readonly issued: string[] = [this.#accepted];
  fetches = 0;

  static tokenFor(serial: number): string {
    return `k8s-aws-v1.c2VjcmV0LXRva2VuLWZvci10ZXN0cy0${serial}X${'q'.repeat(40)}`;
  }
  accepts = (token: string): boolean => token === this.#accepted;
  rotate(): void {
    this.#serial += 1;
    this.#accepted = RotatingToken.tokenFor(this.#serial);
    this.issued.push(this.#accepted);
  }
  async getToken(): Promise<string> {
    if (this.#cached === undefined) {
      this.fetches += 1;
      this.#cached = this.#accepted;
    }
    return this.#cached;
  }
  invalidate(): void {
    this.#cached = undefined;
  }
}

/** A successful PATCH of a FlinkDeployment as the emulator recorded it. */
export interface PatchRecord {
  readonly job: string;
  readonly overrides: string | undefined;
  readonly index: number;
}

export interface TickResult {
  readonly tickMs: number;
  readonly results: readonly WorkerRecordResult[];
  /** Outcome per job name (last record of the job in this tick). */
  readonly outcomes: ReadonlyMap<string, string>;
  /** Successful FlinkDeployment patches during this tick. */
  readonly patches: readonly PatchRecord[];
}

export interface WorldOptions {
  /** Job (FlinkDeployment) names. */
  readonly jobs: readonly string[];
  readonly kubernetesTimeoutMs?: number;
  /** SDK attempts per DynamoDB call (the SDK's own retries). @default 2 */
  readonly dynamoMaxAttempts?: number;
}

export interface ReliabilityWorld {
  readonly clock: ManualClock;
  readonly emulator: KubernetesEmulator;
  readonly sims: ReadonlyMap<string, FlinkSimulator>;
  readonly dynamo: DynamoFaultProxy;
  readonly store: DynamoDbStateStore;
  readonly token: RotatingToken;
  readonly logLines: string[];
  readonly emfLines: string[];
  readonly queue: InMemoryJobQueue;
  /** Wraps the realizer of the next worker runs (a crash between persist and realize). */
  wrapRealizer: ((real: ScalingRealizer) => ScalingRealizer) | undefined;
  keyOf(job: string): JobKey;
  advance(ms: number): Promise<void>;
  /** One scheduled tick: advance a minute, dispatch, run every queued message through workers. */
  tick(options?: {
    advanceMs?: number;
    beforeWorkers?: (messages: JobMessage[]) => void;
  }): Promise<TickResult>;
  /** Runs the worker on given messages (duplicates, out of order, concurrent invocations). */
  runWorker(
    messages: readonly JobMessage[],
    requestId: string,
    concurrency?: number,
  ): Promise<WorkerRecordResult[]>;
  dispatch(): Promise<JobMessage[]>;
  /** Successful FlinkDeployment patches recorded since emulator request `from`. */
  patchesSince(from: number): PatchRecord[];
  close(): Promise<void>;
}

const lambdaContext = (requestId: string) => ({ awsRequestId: requestId }) as unknown as Context;

export function sqsEvent(messages: readonly JobMessage[], prefix: string): SQSEvent {
  return sqsEventOf(messages, { messageIdPrefix: prefix });
}

export function scheduleEvent(timeMs: number) {
  return { time: new Date(timeMs).toISOString() };
}

/** A Powertools logger at DEBUG whose output (the real JSON lines) goes into `lines`. */
export function capturingPowertoolsLogger(lines: string[]): Logger {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const logger = new Logger({ serviceName: 'fsa-reliability', logLevel: 'DEBUG' });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return logger;
}

export async function startReliabilityWorld(options: WorldOptions): Promise<ReliabilityWorld> {
  const sims = new Map<string, FlinkSimulator>();
  for (const job of options.jobs)
    sims.set(job, await startFlinkSimulator({ scenario: LAGGING_SCENARIO(job) }));
  const first = sims.get(options.jobs[0]!)!;
  const token = new RotatingToken();
  const emulator = await startKubernetesEmulator({
    token: (t) => token.accepts(t),
    restartDelayMs: 20_000,
    startTimeMs: first.nowMs(),
    onSpecApplied: (resource) => {
      const sim = sims.get(String((resource.metadata as { name?: string }).name));
      if (!sim) return {};
      const overrides = parallelismOverridesOf(resource);
      return { jobId: overrides ? sim.applyParallelism(overrides).jobId : sim.jobId };
    },
  });
  for (const [job, sim] of sims) emulator.setProxyTarget('flink-jobs', `${job}-rest`, sim.url);

  const dynamo = await startDynamoFaultProxy();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    },
    maxAttempts: options.dynamoMaxAttempts ?? 2,
    retryStrategy: undefined,
  });
  const tableName = `fsa-reliability-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
  await createStateTable(client, tableName);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const store = new DynamoDbStateStore(doc, { tableName });

  const clock = new ManualClock(first.nowMs());
  const kube = new KubernetesClient({
    baseUrl: emulator.url,
    token,
    requestTimeoutMs: options.kubernetesTimeoutMs ?? 1_500,
    // Retry-After is honoured but capped, so fault runs stay fast.
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 20))),
  });
  const adapters: ClusterAdapters = createClusterAdapters(kube, { cluster: 'local', clock });
  const metrics = new FlinkRestMetricsSource();
  const logLines: string[] = [];
  const emfLines: string[] = [];
  const powertools = capturingPowertoolsLogger(logLines);
  const logger = cycleLogger(powertools);
  const reporter = new EmfMetricsReporter({
    output: (line) => emfLines.push(line),
    now: () => clock.nowMs(),
  });
  const queue = new InMemoryJobQueue();

  for (const job of options.jobs) {
    emulator.apply(aFlinkDeployment({ name: job, flinkConfiguration: { ...AUTOSCALER_CONFIG } }));
  }

  const advance = async (ms: number) => {
    clock.advance(ms);
    for (const sim of sims.values()) sim.advance(ms);
    await emulator.advance(ms);
  };
  await advance(20_000); // deployed and RUNNING

  const world: ReliabilityWorld = {
    clock,
    emulator,
    sims,
    dynamo,
    store,
    token,
    logLines,
    emfLines,
    queue,
    wrapRealizer: undefined,
    keyOf: (job) => ({ cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: job }),
    advance,
    async dispatch() {
      const { dispatcher } = localHandlers({
        adapters,
        metrics,
        store,
        clock,
        queue,
        logger,
        reporter,
        reportDispatch: (run) => reporter.reportRun(run),
      });
      await dispatcher(scheduleEvent(clock.nowMs()));
      reporter.flush();
      return queue.drain();
    },
    async runWorker(messages, requestId, concurrency = 4) {
      const { worker } = localHandlers({
        adapters,
        metrics,
        store,
        clock,
        queue,
        logger,
        reporter,
        reportWork: (run) => reporter.reportRun({ kind: 'worker', ...run }),
        concurrency,
        wrapDependencies: (deps) => {
          const wrap = world.wrapRealizer;
          return wrap ? { ...deps, realizer: wrap(deps.realizer) } : deps;
        },
      });
      const response = await worker(sqsEvent(messages, requestId), lambdaContext(requestId));
      reporter.flush();
      return response.results;
    },
    patchesSince(from) {
      const out: PatchRecord[] = [];
      emulator.requests.forEach((r, index) => {
        if (index < from || r.method !== 'PATCH' || r.status >= 300) return;
        const match = /\/flinkdeployments\/([^/?]+)/.exec(r.path);
        if (!match?.[1]) return;
        let overrides: string | undefined;
        try {
          const body = JSON.parse(r.body) as { spec?: { flinkConfiguration?: Record<string, unknown> } };
          const value = body.spec?.flinkConfiguration?.[OVERRIDES_KEY];
          overrides = typeof value === 'string' ? value : undefined;
        } catch {
          overrides = undefined;
        }
        out.push({ job: match[1], overrides, index });
      });
      return out;
    },
    async tick(tickOptions = {}) {
      await advance(tickOptions.advanceMs ?? MINUTE);
      const from = emulator.requests.length;
      const messages = await world.dispatch();
      tickOptions.beforeWorkers?.(messages);
      const results: WorkerRecordResult[] = [];
      // SQS batches of 10, as the event source mapping delivers them.
      for (let i = 0; i < messages.length; i += 10) {
        results.push(...(await world.runWorker(messages.slice(i, i + 10), `tick-${clock.nowMs()}-${i}`)));
      }
      const outcomes = new Map<string, string>();
      for (const r of results) {
        const name = r.job?.split('/').pop();
        if (name) outcomes.set(name, r.result?.outcome ?? `error:${r.error}`);
      }
      return { tickMs: clock.nowMs(), results, outcomes, patches: world.patchesSince(from) };
    },
    async close() {
      await metrics.close();
      await kube.close();
      await emulator.close();
      for (const sim of sims.values()) await sim.close();
      client.destroy();
      await dynamo.close();
    },
  };
  return world;
}
