import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesJobDiscovery } from '../../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import { KubernetesScalingRealizer } from '../../../lib/adapters/kubernetes/kubernetes-scaling-realizer.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import {
  parallelismOverridesOf,
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';

const SCENARIO = `
name: orders-enrichment
restart: { downtimeMs: 10 s, mode: redeploy }
job:
  vertices:
    - id: src
      parallelism: 2
      costMsPerRecord: 0.25
      source: { type: kafka, topic: orders, partitions: 8, load: { type: constant, recordsPerSecond: 1000 } }
    - { id: sink, parallelism: 2, costMsPerRecord: 0.5 }
  edges:
    - { from: src, to: sink }
`;

const KEY = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
} as const;
let emulator: KubernetesEmulator;
let sim: FlinkSimulator;
let client: KubernetesClient;

beforeEach(async () => {
  sim = await startFlinkSimulator({ scenario: SCENARIO });
  emulator = await startKubernetesEmulator({
    token: 't',
    restartDelayMs: 10_000,
    // the operator model hands the effective overrides to the simulated cluster
    onSpecApplied: (resource) => {
      const overrides = parallelismOverridesOf(resource);
      return { jobId: overrides ? sim.applyParallelism(overrides).jobId : sim.jobId };
    },
  });
  emulator.setProxyTarget('flink-jobs', 'orders-enrichment-rest', sim.url);
  client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('t') });
});
afterEach(async () => {
  await emulator.close();
  await sim.close();
});

describe('Kubernetes emulator + Flink simulator (the local world)', () => {
  it('reaches the simulated JobManager through the service proxy and follows a rescale to the new job id', async () => {
    const config = { 'jobmanager.scheduler': 'default', 'high-availability.type': 'kubernetes' };
    emulator.apply(aFlinkDeployment({ flinkConfiguration: config }));
    await emulator.advance(10_000);
    sim.advance(10_000);
    const discovery = new KubernetesJobDiscovery(client, { cluster: 'local', apiServerUrl: emulator.url });
    const job = await discovery.getJob(KEY);
    expect(job?.readiness).toEqual({ ready: true });
    expect(job?.jobId).toBe(sim.jobId);
    const restPath = new URL(job?.rest.baseUrl ?? '').pathname;
    const overview = await client.get<{ jobs: Array<{ jid: string }> }>(`${restPath}/jobs/overview`);
    expect(overview.jobs.map((j) => j.jid)).toEqual([sim.jobId]);

    const [src, sink] = sim.cluster.scenario.vertices;
    const result = await new KubernetesScalingRealizer(client).realize(KEY, {
      parallelismOverrides: { [src?.vertexId ?? '']: 4, [sink?.vertexId ?? '']: 3 },
    });
    // default scheduler: no in-place scaling, a last-state upgrade with Kubernetes HA
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'full-upgrade' });
    const oldJobId = job?.jobId;
    await emulator.advance(10_000);
    sim.advance(10_000);
    const after = await discovery.getJob(KEY);
    expect(after?.readiness).toEqual({ ready: true });
    expect(after?.jobId).toBe(sim.jobId);
    expect(after?.jobId).not.toBe(oldJobId);
    expect(sim.cluster.parallelismOf('src')).toBe(4);
    expect(sim.cluster.parallelismOf('sink')).toBe(3);
  });
});
