/**
 * The run-cycle's refusals over the local servers: a resource the user must fix is refused with an
 * event that says what to change, and nothing is collected, stored or patched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StateStoreEventSink } from '../../../lib/adapters/dynamodb/state-store-event-sink.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { createClusterAdapters } from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { InMemoryStateStore } from '../../../lib/adapters/memory/in-memory-state-store.ts';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { runCycle } from '../../../lib/cycle/run-cycle.ts';
import type { JobKey } from '../../../lib/domain/index.ts';
import {
  FAST_AUTOSCALER_CONFIG,
  LOCAL_TOKEN,
  type LocalCluster,
  startLocalCluster,
} from '../../support/local-cluster.ts';

const KEY: JobKey = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
};
let local: LocalCluster | undefined;
afterEach(async () => {
  await local?.close();
  local = undefined;
});

async function cycleWith(flinkConfiguration: Record<string, string>, flinkVersion?: string) {
  local = await startLocalCluster({ flinkConfiguration, ...(flinkVersion ? { flinkVersion } : {}) });
  const clock = new ManualClock(local.sim.nowMs());
  const client = new KubernetesClient({
    baseUrl: local.emulator.url,
    token: new StaticTokenProvider(LOCAL_TOKEN),
  });
  const adapters = createClusterAdapters(client, { cluster: 'local', clock });
  const store = new InMemoryStateStore();
  const metrics = new FlinkRestMetricsSource();
  try {
    const result = await runCycle(
      {
        discovery: adapters.discovery,
        metrics,
        store,
        realizer: adapters.realizer,
        eventSinks: [new StateStoreEventSink(store, clock), adapters.events],
        clock,
        restTarget: (job) => adapters.restTarget(job),
        runId: 'refusal-test',
      },
      KEY,
    );
    const events = await store.listEvents(KEY, {});
    const loaded = await store.load(KEY, { sinceMs: 0 });
    const kubeEvents = local.emulator.events('flink-jobs') as { reason?: string; message?: string }[];
    return { result, events, loaded, kubeEvents };
  } finally {
    await metrics.close();
  }
}

describe('run-cycle refusals', () => {
  it('refuses a resource that also enables the operator autoscaler, with an event on the resource', async () => {
    const { result, events, loaded, kubeEvents } = await cycleWith({
      ...FAST_AUTOSCALER_CONFIG,
      'job.autoscaler.enabled': 'true',
    });
    expect(result.outcome).toBe('refused');
    expect(result.reason).toMatch(/built-in autoscaler is enabled/);
    expect(events.map((e) => e.reason)).toEqual(['InvalidConfiguration']);
    expect(kubeEvents.some((e) => /built-in autoscaler is enabled/.test(e.message ?? ''))).toBe(true);
    expect(loaded.revision).toBe(0); // nothing stored
  });

  it('refuses Flink 1.16 (parallelism overrides honoured from 1.17, FLINK-29501) with an event, never patching', async () => {
    const { result, events, loaded, kubeEvents } = await cycleWith({ ...FAST_AUTOSCALER_CONFIG }, 'v1_16');
    expect(result.outcome).toBe('refused');
    expect(result.reason).toMatch(/Flink v1_16 .*FLINK-29501/);
    expect(events.map((e) => e.reason)).toEqual(['InvalidConfiguration']);
    expect(kubeEvents.some((e) => /FLINK-29501/.test(e.message ?? ''))).toBe(true);
    expect(loaded.revision).toBe(0);
    expect(local?.emulator.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  it('refuses an invalid option value naming the key, the value and the allowed range', async () => {
    const { result, events, loaded } = await cycleWith({
      ...FAST_AUTOSCALER_CONFIG,
      'job.autoscaler.utilization.target': '1.7',
    });
    expect(result.outcome).toBe('refused');
    expect(events[0]?.message).toMatch(
      /job\.autoscaler\.utilization\.target is invalid, it should be a value within the range \[0, 1\]/,
    );
    expect(loaded.revision).toBe(0);
  });
});
