import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesJobDiscovery } from '../../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment, aFlinkSessionJob } from './flink-fixtures.ts';

let emulator: KubernetesEmulator;
let client: KubernetesClient;

beforeEach(async () => {
  emulator = await startKubernetesEmulator({ token: 't', restartDelayMs: 1000 });
  client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('t') });
});
afterEach(() => emulator.close());

describe('KubernetesJobDiscovery', () => {
  it('finds labelled deployments and session jobs in all namespaces, across pages', async () => {
    for (let i = 0; i < 5; i += 1)
      emulator.apply(aFlinkDeployment({ name: `job-${i}`, namespace: i % 2 ? 'a' : 'b' }));
    emulator.apply(aFlinkDeployment({ name: 'unlabelled', labels: {} }));
    emulator.apply(aFlinkDeployment({ name: 'session-cluster', labels: {} }));
    emulator.apply(aFlinkSessionJob());
    await emulator.advance(1000);
    const discovery = new KubernetesJobDiscovery(client, {
      cluster: 'prod',
      apiServerUrl: emulator.url,
      pageSize: 2,
    });
    const jobs = await discovery.listManagedJobs();
    expect(jobs.map((j) => `${j.key.namespace}/${j.key.kind}/${j.key.name}`).sort()).toEqual([
      'a/FlinkDeployment/job-1',
      'a/FlinkDeployment/job-3',
      'b/FlinkDeployment/job-0',
      'b/FlinkDeployment/job-2',
      'b/FlinkDeployment/job-4',
      'flink-jobs/FlinkSessionJob/clicks',
    ]);
    expect(jobs.every((j) => j.readiness.ready)).toBe(true);
    const session = jobs.find((j) => j.key.kind === 'FlinkSessionJob');
    expect(session).toMatchObject({ memoryTuning: false, rest: { via: 'service-proxy' } });
    expect(session?.rest.baseUrl).toContain('/services/session-cluster-rest:rest/proxy');
    expect(session?.taskManager).toBeUndefined();
    const deployment = jobs.find((j) => j.key.name === 'job-0');
    expect(deployment).toMatchObject({
      memoryTuning: true,
      taskManager: { memoryBytes: 4 * 1024 ** 3 },
      upgradeMode: 'last-state',
    });
    expect(deployment?.jobId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('searches only the configured namespaces and reports a job not ready while it upgrades', async () => {
    emulator.apply(aFlinkDeployment({ name: 'x', namespace: 'a' }));
    emulator.apply(
      aFlinkDeployment({
        name: 'y',
        namespace: 'b',
        flinkConfiguration: { 'job.autoscaler.enabled': 'true' },
      }),
    );
    const discovery = new KubernetesJobDiscovery(client, {
      cluster: 'prod',
      apiServerUrl: emulator.url,
      namespaces: ['b'],
    });
    const [only] = await discovery.listManagedJobs();
    expect(only?.key.name).toBe('y');
    expect(only?.readiness).toMatchObject({
      ready: false,
      code: 'builtin-autoscaler-enabled',
      refused: true,
    });
    await emulator.advance(0);
    const x = await new KubernetesJobDiscovery(client, {
      cluster: 'prod',
      apiServerUrl: emulator.url,
    }).getJob({
      cluster: 'prod',
      namespace: 'a',
      kind: 'FlinkDeployment',
      name: 'x',
    });
    expect(x?.readiness).toMatchObject({ ready: false, code: 'jobmanager-not-ready' });
  });

  it('returns undefined for a job that is gone, and rejects bad namespaces up front', async () => {
    const discovery = new KubernetesJobDiscovery(client, { cluster: 'prod', apiServerUrl: emulator.url });
    expect(
      await discovery.getJob({ cluster: 'prod', namespace: 'a', kind: 'FlinkDeployment', name: 'gone' }),
    ).toBeUndefined();
    expect(
      () =>
        new KubernetesJobDiscovery(client, {
          cluster: 'p',
          apiServerUrl: emulator.url,
          namespaces: ['Bad_NS'],
        }),
    ).toThrow(/namespace/);
  });
});
