import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerResetCommand } from '../../../bin/commands/reset.ts';
import { DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { StateStoreEventSink } from '../../../lib/adapters/dynamodb/state-store-event-sink.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { createClusterAdapters } from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { runCycle } from '../../../lib/cycle/run-cycle.ts';
import type { JobKey } from '../../../lib/domain/index.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';
import { LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

const KEY: JobKey = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
};
const OVERRIDES = 'pipeline.jobvertex-parallelism-overrides';
let local: LocalCluster;
let dynalite: DynaliteHandle;
let store: DynamoDbStateStore;
let tableName: string;
let kubeconfig: string;

const spec = () =>
  (
    local.emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment') as unknown as {
      spec: { flinkConfiguration: Record<string, string> };
    }
  ).spec;

beforeAll(async () => {
  local = await startLocalCluster();
  dynalite = await startDynalite();
  const table = await createLocalStateTable(dynalite.endpoint);
  tableName = table.tableName;
  store = new DynamoDbStateStore(table.doc, { tableName });
  const clock = new ManualClock(local.sim.nowMs());
  const adapters = createClusterAdapters(
    new KubernetesClient({ baseUrl: local.emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) }),
    { cluster: 'local', clock },
  );
  const metrics = new FlinkRestMetricsSource();
  // Run cycles until the autoscaler has written its overrides.
  for (let minute = 0; minute < 12 && spec().flinkConfiguration[OVERRIDES] === undefined; minute++) {
    clock.advance(60_000);
    await local.advance(60_000);
    await runCycle(
      {
        discovery: adapters.discovery,
        metrics,
        store,
        realizer: adapters.realizer,
        eventSinks: [new StateStoreEventSink(store, clock)],
        clock,
        restTarget: (job) => adapters.restTarget(job),
        runId: `reset-test-${minute}`,
      },
      KEY,
    );
  }
  await metrics.close();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'fsa-reset-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\ncurrent-context: local\nclusters:\n- name: emu\n  cluster:\n    server: ${local.emulator.url}\nusers:\n- name: u\n  user:\n    token: ${LOCAL_TOKEN}\ncontexts:\n- name: local\n  context:\n    cluster: emu\n    user: u\n`,
  );
});
afterAll(async () => {
  await local?.close();
  await dynalite?.close();
});

async function reset(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerResetCommand(program);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
  try {
    await program.parseAsync(['node', 'fsa', 'reset', ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

describe('fsa reset', () => {
  it('removes the autoscaler overrides from the spec and forgets the state, keeping the event log', async () => {
    // Prepare: the autoscaler scaled the job, so the spec carries our overrides and state exists.
    expect(spec().flinkConfiguration[OVERRIDES]).toMatch(/:\d/);
    expect((await store.load(KEY, { sinceMs: 0 })).revision).toBeGreaterThan(0);
    const common = [
      'flink-jobs/orders-enrichment',
      '--kubeconfig',
      kubeconfig,
      '--table',
      tableName,
      '--endpoint',
      dynalite.endpoint,
    ];
    // A dry run changes nothing.
    const dry = JSON.parse(await reset(...common, '--dry-run')) as { patch: unknown };
    expect(dry.patch).not.toBeNull();
    expect(spec().flinkConfiguration[OVERRIDES]).toBeDefined();
    // Act
    const output = await reset(...common);
    // Assess
    expect(output).toMatch(/overrides were removed; \d+ state item\(s\) forgotten/);
    expect(output).toMatch(/still labelled: the next cycle starts from an empty state/);
    expect(spec().flinkConfiguration[OVERRIDES]).toBeUndefined();
    expect((await store.load(KEY, { sinceMs: 0 })).revision).toBe(0);
    expect((await store.listEvents(KEY, {})).length).toBeGreaterThan(0);
  });

  it('needs the table and a cluster', async () => {
    await expect(reset('flink-jobs/x', '--table', 't')).rejects.toThrow(/exactly one of --kubeconfig/);
  });
});
