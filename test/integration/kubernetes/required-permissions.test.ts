import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { createClusterAdapters } from '../../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { InMemoryStateStore } from '../../../lib/adapters/memory/in-memory-state-store.ts';
import { runCycle } from '../../../lib/cycle/run-cycle.ts';
import type { JobKey } from '../../../lib/domain/index.ts';
import {
  describePermission,
  DISPATCHER_PERMISSIONS,
  type RequiredPermission,
  WORKER_PERMISSIONS,
} from '../../../lib/report/doctor/index.ts';
import { LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

/**
 * The permission tables `fsa doctor` reviews must cover every call the functions make: the
 * worker's cycle and the dispatcher's discovery run against the emulator, and each request in its
 * log is mapped to the RBAC attributes the API server authorizes it by (Kubernetes docs,
 * "Authorization: Determine the request verb": GET on an object is get, on a collection list;
 * POST create; PATCH patch; a proxy path is get on `services/proxy`).
 */

const KEY: JobKey = { cluster: 'local', namespace: 'flink-jobs', kind: 'FlinkDeployment', name: 'orders-enrichment' };
let local: LocalCluster;

beforeAll(async () => {
  local = await startLocalCluster();
});
afterAll(async () => {
  await local?.close();
});

/** `verb resource[/subresource][.group]` of one logged request. */
function permissionOf(method: string, path: string): string {
  const parts = path.split('?')[0]!.split('/').filter((p) => p !== '');
  const [group, rest] = parts[0] === 'api' ? ['', parts.slice(2)] : [parts[1] ?? '', parts.slice(3)];
  const scoped = rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
  const [resource, name, subresource] = scoped;
  if (resource === 'services' && name?.includes(':') && subresource === 'proxy') {
    return describePermission({ verb: method.toLowerCase(), group, resource, subresource, usedFor: '' });
  }
  const verb = { GET: name ? 'get' : 'list', POST: 'create', PATCH: 'patch', PUT: 'update', DELETE: 'delete' }[method] ?? method;
  return describePermission({ verb, group, resource: resource ?? '', ...(subresource ? { subresource } : {}), usedFor: '' });
}

const names = (table: readonly RequiredPermission[]) => table.map(describePermission);

async function requestsDuring(act: () => Promise<void>): Promise<string[]> {
  const before = local.emulator.requests.length;
  await act();
  return [...new Set(local.emulator.requests.slice(before).map((r) => permissionOf(r.method, r.path)))].sort();
}

describe('permissions fsa doctor checks', () => {
  it("cover every call of the worker's cycle (read, scale, events, capacity, Flink REST)", async () => {
    const clock = new ManualClock(local.sim.nowMs());
    const client = new KubernetesClient({ baseUrl: local.emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) });
    const adapters = createClusterAdapters(client, { cluster: 'local', clock });
    const metrics = new FlinkRestMetricsSource();
    const store = new InMemoryStateStore();
    const used = await requestsDuring(async () => {
      for (let minute = 0; minute < 12; minute++) {
        clock.advance(60_000);
        await local.advance(60_000);
        await runCycle(
          {
            discovery: adapters.discovery,
            metrics,
            store,
            realizer: adapters.realizer,
            eventSinks: [adapters.events],
            clock,
            restTarget: (job) => adapters.restTarget(job),
            runId: `permissions-${minute}`,
          },
          KEY,
        );
      }
      // the capacity read the cycle makes when the resource view is on (it is off by default, and
      // the emulator has no nodes a scale-up could fit on)
      await adapters.capacity.snapshot();
    });
    await metrics.close();
    await client.close();
    // the run did scale, write events, read capacity and Flink REST
    expect(used).toEqual(
      expect.arrayContaining([
        'patch flinkdeployments.flink.apache.org',
        'create events',
        'list nodes',
        'list pods',
        'list nodepools.karpenter.sh',
        'get services/proxy',
      ]),
    );
    expect(used.filter((p) => !names(WORKER_PERMISSIONS).includes(p))).toEqual([]);
  });

  it("cover every call of the dispatcher's discovery", async () => {
    const client = new KubernetesClient({ baseUrl: local.emulator.url, token: new StaticTokenProvider(LOCAL_TOKEN) });
    const adapters = createClusterAdapters(client, { cluster: 'local', clock: new ManualClock(0) });
    const used = await requestsDuring(async () => {
      expect(await adapters.discovery.listManagedJobs()).toHaveLength(1);
    });
    await client.close();
    expect(used).toEqual(['list flinkdeployments.flink.apache.org', 'list flinksessionjobs.flink.apache.org']);
    expect(used.filter((p) => !names(DISPATCHER_PERMISSIONS).includes(p))).toEqual([]);
  });
});
