/**
 * Load: many simulated jobs in one local run through the real dispatcher and scale-job handlers
 * with bounded concurrency, as deployed (SQS batches of `batchSize` job messages, `workerConcurrency`
 * invocations at once). It measures throughput and correctness under load; what a cycle costs is
 * the cost section's (./cost.ts, priced with lib/report/cloud-prices.ts).
 *
 * Every job is a real FlinkDeployment in the Kubernetes emulator and a real simulated Flink
 * cluster (`SimulatedFlinkCluster`, the simulator's model and REST answers), all served by ONE
 * HTTP server that routes `/<job>/…` to the job's cluster (1,000 listening servers would measure
 * the OS, not the autoscaler). Jobs point at it with the `rest-url` annotation, so the Flink REST
 * calls go directly to it instead of through the emulator's service proxy. State is in dynalite
 * (requests counted by an SDK middleware); the queue is in-process (SQS cannot run here).
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { WorkerRecordResult } from '../functions/scale-job/scale-job-handler.ts';
import { localHandlers } from '../sim/world/local-handlers.ts';
import { EmfMetricsReporter } from '../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import { createStateTable } from '../lib/adapters/dynamodb/create-state-table.ts';
import { DynamoDbStateStore } from '../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { FlinkRestMetricsSource } from '../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { createClusterAdapters } from '../lib/adapters/kubernetes/cluster-adapters.ts';
import { REST_URL_ANNOTATION } from '../lib/domain/resource-metadata.ts';
import { KubernetesClient } from '../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../lib/adapters/kubernetes/auth/token-providers.ts';
import { ManualClock } from '../lib/adapters/clock/manual-clock.ts';
import { InMemoryJobQueue } from '../lib/adapters/sqs/sqs-job-queue.ts';
import type { CycleLogger } from '../lib/cycle/run-cycle.ts';
import { aFlinkDeployment } from '../test/integration/kubernetes/flink-fixtures.ts';
import {
  AUTOSCALER_CONFIG,
  LAGGING_SCENARIO,
  MINUTE,
  sqsEvent,
} from '../test/reliability/support/reliability-world.ts';
import { localDynamoClient, startDynalite } from '../sim/dynalite-server.ts';
import type { BenchTable } from './bench-table.ts';
import { startMultiJobEmulator, startMultiJobSimulator } from './multi-job-simulator.ts';

export interface LoadOptions {
  /** @default 1000 */
  readonly jobs?: number;
  /** Scheduled ticks (one minute apart). @default 4 */
  readonly ticks?: number;
  /** Worker invocations at once (the event source's maxConcurrency). @default 10 */
  readonly workerConcurrency?: number;
  /** Job messages per worker invocation (the event source's batch size). @default 10 */
  readonly batchSize?: number;
  /**
   * Cycles one invocation runs at once. @default 1: every invocation runs in this one Node process
   * on the benchmark machine (2 shared cores), where 10 × 10 cycles at once starve the simulator's
   * REST server into timeouts that Lambdas, each in its own process, would not see; one at a time
   * keeps the total in flight at `workerConcurrency`, as before batching.
   */
  readonly cycleConcurrency?: number;
}

export interface LoadResult {
  readonly jobs: number;
  readonly ticks: number;
  readonly batchSize: number;
  readonly cycles: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly failed: number;
  readonly crashed: number;
  /** Why the failed or crashed cycles ended so, with how many. */
  readonly failureReasons: Readonly<Record<string, number>>;
  readonly scaledJobs: number;
  readonly patches: number;
  /** Jobs patched more than once per tick (must be 0). */
  readonly doublePatches: number;
  readonly maxInFlight: number;
  readonly wallMs: number;
  readonly cyclesPerSecond: number;
  readonly meanCycleMs: number;
  readonly p95CycleMs: number;
  readonly dynamoRequestsPerCycle: number;
  readonly dispatchMs: number;
}

const silent: CycleLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** Runs the load and returns its measurements. */
export async function runReliabilityLoad(options: LoadOptions = {}): Promise<LoadResult> {
  const jobCount = options.jobs ?? 1000;
  const tickCount = options.ticks ?? 4;
  const concurrency = options.workerConcurrency ?? 10;
  const batchSize = options.batchSize ?? 10;
  const cycleConcurrency = options.cycleConcurrency ?? 1;
  const names = Array.from({ length: jobCount }, (_, i) => `load-${String(i).padStart(4, '0')}`);
  const sim = await startMultiJobSimulator(names, LAGGING_SCENARIO('load'));
  const first = sim.clusters.get(names[0]!)!;
  const emulator = await startMultiJobEmulator(sim, { token: 'load-token', startTimeMs: first.nowMs, applyOverrides: true });
  const dynamo = await startDynalite();
  const client = localDynamoClient(dynamo.endpoint);
  let dynamoRequestCount = 0;
  client.middlewareStack.add(
    (next) => (args) => {
      dynamoRequestCount += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  const tableName = `fsa-load-${process.pid}`;
  await createStateTable(client, tableName);
  const store = new DynamoDbStateStore(DynamoDBDocumentClient.from(client), { tableName });
  const clock = new ManualClock(first.nowMs);
  const kube = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('load-token') });
  const adapters = createClusterAdapters(kube, { cluster: 'local', clock });
  const metrics = new FlinkRestMetricsSource();
  const reporter = new EmfMetricsReporter({ output: () => {}, now: () => clock.nowMs() });
  const queue = new InMemoryJobQueue();
  for (const name of names) {
    emulator.apply(
      aFlinkDeployment({
        name,
        flinkConfiguration: { ...AUTOSCALER_CONFIG },
        annotations: { [REST_URL_ANNOTATION]: `${sim.url}/${name}` },
      }),
    );
  }
  const advance = async (ms: number) => {
    clock.advance(ms);
    for (const cluster of sim.clusters.values()) cluster.advance(ms);
    await emulator.advance(ms);
  };
  await advance(20_000);

  let inFlight = 0;
  let maxInFlight = 0;
  const { worker, dispatcher } = localHandlers({
    adapters,
    metrics,
    store,
    clock,
    queue,
    logger: silent,
    reporter,
    concurrency: cycleConcurrency,
  });

  const results: WorkerRecordResult[] = [];
  const cycleMs: number[] = [];
  let doublePatches = 0;
  let dispatchMs = 0;
  const started = performance.now();
  const dynamoBefore = dynamoRequestCount;
  for (let tick = 0; tick < tickCount; tick++) {
    await advance(MINUTE);
    const requestsBefore = emulator.requests.length;
    const dispatchStart = performance.now();
    await dispatcher({ time: new Date(clock.nowMs()).toISOString() });
    dispatchMs += performance.now() - dispatchStart;
    const messages = queue.drain();
    const batches = Array.from({ length: Math.ceil(messages.length / batchSize) }, (_, i) =>
      messages.slice(i * batchSize, (i + 1) * batchSize),
    );
    let next = 0;
    // `concurrency` Lambda invocations at once, one batch each.
    const invocation = async (lane: number) => {
      while (next < batches.length) {
        const index = next++;
        const batch = batches[index]!;
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const t0 = performance.now();
        const response = await worker(sqsEvent(batch, `t${tick}-${index}`), {
          awsRequestId: `load-${tick}-${lane}-${index}`,
        } as unknown as Context);
        // An invocation's time is shared by the jobs of its batch (billed once).
        const perJobMs = (performance.now() - t0) / batch.length;
        for (let i = 0; i < batch.length; i++) cycleMs.push(perJobMs);
        inFlight -= 1;
        results.push(...response.results);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, lane) => invocation(lane)));
    const patched = new Map<string, number>();
    for (const r of emulator.requests.slice(requestsBefore)) {
      if (r.method !== 'PATCH' || r.status >= 300) continue;
      patched.set(r.path, (patched.get(r.path) ?? 0) + 1);
    }
    doublePatches += [...patched.values()].filter((n) => n > 1).length;
  }
  const wallMs = performance.now() - started;
  const dynamoRequests = dynamoRequestCount - dynamoBefore;
  const patches = emulator.requests.filter((r) => r.method === 'PATCH' && r.status < 300).length;
  // The last tick's patches take effect after the emulated restart (restartDelayMs): let them,
  // so the count below is of jobs that run at their new parallelism, not of the ones still restarting.
  await advance(MINUTE);
  let scaledJobs = 0;
  for (const cluster of sim.clusters.values()) if (cluster.parallelismOf('src') > 1) scaledJobs += 1;

  await metrics.close();
  await kube.close();
  await emulator.close();
  await sim.close();
  client.destroy();
  await dynamo.close();

  const outcomes: Record<string, number> = {};
  const failureReasons: Record<string, number> = {};
  for (const r of results) {
    const key = r.result?.outcome ?? 'crashed';
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (key === 'failed' || key === 'crashed') {
      // The reason without the job's own names and numbers, so like failures count together.
      const reason = String(r.result?.reason ?? r.error ?? 'unknown').replace(/load-\d+/g, '<job>').replace(/\b[0-9a-f]{32}\b/g, '<id>').replace(/\d+(\.\d+)?/g, 'N');
      failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
    }
  }
  const cycles = results.length;
  const meanCycleMs = cycleMs.reduce((a, b) => a + b, 0) / Math.max(1, cycleMs.length);
  const dynamoRequestsPerCycle = dynamoRequests / Math.max(1, cycles);
  return {
    jobs: jobCount,
    ticks: tickCount,
    batchSize,
    cycles,
    outcomes,
    failed: outcomes['failed'] ?? 0,
    crashed: outcomes['crashed'] ?? 0,
    failureReasons,
    scaledJobs,
    patches,
    doublePatches,
    maxInFlight,
    wallMs,
    cyclesPerSecond: cycles / (wallMs / 1000),
    meanCycleMs,
    p95CycleMs: percentile(cycleMs, 0.95),
    dynamoRequestsPerCycle,
    dispatchMs: dispatchMs / tickCount,
  };
}

/** The benchmark table (`npm run bench`). */
export async function benchReliabilityLoad(options: LoadOptions = {}): Promise<BenchTable> {
  const r = await runReliabilityLoad(options);
  const f = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  return {
    title: `Load: ${f(r.jobs, 0)} simulated jobs × ${r.ticks} ticks through dispatcher and workers (${r.maxInFlight} invocations of ${r.batchSize} jobs at once)`,
    headers: ['measure', 'value'],
    rows: [
      ['job cycles', f(r.cycles, 0)],
      [
        'outcomes',
        Object.entries(r.outcomes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ],
      ...(Object.keys(r.failureReasons).length > 0
        ? [['why cycles failed', Object.entries(r.failureReasons).map(([reason, n]) => `${n} × ${reason}`).join('; ')]]
        : []),
      ['jobs scaled (simulator parallelism > 1)', f(r.scaledJobs, 0)],
      ['patches / jobs patched twice in a tick', `${r.patches} / ${r.doublePatches}`],
      ['throughput', `${f(r.cyclesPerSecond)} job cycles/s`],
      ['invocation time per job, mean / p95', `${f(r.meanCycleMs)} ms / ${f(r.p95CycleMs)} ms`],
      ['dispatcher tick (list + enqueue)', `${f(r.dispatchMs)} ms`],
      ['DynamoDB requests per job cycle', f(r.dynamoRequestsPerCycle, 2)],
    ],
    notes: [
      'One HTTP server routes /<job>/… to each job’s SimulatedFlinkCluster (the simulator’s model and REST answers); ' +
        'the Kubernetes emulator holds every FlinkDeployment; dynalite keeps the state; the SQS queue is in-process.',
      'What a job-cycle costs is measured and priced in the cost section below, not here.',
    ],
  };
}
