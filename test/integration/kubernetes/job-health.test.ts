import { afterEach, describe, expect, it } from 'vitest';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesJobHealth } from '../../../lib/adapters/kubernetes/kubernetes-job-health.ts';
import { KubernetesScalingRealizer } from '../../../lib/adapters/kubernetes/kubernetes-scaling-realizer.ts';
import { type KubernetesEmulator, startKubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';

const KEY = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: 'orders-enrichment' } as const;
const VERTEX = 'c'.repeat(32);

let emulator: KubernetesEmulator | undefined;
let client: KubernetesClient | undefined;
afterEach(async () => {
  await client?.close();
  await emulator?.close();
  emulator = undefined;
  client = undefined;
});

describe('KubernetesJobHealth against the emulator’s TaskManager pods under a node budget', () => {
  it('reports the job state and the TaskManager pods the scheduler cannot place, and none once the spec fits', async () => {
    // 3 TaskManagers fit: parallelism 4 with 2 slots needs 2
    emulator = await startKubernetesEmulator({ token: 't', restartDelayMs: 10_000, taskManagerNodeBudget: 3 });
    client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('t') });
    emulator.apply(aFlinkDeployment());
    await emulator.advance(10_000);
    const health = new KubernetesJobHealth(client);
    expect(await health.health(KEY)).toEqual({ jobState: 'RUNNING', unschedulableTaskManagers: [] });

    // parallelism 10 needs 5 TaskManagers: 2 stay Pending/Unschedulable and the job does not restart
    await new KubernetesScalingRealizer(client).realize(KEY, { parallelismOverrides: { [VERTEX]: 10 } });
    await emulator.advance(60_000);
    const unhealthy = await health.health(KEY);
    expect(unhealthy.jobState).toBe('RESTARTING');
    expect(unhealthy.unschedulableTaskManagers.map((p) => p.name)).toEqual([
      'orders-enrichment-taskmanager-2-4',
      'orders-enrichment-taskmanager-2-5',
    ]);
    expect(unhealthy.unschedulableTaskManagers[0]?.message).toContain('Insufficient cpu');

    // back to what fits: the rollout completes
    await new KubernetesScalingRealizer(client).realize(KEY, { parallelismOverrides: { [VERTEX]: 6 } });
    await emulator.advance(20_000);
    expect(await health.health(KEY)).toEqual({ jobState: 'RUNNING', unschedulableTaskManagers: [] });
  });
});
