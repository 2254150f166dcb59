/**
 * A FlinkDeployment whose REST endpoint uses TLS (`security.ssl.rest.enabled: true`) is reached
 * through the API server's service proxy with the scheme in the path,
 * `/services/https:<name>-rest:rest/proxy` (Kubernetes docs, "Manually constructing apiserver
 * proxy URLs"): discovery builds that URL and the collector reads the job through it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { createClusterAdapters } from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { defaultOptions } from '../../../lib/config/index.ts';
import { FAST_AUTOSCALER_CONFIG, LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

const KEY = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: 'orders-enrichment' } as const;
let local: LocalCluster | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await local?.close();
  local = undefined;
});

describe('REST endpoint with TLS', () => {
  it('is reached through the https: service proxy path', async () => {
    local = await startLocalCluster({
      flinkConfiguration: { ...FAST_AUTOSCALER_CONFIG, 'security.ssl.rest.enabled': 'true' },
    });
    const client = new KubernetesClient({ baseUrl: local.emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) });
    const adapters = createClusterAdapters(client, { cluster: 'local', clock: new ManualClock(local.sim.nowMs()) });
    const metrics = new FlinkRestMetricsSource();
    closers.push(() => metrics.close(), () => client.close());

    const job = await adapters.discovery.getJob(KEY);
    expect(job?.rest).toEqual({
      baseUrl: `${local.emulator.url}/api/v1/namespaces/flink-jobs/services/https:orders-enrichment-rest:rest/proxy`,
      via: 'service-proxy',
      serviceName: 'orders-enrichment-rest',
    });
    await local.advance(60_000);
    const raw = await metrics.collect(await adapters.restTarget(job!), defaultOptions(), local.sim.nowMs());
    expect(raw.topology.jobId).toBe(local.sim.jobId);
    expect(local.emulator.requests.some((r) => r.path.includes('/services/https:orders-enrichment-rest:rest/proxy/'))).toBe(
      true,
    );
  });
});
