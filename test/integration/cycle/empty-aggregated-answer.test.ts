/**
 * An empty aggregated metric answer through the real cycle (emulator + Flink simulator over HTTP):
 * Flink answers `[]` as a whole when one requested metric has no values
 * (`AbstractAggregatingMetricsHandler.getAggregatedMetricValues`). The cycle must call that
 * "not ready" and name the metric, never read it as zeros (LAG 0, idle vertex), and recover by
 * itself once the metric is reported again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { StateStoreEventSink } from '../../../lib/adapters/dynamodb/state-store-event-sink.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { createClusterAdapters } from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { InMemoryStateStore } from '../../../lib/adapters/memory/in-memory-state-store.ts';
import { runCycle } from '../../../lib/cycle/run-cycle.ts';
import type { JobKey } from '../../../lib/domain/index.ts';
import { jobStatusOf } from '../../../lib/report/job-status.ts';
import { LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

const KEY: JobKey = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: 'orders-enrichment' };
const MIN = 60_000;
let local: LocalCluster | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await local?.close();
  local = undefined;
});

async function world() {
  local = await startLocalCluster();
  const clock = new ManualClock(local.sim.nowMs());
  const client = new KubernetesClient({ baseUrl: local.emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) });
  const adapters = createClusterAdapters(client, { cluster: 'local', clock });
  const metrics = new FlinkRestMetricsSource();
  closers.push(() => metrics.close(), () => client.close());
  const store = new InMemoryStateStore();
  const deps = {
    discovery: adapters.discovery,
    metrics,
    store,
    realizer: adapters.realizer,
    eventSinks: [new StateStoreEventSink(store, clock)],
    clock,
    cadenceMs: MIN,
    restTarget: (job: Parameters<typeof adapters.restTarget>[0]) => adapters.restTarget(job),
    runId: 'empty-aggregate-test',
  };
  const minute = async () => {
    clock.advance(MIN);
    await local!.advance(MIN);
    return runCycle(deps, KEY);
  };
  return { sim: local.sim, store, minute };
}

describe('an empty aggregated answer in the cycle', () => {
  it('is not-ready naming the metric, shown by fsa status, and clears once the metric is back', async () => {
    const { sim, store, minute } = await world();
    const first = await minute(); // lists every vertex; the sink's listing is kept for the attempt
    expect(first.reason).not.toMatch(/no values/);
    const sink = sim.cluster.scenario.vertices.find((vertex) => vertex.key === 'sink')!;

    // The sink stops reporting its busy time: the kept listing still names it, Flink answers [].
    sim.withholdMetric({ id: 'busyTimeMsPerSecond', vertex: 'sink' });
    const empty = await minute();
    expect(empty.outcome).toBe('not-ready');
    expect(empty.notReady?.reason).toBe('metrics');
    expect(empty.reason).toContain(`busyTimeMsPerSecond of vertex 'sink' (${sink.vertexId})`);
    const status = jobStatusOf(KEY, (await store.load(KEY, { sinceMs: 0 })).state, await store.lastRun(KEY));
    expect(status.health).toMatch(/^not ready/);
    expect((await store.lastRun(KEY))?.reason).toContain('busyTimeMsPerSecond');

    // The kept listing was dropped: the next cycle lists the sink again and no longer asks Flink
    // for a metric it does not have (the observation is incomplete, which decide never scales on).
    const sinkListings = () =>
      sim.requests.filter((r) => r.endsWith(`/vertices/${sink.vertexId}/subtasks/metrics`)).length;
    const listedBefore = sinkListings();
    const relisted = await minute();
    expect(sinkListings()).toBe(listedBefore + 1);
    expect(relisted.reason).not.toContain('no values');
    expect(relisted.decision?.action ?? 'not-ready').toBe('not-ready');

    sim.reportAllMetrics();
    let result = await minute();
    for (let i = 0; i < 10 && result.outcome === 'not-ready'; i++) {
      expect(result.reason).not.toContain('busyTimeMsPerSecond');
      result = await minute();
    }
    expect(result.outcome).not.toBe('not-ready');
  });
});
