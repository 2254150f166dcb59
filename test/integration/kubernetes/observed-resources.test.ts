/**
 * The realizer starts from the resource the discovery read in the same cycle
 * (lib/adapters/kubernetes/observed-resources.ts), against the emulator over HTTP: one GET per
 * cycle for a scaled job, and a change made in between is still caught by the PATCH's
 * resourceVersion (409, read again, patch the new spec).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { type ClusterAdapters, createClusterAdapters } from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import type { FlinkResource } from '../../../lib/adapters/kubernetes/flink-resource.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { OBSERVED_RESOURCE_MAX_AGE_MS } from '../../../lib/adapters/kubernetes/observed-resources.ts';
import { type KubernetesEmulator, startKubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment, aFlinkSessionJob, aSessionCluster, SINK, SOURCE } from './flink-fixtures.ts';

const KEY = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: 'orders-enrichment' } as const;
const PATH = '/apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments/orders-enrichment';
const OV = 'pipeline.jobvertex-parallelism-overrides';
const PATCH = `PATCH ${PATH}?fieldManager=flink-serverless-autoscaler`;

let emulator: KubernetesEmulator;
let client: KubernetesClient;
let clock: ManualClock;
let adapters: ClusterAdapters;

beforeEach(async () => {
  emulator = await startKubernetesEmulator({ token: 't', restartDelayMs: 10_000 });
  client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('t'), sleep: async () => {} });
  clock = new ManualClock(Date.UTC(2026, 11, 5));
  adapters = createClusterAdapters(client, { cluster: 'local', clock });
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});

const requestsSince = (mark: number) => emulator.requests.slice(mark).map((r) => `${r.method} ${r.path} ${r.status}`);

/** A deployment the autoscaler scaled earlier: its overrides are in the spec. */
async function aScaledDeployment(): Promise<void> {
  emulator.apply(aFlinkDeployment());
  await emulator.advance(10_000);
  await adapters.realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 6, [SINK]: 2 } });
  await emulator.advance(10_000);
}

describe('the realizer starts from the resource its cycle observed', () => {
  it('makes no second GET when the spec already holds the plan', async () => {
    await aScaledDeployment();
    const mark = emulator.requests.length;

    const job = await adapters.discovery.getJob(KEY);
    const result = await adapters.realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 6, [SINK]: 2 } });

    expect(job?.key.name).toBe('orders-enrichment');
    expect(result.outcome).toBe('unchanged');
    expect(requestsSince(mark)).toEqual([`GET ${PATH} 200`]);
  });

  it('reads a session job and its session cluster once per cycle', async () => {
    emulator.apply(aSessionCluster());
    emulator.apply(aFlinkSessionJob());
    await emulator.advance(10_000);
    const key = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkSessionJob', name: 'clicks' } as const;
    await adapters.realizer.realize(key, { parallelismOverrides: { [SOURCE]: 3 } });
    await emulator.advance(10_000);
    const mark = emulator.requests.length;

    await adapters.discovery.getJob(key);
    const result = await adapters.realizer.realize(key, { parallelismOverrides: { [SOURCE]: 3 } });

    expect(result.outcome).toBe('unchanged');
    expect(requestsSince(mark)).toEqual([
      'GET /apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinksessionjobs/clicks 200',
      'GET /apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments/session-cluster 200',
    ]);
  });

  it('catches a change made after the read with the PATCH’s resourceVersion, reads again and keeps it', async () => {
    await aScaledDeployment();
    await adapters.discovery.getJob(KEY);
    // Someone edits the spec between the cycle's observe and realize steps.
    const edited = await client.get<FlinkResource>(PATH);
    await client.patch(PATH, {
      metadata: { resourceVersion: edited.metadata.resourceVersion },
      spec: { flinkConfiguration: { 'state.checkpoints.num-retained': '3' } },
    });
    const mark = emulator.requests.length;

    const result = await adapters.realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 8, [SINK]: 2 } });

    expect(result.outcome).toBe('patched');
    expect(requestsSince(mark)).toEqual([`${PATCH} 409`, `GET ${PATH} 200`, `${PATCH} 200`]);
    const after = emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.spec?.['flinkConfiguration'];
    expect(after).toMatchObject({ 'state.checkpoints.num-retained': '3', [OV]: `${SINK}:2,${SOURCE}:8` }); // sorted by vertex id
  });

  it('reads again when the observed resource was already used or is older than the maximum age', async () => {
    await aScaledDeployment();
    const plan = { parallelismOverrides: { [SOURCE]: 6, [SINK]: 2 } };
    await adapters.discovery.getJob(KEY);
    await adapters.realizer.realize(KEY, plan);
    let mark = emulator.requests.length;
    await adapters.realizer.realize(KEY, plan);
    expect(requestsSince(mark)).toEqual([`GET ${PATH} 200`]);

    await adapters.discovery.getJob(KEY);
    clock.advance(OBSERVED_RESOURCE_MAX_AGE_MS + 1);
    mark = emulator.requests.length;
    await adapters.realizer.realize(KEY, plan);
    expect(requestsSince(mark)).toEqual([`GET ${PATH} 200`]);
  });
});
