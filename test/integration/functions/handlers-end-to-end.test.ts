/**
 * The two Lambda handlers end to end, with real event shapes, over real local servers: the
 * dispatcher lists the emulator's FlinkDeployments and queues one message per job; the worker
 * turns SQS records into run-cycles that read the Flink simulator through the emulator's service
 * proxy, keep state in dynalite and patch the FlinkDeployment; the emulator's operator model
 * applies the overrides to the simulator. Only the queue is in-process (SQS cannot run here).
 */

import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcherHandler } from '../../../functions/dispatcher/dispatcher-handler.ts';
import { localHandlers } from '../../../sim/world/local-handlers.ts';
import { DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import {
  type ClusterAdapters,
  createClusterAdapters,
} from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { sqsEventOf } from '../../../lib/adapters/sqs/sqs-event.ts';
import { InMemoryJobQueue } from '../../../lib/adapters/sqs/sqs-job-queue.ts';
import type { CycleLogger } from '../../../lib/cycle/run-cycle.ts';
import type { JobKey } from '../../../lib/domain/index.ts';
import type { FlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import type { KubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';
import type { JobMessage } from '../../../lib/ports/job-queue.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';
import {
  FAST_AUTOSCALER_CONFIG,
  LOCAL_TOKEN,
  type LocalCluster,
  startLocalCluster,
} from '../../support/local-cluster.ts';
import { aFlinkDeployment } from '../kubernetes/flink-fixtures.ts';

const MINUTE = 60_000;
const KEY: JobKey = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
};
const AUTOSCALER_CONFIG = FAST_AUTOSCALER_CONFIG;

const silent: CycleLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const lambdaContext = (requestId: string) => ({ awsRequestId: requestId }) as unknown as Context;

let local: LocalCluster;
let sim: FlinkSimulator;
let emulator: KubernetesEmulator;
let dynalite: DynaliteHandle;
let store: DynamoDbStateStore;
let clock: ManualClock;
let adapters: ClusterAdapters;
let metrics: FlinkRestMetricsSource;
const queue = new InMemoryJobQueue();

function sqsEvent(messages: readonly JobMessage[], prefix: string): SQSEvent {
  return sqsEventOf(messages, { messageIdPrefix: prefix });
}

function scheduleEvent(timeMs: number) {
  return {
    version: '0',
    id: `tick-${timeMs}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: '123456789012',
    time: new Date(timeMs).toISOString(),
    region: 'eu-west-1',
    resources: ['arn:aws:scheduler:eu-west-1:123456789012:schedule/default/fsa-tick'],
    detail: {},
  };
}

const handlers = () => localHandlers({ adapters, metrics, store, clock, queue, logger: silent });
const worker = () => handlers().worker;
const dispatcher = () => handlers().dispatcher;

/** Moves every virtual clock forward together. */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await local.advance(ms);
}

beforeAll(async () => {
  local = await startLocalCluster();
  ({ sim, emulator } = local);
  dynalite = await startDynalite();
  const table = await createLocalStateTable(dynalite.endpoint);
  store = new DynamoDbStateStore(table.doc, { tableName: table.tableName });
  clock = new ManualClock(sim.nowMs());
  const client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) });
  adapters = createClusterAdapters(client, { cluster: 'local', clock });
  metrics = new FlinkRestMetricsSource();
});

afterAll(async () => {
  await metrics?.close();
  await local?.close();
  await dynalite?.close();
});

describe('dispatcher + scale-job handlers over the local servers', () => {
  it('scales the lagging source through tick → queue → cycle → patch, and the simulator runs it', async () => {
    const results: string[] = [];
    let scaledAt: number | undefined;
    for (let minute = 1; minute <= 12 && scaledAt === undefined; minute++) {
      await advance(MINUTE);
      // Prepare: one schedule tick dispatches the job.
      const summary = await dispatcher()(scheduleEvent(clock.nowMs()));
      expect(summary.dispatched).toBe(1);
      // Act: the worker receives exactly what the dispatcher queued, as an SQS batch.
      const response = await worker()(sqsEvent(queue.drain(), `m${minute}`), lambdaContext(`req-${minute}`));
      // Assess each cycle: never a batch failure on the happy path.
      expect(response.batchItemFailures).toEqual([]);
      const result = response.results[0]?.result;
      results.push(`${result?.outcome}:${result?.decision?.action ?? '-'}`);
      if (result?.decision?.action === 'scale') scaledAt = minute;
    }
    // The window (5 min) fills after the stabilization minute; then the source scales up.
    expect(scaledAt, results.join(' ')).toBeDefined();
    const state = await store.load(KEY, { sinceMs: 0 });
    const overrides = Object.values(state.state.parallelismOverrides);
    expect(Math.max(...overrides)).toBeGreaterThanOrEqual(2);

    // The patch reached the resource, and after the restart delay the simulator runs it.
    const resource = emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment') as unknown as {
      spec: { flinkConfiguration: Record<string, string> };
    };
    expect(resource.spec.flinkConfiguration['pipeline.jobvertex-parallelism-overrides']).toMatch(/:\d+/);
    await advance(MINUTE);
    expect(sim.cluster.parallelismOf('src')).toBeGreaterThanOrEqual(2);

    // The decision is in the DynamoDB event log.
    const events = await store.listEvents(KEY, {});
    expect(events.map((e) => e.reason)).toContain('ScalingReport');
  });

  it('skips a duplicate delivery of the same tick without writing anything', async () => {
    await advance(MINUTE);
    await dispatcher()(scheduleEvent(clock.nowMs()));
    const [message] = queue.drain();
    expect(message).toBeDefined();
    const first = await worker()(sqsEvent([message!], 'dup-a'), lambdaContext('dup-a'));
    const before = await store.load(KEY, { sinceMs: 0 });
    const second = await worker()(sqsEvent([message!], 'dup-b'), lambdaContext('dup-b'));
    const after = await store.load(KEY, { sinceMs: 0 });
    expect(first.results[0]?.result?.outcome).not.toBe('skipped');
    expect(second.results[0]?.result?.outcome).toBe('skipped');
    expect(second.results[0]?.result?.reason).toMatch(/duplicate or late delivery/);
    expect(after.revision).toBe(before.revision);
  });

  it('dead-letters only what can never succeed (malformed, unknown cluster) and still runs the valid one', async () => {
    await advance(MINUTE);
    const valid: JobMessage = { key: KEY, tickMs: clock.nowMs() };
    const unknown: JobMessage = { key: { ...KEY, cluster: 'elsewhere' }, tickMs: clock.nowMs() };
    const event = sqsEvent([valid, unknown], 'mixed');
    event.Records.push({
      ...event.Records[0]!,
      messageId: 'bad-1',
      body: '{"v":1,"cluster":"local","namespace":"../etc"}',
    });
    const response = await worker()(event, lambdaContext('mixed'));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['bad-1', 'mixed-1']);
    expect(response.results.find((r) => r.messageId === 'bad-1')?.error).toMatch(/message.namespace/);
    expect(response.results.find((r) => r.messageId === 'mixed-1')?.error).toMatch(
      /cluster 'elsewhere' is not configured/,
    );
    expect(response.results.find((r) => r.messageId === 'mixed-0')?.result?.outcome).toBe('decided');
  });

  it('one failing job does not stop the others: an unreachable Flink REST API becomes an event', async () => {
    // A second opted-in deployment whose REST service the proxy cannot reach.
    emulator.apply(aFlinkDeployment({ name: 'broken-job', flinkConfiguration: AUTOSCALER_CONFIG }));
    await advance(MINUTE);
    const summary = await dispatcher()(scheduleEvent(clock.nowMs()));
    expect(summary.dispatched).toBe(2);
    const response = await worker()(sqsEvent(queue.drain(), 'two'), lambdaContext('two'));
    const byJob = new Map(response.results.map((r) => [r.job, r.result?.outcome]));
    expect(byJob.get('local/flink-jobs/FlinkDeployment/orders-enrichment')).toBe('decided');
    expect(byJob.get('local/flink-jobs/FlinkDeployment/broken-job')).toBe('failed');
    // Failure policy: the failed cycle is recorded and acknowledged; the next tick retries it.
    expect(response.batchItemFailures).toEqual([]);
    const broken = response.results.find((r) => r.job?.endsWith('/broken-job'))?.result;
    expect(broken?.transient).toBe(true);
    expect(broken?.reason).toMatch(/the next tick retries$/);
    const brokenKey: JobKey = { ...KEY, name: 'broken-job' };
    const events = await store.listEvents(brokenKey, {});
    expect(events.map((e) => e.reason)).toContain('AutoscalerError');
  });

  it('keeps dispatching the other clusters when one cannot be listed', async () => {
    const handler = createDispatcherHandler({
      clusters: [
        {
          name: 'gone',
          discovery: async () => Promise.reject(new Error('DescribeCluster: ResourceNotFoundException')),
        },
        { name: 'local', discovery: async () => adapters.discovery },
      ],
      queue,
      logger: silent,
      nowMs: () => clock.nowMs(),
    });
    const summary = await handler(scheduleEvent(clock.nowMs()));
    queue.drain();
    expect(summary.clusters).toEqual([
      { name: 'gone', jobs: 0, error: 'Error: DescribeCluster: ResourceNotFoundException' },
      { name: 'local', jobs: 2 },
    ]);
    expect(summary.dispatched).toBe(2);
  });
});
