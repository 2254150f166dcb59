/**
 * The price of a decision and vertex names through the real cycle (Kubernetes emulator + Flink
 * simulator + DynamoDB on dynalite): the ScalingReport event on the resource states the price of
 * the change and names the vertices, and `fsa status` (the CLI, reading the table) shows the
 * decision's price and what the autoscaler saved against the resource's own spec.
 */
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerStatusCommand } from '../../../bin/commands/status.ts';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { StateStoreEventSink } from '../../../lib/adapters/dynamodb/state-store-event-sink.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { createClusterAdapters } from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import type { CycleResult } from '../../../lib/cycle/cycle-result.ts';
import { runCycle } from '../../../lib/cycle/run-cycle.ts';
import { describePrice } from '../../../lib/decide/price-decision.ts';
import type { JobKey } from '../../../lib/domain/index.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';
import { FAST_AUTOSCALER_CONFIG, LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

const KEY: JobKey = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: 'orders-enrichment' };
const MIN = 60_000;
const SOURCE_NAME = 'Kafka orders -> Timestamps/Watermarks -> Parse JSON -> Filter valid orders -> Enrich';

/**
 * An over-provisioned job: 8 + 8 subtasks (4 TaskManagers of 2 slots, 2 vCPU and 4 GiB each in
 * the fixture) for 200 records/s that one subtask of each vertex handles.
 */
const OVERPROVISIONED = `
name: orders-enrichment
restart: { downtimeMs: 20 s, mode: in-place }
job:
  vertices:
    - id: src
      name: ${SOURCE_NAME}
      parallelism: 8
      maxParallelism: 128
      costMsPerRecord: 1.5
      source: { type: kafka, topic: orders, partitions: 8, load: { type: constant, recordsPerSecond: 200 } }
    - { id: sink, name: 'Sink: Orders table', parallelism: 8, maxParallelism: 128, costMsPerRecord: 0.3 }
  edges:
    - { from: src, to: sink }
`;

let local: LocalCluster;
let dynalite: DynaliteHandle;
let store: DynamoDbStateStore;
let tableName: string;
let clock: ManualClock;
const results: CycleResult[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  local = await startLocalCluster({
    scenario: OVERPROVISIONED,
    flinkConfiguration: { ...FAST_AUTOSCALER_CONFIG, 'job.autoscaler.scale-down.interval': '1 min' },
  });
  dynalite = await startDynalite();
  const table = await createLocalStateTable(dynalite.endpoint);
  tableName = table.tableName;
  store = new DynamoDbStateStore(table.doc, { tableName });
  clock = new ManualClock(local.sim.nowMs());
  const client = new KubernetesClient({ baseUrl: local.emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) });
  const adapters = createClusterAdapters(client, { cluster: 'local', clock });
  const metrics = new FlinkRestMetricsSource();
  closers.push(() => metrics.close(), () => client.close());
  const deps = {
    discovery: adapters.discovery,
    metrics,
    store,
    realizer: adapters.realizer,
    eventSinks: [adapters.events, new StateStoreEventSink(store, clock)],
    clock,
    cadenceMs: MIN,
    restTarget: (job: Parameters<typeof adapters.restTarget>[0]) => adapters.restTarget(job),
    runId: 'decision-price-test',
  };
  // Until the first scaling, then 30 more minutes at the new parallelism.
  let minutesAfterScale = -1;
  for (let minute = 0; minute < 60 && minutesAfterScale < 30; minute++) {
    clock.advance(MIN);
    await local.advance(MIN);
    const result = await runCycle(deps, KEY);
    results.push(result);
    if (minutesAfterScale >= 0) minutesAfterScale++;
    else if (result.decision?.action === 'scale') minutesAfterScale = 0;
  }
}, 120_000);

afterAll(async () => {
  for (const close of closers) await close();
  await local?.close();
  await dynalite?.close();
});

describe('the price of a decision through the real cycle', () => {
  it('the ScalingReport on the resource states the price of the change and names the vertices', () => {
    const scalings = results.filter((r) => r.decision?.action === 'scale');
    const first = scalings[0]?.decision?.price;
    // 2 vCPU + 4 GiB at the Fargate defaults: $0.09874 per TaskManager-hour; fewer TaskManagers.
    expect(first?.taskManagerUsdPerHour).toBeCloseTo(2 * 0.04048 + 4 * 0.004445, 10);
    expect(first?.currentTaskManagers).toBe(4);
    expect(first!.newTaskManagers).toBeLessThan(4);
    expect(first!.deltaUsdPerHour).toBeCloseTo((first!.newTaskManagers - 4) * first!.taskManagerUsdPerHour, 10);
    expect(scalings[0]?.decision?.summary).toContain(`Price: ${describePrice(first!)}.`);

    // The operator's event handling keeps one ScalingReport per key, its message the latest one.
    const latest = scalings.at(-1)?.decision;
    const reports = local.emulator.events('flink-jobs', 'orders-enrichment').filter((e) => e['reason'] === 'ScalingReport');
    expect(reports).toHaveLength(1);
    const message = String(reports[0]?.['message']);
    expect(message).toMatch(/^Scaling execution enabled, begin scaling vertices:\{ Vertex ID [0-9a-f]{32} \| Parallelism \d+ -> /);
    expect(message).toContain(`} Price: ${describePrice(latest!.price!)}.`);
    expect(message).toMatch(/ Vertices: Source: Kafka orders -> … -> Enrich \([0-9a-f]{8}\); Sink: Orders table \([0-9a-f]{8}\)\.$/);
    // The vertex decisions carry the names the events and tables show.
    const source = latest?.vertices.find((v) => v.vertexName?.startsWith('Source: '));
    expect(source?.vertexName).toBe(`Source: ${SOURCE_NAME}`);
  });

  it('keeps every ScalingReport with its price in the event log', async () => {
    const logged = (await store.listEvents(KEY)).filter((e) => e.reason === 'ScalingReport');
    const scalings = results.filter((r) => r.decision?.action === 'scale');
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged.map((e) => e.message)).toContainEqual(expect.stringContaining(` Price: ${describePrice(scalings[0]!.decision!.price!)}.`));
  });

  it('keeps the names and the running total in the stored state', async () => {
    const state = (await store.load(KEY, { sinceMs: 0 })).state;
    // Kept shortened (chain ends), bounded for the item size.
    expect(Object.values(state.vertexNames ?? {}).sort()).toEqual([
      'Sink: Orders table',
      'Source: Kafka orders -> … -> Enrich',
    ]);
    const ledger = state.costLedger;
    expect(ledger?.specTaskManagers).toBe(4);
    expect(ledger!.currentTaskManagers).toBeLessThan(4);
    // About 30 minutes at fewer TaskManagers than the spec: a saving, bounded by what it can be.
    const maxSaved = (4 * ledger!.taskManagerUsdPerHour * 31) / 60;
    expect(ledger!.savedUsd).toBeGreaterThan(0);
    expect(ledger!.savedUsd).toBeLessThanOrEqual(maxSaved);
    expect(results.at(-1)?.costLedger).toEqual(ledger);
  });

  it('`fsa status` shows the last decision price and the savings against the spec', async () => {
    const lines: string[] = [];
    const program = new Command().exitOverride();
    registerStatusCommand(program, { write: (text) => lines.push(text) }, () => clock.nowMs());
    const table = ['--table', tableName, '--endpoint', dynalite.endpoint, '--region', 'us-east-1'];
    await program.parseAsync(['node', 'fsa', 'status', ...table]);
    const text = lines.join('');
    expect(text).toContain('COST VS SPEC');
    const ledger = (await store.load(KEY, { sinceMs: 0 })).state.costLedger!;
    expect(text).toMatch(new RegExp(`saved \\$${ledger.savedUsd.toFixed(4).replace('.', '\\.')} since `));
    expect(text).toMatch(new RegExp(`${ledger.currentTaskManagers} TM vs 4 in the spec: −\\$`));

    lines.length = 0;
    const json = new Command().exitOverride();
    registerStatusCommand(json, { write: (t) => lines.push(t) }, () => clock.nowMs());
    await json.parseAsync(['node', 'fsa', 'status', 'flink-jobs/orders-enrichment', '--json', ...table]);
    const [status] = JSON.parse(lines.join('')) as { costVsSpec: { savedUsd: number } }[];
    expect(status?.costVsSpec.savedUsd).toBeCloseTo(ledger.savedUsd, 10);
  });
});
