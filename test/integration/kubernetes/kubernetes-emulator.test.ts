import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesApiError } from '../../../lib/adapters/kubernetes/kubernetes-errors.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import {
  type KubernetesEmulator,
  type StoredObject,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment, aFlinkSessionJob, SINK, SOURCE, aSessionCluster } from './flink-fixtures.ts';

const TOKEN = 'test-token';
const DEP = '/apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments';
let emulator: KubernetesEmulator;
let client: KubernetesClient;
const applied: StoredObject[] = [];

beforeEach(async () => {
  applied.length = 0;
  emulator = await startKubernetesEmulator({
    token: TOKEN,
    restartDelayMs: 30_000,
    inPlaceDelayMs: 5_000,
    stableDelayMs: 60_000,
    onSpecApplied: (r) => {
      applied.push(r);
    },
  });
  client = new KubernetesClient({
    baseUrl: emulator.url,
    token: new StaticTokenProvider(TOKEN),
    sleep: async () => {},
  });
});
afterEach(async () => {
  await client.close();
  await emulator.close();
});

async function rejection(promise: Promise<unknown>): Promise<KubernetesApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KubernetesApiError);
  return error as KubernetesApiError;
}

describe('Kubernetes emulator: API semantics', () => {
  it('answers 401 Unauthorized without a valid bearer token', async () => {
    const anonymous = new KubernetesClient({ baseUrl: emulator.url });
    const error = await rejection(anonymous.get(DEP));
    expect(error).toMatchObject({ status: 401, reason: 'Unauthorized' });
    const wrong = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('nope') });
    expect((await rejection(wrong.get(DEP))).status).toBe(401);
  });

  it('creates with uid, generation 1 and a resourceVersion; rejects a duplicate with 409 AlreadyExists', async () => {
    const created = await client.post<StoredObject>(DEP, aFlinkDeployment());
    expect(created.metadata).toMatchObject({ name: 'orders-enrichment', generation: 1 });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    const again = await rejection(client.post(DEP, aFlinkDeployment()));
    expect(again).toMatchObject({ status: 409, reason: 'AlreadyExists' });
  });

  it('enforces the CRD schema with a 422 naming the field', async () => {
    const bad = aFlinkDeployment();
    (bad['spec'] as { job: Record<string, unknown> }).job['upgradeMode'] = 'fast';
    const error = await rejection(client.post(DEP, bad));
    expect(error.status).toBe(422);
    expect(error.reason).toBe('Invalid');
    expect(error.causes).toContainEqual(
      expect.objectContaining({ field: 'spec.job.upgradeMode', reason: 'FieldValueNotSupported' }),
    );
  });

  it('bumps generation on spec changes only, and 409s a merge patch with a stale resourceVersion', async () => {
    const created = await client.post<StoredObject>(DEP, aFlinkDeployment());
    const labelled = await client.patch<StoredObject>(`${DEP}/orders-enrichment`, {
      metadata: { labels: { team: 'a' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    expect(labelled.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
    const patched = await client.patch<StoredObject>(`${DEP}/orders-enrichment`, {
      metadata: { resourceVersion: labelled.metadata.resourceVersion },
      spec: { flinkConfiguration: { 'pipeline.jobvertex-parallelism-overrides': `${SOURCE}:6` } },
    });
    expect(patched.metadata.generation).toBe(2);
    const stale = await rejection(
      client.patch(`${DEP}/orders-enrichment`, {
        metadata: { resourceVersion: labelled.metadata.resourceVersion },
        spec: {},
      }),
    );
    expect(stale).toMatchObject({ status: 409, reason: 'Conflict' });
    expect(stale.message).toContain('the object has been modified');
    // a no-op patch keeps the resourceVersion
    const noop = await client.patch<StoredObject>(`${DEP}/orders-enrichment`, {
      spec: { job: { parallelism: 4 } },
    });
    expect(noop.metadata.resourceVersion).toBe(patched.metadata.resourceVersion);
  });

  it('PUT needs the current resourceVersion: 409 when stale, 422 when missing', async () => {
    const created = await client.post<StoredObject>(DEP, aFlinkDeployment());
    const updated = await client.request<StoredObject>('PUT', `${DEP}/orders-enrichment`, {
      body: { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } },
    });
    expect(updated.metadata.labels).toEqual({ a: 'b' });
    const stale = await rejection(client.request('PUT', `${DEP}/orders-enrichment`, { body: created }));
    expect(stale).toMatchObject({ status: 409, reason: 'Conflict' });
    const { resourceVersion: _dropped, ...withoutVersion } = created.metadata;
    const missing = await rejection(
      client.request('PUT', `${DEP}/orders-enrichment`, { body: { ...created, metadata: withoutVersion } }),
    );
    expect(missing.status).toBe(422);
  });

  it('changes status only through the status subresource (CRD-validated too)', async () => {
    await client.post(DEP, aFlinkDeployment());
    const patched = await client.patch<StoredObject>(`${DEP}/orders-enrichment/status`, {
      status: { lifecycleState: 'STABLE', jobStatus: { state: 'RUNNING' } },
    });
    expect(patched.status).toMatchObject({ lifecycleState: 'STABLE' });
    expect(patched.metadata.generation).toBe(1);
    const invalid = await rejection(
      client.patch(`${DEP}/orders-enrichment/status`, { status: { observedGeneration: 'x' } }),
    );
    expect(invalid.causes).toContainEqual(expect.objectContaining({ field: 'status.observedGeneration' }));
  });

  it('merge patch deletes keys with null; status cannot be changed through the main resource', async () => {
    await client.post(DEP, aFlinkDeployment());
    const patched = await client.patch<StoredObject>(`${DEP}/orders-enrichment`, {
      spec: { flinkConfiguration: { 'jobmanager.scheduler': null } },
      status: { lifecycleState: 'FAILED' },
    });
    expect(patched.spec?.['flinkConfiguration']).not.toHaveProperty('jobmanager.scheduler');
    expect(patched.status).toBeUndefined();
  });

  it('applies JSON patches, answers 422 on a failed test op and 415 on strategic merge', async () => {
    const created = await client.post<StoredObject>(DEP, aFlinkDeployment());
    const ok = await client.patch<StoredObject>(
      `${DEP}/orders-enrichment`,
      [
        { op: 'test', path: '/metadata/resourceVersion', value: created.metadata.resourceVersion },
        {
          op: 'add',
          path: '/spec/flinkConfiguration/pipeline.jobvertex-parallelism-overrides',
          value: `${SINK}:3`,
        },
      ],
      'application/json-patch+json',
    );
    expect(ok.spec?.['flinkConfiguration']).toMatchObject({
      'pipeline.jobvertex-parallelism-overrides': `${SINK}:3`,
    });
    const failed = await rejection(
      client.patch(
        `${DEP}/orders-enrichment`,
        [{ op: 'test', path: '/metadata/resourceVersion', value: '1' }],
        'application/json-patch+json',
      ),
    );
    expect(failed.status).toBe(422);
    const strategic = await rejection(
      client.patch(`${DEP}/orders-enrichment`, {}, 'application/strategic-merge-patch+json'),
    );
    expect(strategic).toMatchObject({ status: 415, reason: 'UnsupportedMediaType' });
  });

  it('lists across namespaces with label selectors and limit/continue pagination', async () => {
    for (const ns of ['a', 'b', 'c']) {
      emulator.apply(aFlinkDeployment({ name: 'job', namespace: ns }));
      emulator.apply(aFlinkDeployment({ name: 'other', namespace: ns, labels: { team: ns } }));
    }
    const all = '/apis/flink.apache.org/v1beta1/flinkdeployments';
    const page = await client.get<{
      items: StoredObject[];
      metadata: { continue?: string; remainingItemCount?: number };
    }>(all, {
      query: { limit: 4 },
    });
    expect(page.items).toHaveLength(4);
    expect(page.metadata.remainingItemCount).toBe(2);
    const enabled = await client.list<StoredObject>(all, {
      labelSelector: 'flink-serverless-autoscaler/enabled=true',
      pageSize: 2,
    });
    expect(enabled.map((o) => o.metadata.namespace)).toEqual(['a', 'b', 'c']);
    const setBased = await client.list<StoredObject>(all, {
      labelSelector: 'team in (a,c),!flink-serverless-autoscaler/enabled',
    });
    expect(setBased.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['a/other', 'c/other']);
    const badSelector = await rejection(client.get(all, { query: { labelSelector: 'a in (b' } }));
    expect(badSelector.status).toBe(400);
  });

  it('stores core/v1 events and filters them by field selector', async () => {
    await client.post('/api/v1/namespaces/flink-jobs/events', {
      metadata: { generateName: 'orders-enrichment.' },
      involvedObject: { kind: 'FlinkDeployment', name: 'orders-enrichment', namespace: 'flink-jobs' },
      reason: 'ScalingReport',
      type: 'Normal',
      message: 'hello',
    });
    const events = await client.list<StoredObject>('/api/v1/namespaces/flink-jobs/events', {
      fieldSelector: 'involvedObject.name=orders-enrichment,reason=ScalingReport',
    });
    expect(events).toHaveLength(1);
    expect(emulator.events('flink-jobs', 'orders-enrichment')[0]?.['message']).toBe('hello');
  });

  it('proxies the Flink REST service to the configured upstream', async () => {
    const upstream = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      emulator.setProxyTarget(
        'flink-jobs',
        'orders-enrichment-rest',
        `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      );
      const answer = await client.get<{ path: string }>(
        '/api/v1/namespaces/flink-jobs/services/orders-enrichment-rest:rest/proxy/jobs/overview',
        { query: { a: 1 } },
      );
      expect(answer.path).toBe('/jobs/overview?a=1');
      const missing = await rejection(
        client.get('/api/v1/namespaces/flink-jobs/services/x-rest:rest/proxy/jobs'),
      );
      expect(missing.status).toBe(503);
    } finally {
      upstream.close();
    }
  });
});

describe('Kubernetes emulator: operator behaviour on the virtual clock', () => {
  interface ObservedStatus {
    [field: string]: unknown;
    lifecycleState: string;
    jobStatus: { jobId: string; state: string };
  }
  function status(name = 'orders-enrichment'): ObservedStatus {
    return (emulator.get('FlinkDeployment', 'flink-jobs', name)?.status ?? {}) as ObservedStatus;
  }

  it('deploys, becomes RUNNING after the restart delay and STABLE after the stable delay', async () => {
    emulator.apply(aFlinkDeployment());
    await emulator.advance(0);
    expect(status()).toMatchObject({
      observedGeneration: 1,
      jobManagerDeploymentStatus: 'DEPLOYING',
      lifecycleState: 'DEPLOYED',
    });
    await emulator.advance(30_000);
    expect(status()).toMatchObject({
      jobManagerDeploymentStatus: 'READY',
      jobStatus: { state: 'RUNNING' },
      reconciliationStatus: { state: 'DEPLOYED' },
    });
    expect(status()['jobStatus']['jobId']).toMatch(/^[0-9a-f]{32}$/);
    expect(applied).toHaveLength(1);
    await emulator.advance(60_000);
    expect(status()['lifecycleState']).toBe('STABLE');
  });

  it('rescales in place (same job id) when only overrides change on adaptive Flink ≥ 1.18', async () => {
    emulator.apply(aFlinkDeployment());
    await emulator.advance(90_000);
    const jobId = status()['jobStatus']['jobId'];
    await client.patch(`${DEP}/orders-enrichment`, {
      spec: { flinkConfiguration: { 'pipeline.jobvertex-parallelism-overrides': `${SOURCE}:6` } },
    });
    await emulator.advance(0);
    expect(status()).toMatchObject({ observedGeneration: 2, jobStatus: { state: 'RESTARTING' } });
    expect(emulator.events('flink-jobs', 'orders-enrichment').map((e) => e['reason'])).toContain('Scaling');
    await emulator.advance(5_000);
    expect(status()['jobStatus']).toMatchObject({ state: 'RUNNING', jobId });
    expect(applied.at(-1)?.spec?.['flinkConfiguration']).toMatchObject({
      'pipeline.jobvertex-parallelism-overrides': `${SOURCE}:6`,
    });
  });

  it('does a full upgrade with a new job id for a stateless memory change, keeps it for last-state', async () => {
    emulator.apply(aFlinkDeployment({ upgradeMode: 'stateless' }));
    emulator.apply(aFlinkDeployment({ name: 'ha-job', upgradeMode: 'last-state' }));
    await emulator.advance(90_000);
    const before = [status()['jobStatus']['jobId'], status('ha-job')['jobStatus']['jobId']];
    for (const name of ['orders-enrichment', 'ha-job']) {
      await client.patch(`${DEP}/${name}`, { spec: { taskManager: { resource: { memory: '6g' } } } });
    }
    await emulator.advance(1);
    expect(status()).toMatchObject({
      lifecycleState: 'UPGRADING',
      reconciliationStatus: { state: 'UPGRADING' },
    });
    await emulator.advance(30_000);
    expect(status()['jobStatus']['jobId']).not.toBe(before[0]);
    expect(status('ha-job')['jobStatus']['jobId']).toBe(before[1]);
    expect(status()).toMatchObject({ jobManagerDeploymentStatus: 'READY', lifecycleState: 'DEPLOYED' });
  });

  it('catches up without a restart when only ignored fields change', async () => {
    emulator.apply(aFlinkDeployment());
    await emulator.advance(90_000);
    const count = applied.length;
    await client.patch(`${DEP}/orders-enrichment`, { spec: { job: { upgradeMode: 'savepoint' } } });
    await emulator.advance(0);
    expect(status()).toMatchObject({
      observedGeneration: 2,
      lifecycleState: 'STABLE',
      jobStatus: { state: 'RUNNING' },
    });
    await emulator.advance(60_000);
    expect(applied).toHaveLength(count);
  });

  it('runs session jobs through the same lifecycle', async () => {
    emulator.apply(aSessionCluster());
    emulator.apply(aFlinkSessionJob());
    await emulator.advance(30_000);
    const job = emulator.get('FlinkSessionJob', 'flink-jobs', 'clicks');
    expect(job?.status).toMatchObject({ jobStatus: { state: 'RUNNING' }, observedGeneration: 1 });
    expect(job?.status).not.toHaveProperty('jobManagerDeploymentStatus');
  });

  it('rejects a session job whose session cluster does not exist (DefaultValidator.validateSessionJob)', async () => {
    emulator.apply(aFlinkSessionJob('orphan', 'no-such-cluster'));
    await emulator.advance(30_000);
    const job = emulator.get('FlinkSessionJob', 'flink-jobs', 'orphan');
    expect(JSON.parse(String(job?.status?.['error']))).toMatchObject({
      message: 'Session cluster deployment is not found',
    });
    expect(job?.status).not.toHaveProperty('observedGeneration');
    const warnings = emulator.events('flink-jobs', 'orphan').filter((e) => e['reason'] === 'ValidationError');
    expect(warnings).toHaveLength(1);
  });
});
