/**
 * TaskManager memory strings through discovery and the realizer against the emulator: the operator
 * parses `spec.taskManager.resource.memory` with Flink's MemorySize first (`2G` is 2 GiB,
 * `FlinkConfigBuilder.parseResourceMemoryString`), so an unchanged 2 GiB plan must not write
 * (a rewrite is a spec change, and every spec change restarts the job).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesJobDiscovery } from '../../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import { KubernetesScalingRealizer } from '../../../lib/adapters/kubernetes/kubernetes-scaling-realizer.ts';
import { type KubernetesEmulator, startKubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';

const GiB = 1024 ** 3;
const KEY = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: 'orders-enrichment' } as const;
let emulator: KubernetesEmulator;
let client: KubernetesClient;

beforeEach(async () => {
  emulator = await startKubernetesEmulator({ token: 't', restartDelayMs: 10_000 });
  client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('t'), sleep: async () => {} });
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});

const patches = () => emulator.requests.filter((r) => r.method === 'PATCH');
const tmSpec = () => emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.spec?.['taskManager'];

describe('TaskManager memory as the operator reads and writes it', () => {
  it('reads 2G as 2 GiB and does not rewrite it when the plan keeps the size', async () => {
    emulator.apply(aFlinkDeployment({ taskManager: { resource: { cpu: 2, memory: '2G' } } }));
    await emulator.advance(10_000);
    const discovery = new KubernetesJobDiscovery(client, { cluster: 'local', apiServerUrl: client.baseUrl });
    const job = await discovery.getJob(KEY);
    expect(job?.taskManager).toMatchObject({ memoryBytes: 2 * GiB, memorySource: 'resource.memory' });

    const realizer = new KubernetesScalingRealizer(client);
    const unchanged = await realizer.realize(KEY, {
      parallelismOverrides: {},
      memoryConfig: { overrides: {}, removals: [] },
      taskManagerMemoryBytes: 2 * GiB,
    });
    expect(unchanged).toMatchObject({ outcome: 'unchanged', upgradePath: 'none' });
    expect(patches()).toHaveLength(0);
    expect(tmSpec()).toEqual({ resource: { cpu: 2, memory: '2G' } });
  });

  it('writes a new size in the unit the user wrote, which reads back as that size', async () => {
    emulator.apply(aFlinkDeployment({ taskManager: { resource: { cpu: 2, memory: '2G' } } }));
    await emulator.advance(10_000);
    const realizer = new KubernetesScalingRealizer(client);
    const result = await realizer.realize(KEY, { parallelismOverrides: {}, taskManagerMemoryBytes: 3 * GiB });
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'full-upgrade' });
    expect(tmSpec()).toEqual({ resource: { cpu: 2, memory: '3G' } });
    const discovery = new KubernetesJobDiscovery(client, { cluster: 'local', apiServerUrl: client.baseUrl });
    expect((await discovery.getJob(KEY))?.taskManager?.memoryBytes).toBe(3 * GiB);
  });
});
