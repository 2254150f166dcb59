import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanAge, wantsTable } from '../../../sim/kubernetes-emulator/discovery.ts';
import { type KubernetesEmulator, startKubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';

const TOKEN = 'discovery-token';
const NAME = 'orders-enrichment';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
let emulator: KubernetesEmulator;

async function get(path: string, accept = 'application/json', token = TOKEN) {
  const response = await request(`${emulator.url}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept },
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  emulator = await startKubernetesEmulator({ token: TOKEN, startTimeMs: Date.UTC(2026, 0, 1), restartDelayMs: 1_000 });
  emulator.apply(aFlinkDeployment({ name: NAME }));
  await emulator.advance(5_000);
});
afterAll(() => emulator.close());

describe('Kubernetes emulator: what kubectl needs (discovery, /version, Table printing)', () => {
  it('answers the unaggregated discovery documents', async () => {
    const core = await get('/api');
    expect(core.body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = await get('/apis');
    expect(groups.body['kind']).toBe('APIGroupList');
    expect(groups.body['groups']).toContainEqual({
      name: 'flink.apache.org',
      versions: [{ groupVersion: 'flink.apache.org/v1beta1', version: 'v1beta1' }],
      preferredVersion: { groupVersion: 'flink.apache.org/v1beta1', version: 'v1beta1' },
    });
    const flink = await get('/apis/flink.apache.org/v1beta1');
    expect(flink.body).toMatchObject({ kind: 'APIResourceList', groupVersion: 'flink.apache.org/v1beta1' });
    const resources = flink.body['resources'] as { name: string; shortNames?: string[]; namespaced: boolean }[];
    expect(resources.find((r) => r.name === 'flinkdeployments')).toMatchObject({
      kind: 'FlinkDeployment',
      namespaced: true,
      shortNames: ['flinkdep'],
    });
    expect(resources.map((r) => r.name)).toContain('flinkdeployments/status');
    const v1 = await get('/api/v1');
    expect((v1.body['resources'] as { name: string }[]).map((r) => r.name)).toEqual(
      expect.arrayContaining(['events', 'pods', 'services', 'nodes']),
    );
    expect((await get('/version')).body['gitVersion']).toMatch(/^v1\.\d+/);
  });

  it('still requires the bearer token, and 404s unknown group versions', async () => {
    expect((await get('/apis', 'application/json', 'wrong')).status).toBe(401);
    expect((await get('/apis/example.com/v1')).status).toBe(404);
  });

  it('prints lists and single objects as a Table with the CRD printer columns when asked', async () => {
    const path = '/apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments';
    const list = await get(path, TABLE_ACCEPT);
    expect(list.body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect((list.body['columnDefinitions'] as { name: string }[]).map((c) => c.name)).toEqual([
      'Name',
      'Job Status',
      'Lifecycle State',
      'Age',
    ]);
    const rows = list.body['rows'] as { cells: unknown[]; object: { kind: string } }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.cells).toEqual([NAME, 'RUNNING', 'STABLE', '5s']);
    expect(rows[0]?.object.kind).toBe('PartialObjectMetadata');
    const one = await get(`${path}/${NAME}`, TABLE_ACCEPT);
    expect((one.body['rows'] as unknown[]).length).toBe(1);
    // Without the Table media type the plain object/list comes back.
    expect((await get(path)).body['kind']).toBe('FlinkDeploymentList');
  });

  it('parses Accept headers and formats ages as kubectl does', () => {
    expect(wantsTable(TABLE_ACCEPT)).toBe(true);
    expect(wantsTable('application/json')).toBe(false);
    expect(wantsTable(undefined)).toBe(false);
    expect([humanAge(5_000), humanAge(150_000), humanAge(3_600_000), humanAge(3 * 86_400_000)]).toEqual([
      '5s',
      '2m30s',
      '60m',
      '3d',
    ]);
  });
});
