import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BearerTokenProvider } from '../../../lib/adapters/kubernetes/auth/eks-token.ts';
import { kubernetesClientFromKubeconfig } from '../../../lib/adapters/kubernetes/auth/kubeconfig.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesApiError } from '../../../lib/adapters/kubernetes/kubernetes-errors.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';

const PATH = '/apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments/orders-enrichment';
let emulator: KubernetesEmulator;
let sleeps: number[];

function clientWith(token: BearerTokenProvider, maxRetries = 3) {
  return new KubernetesClient({
    baseUrl: emulator.url,
    token,
    retry: { maxRetries },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
  });
}

/** A token source that hands out `stale` first and `fresh` after invalidation. */
function rotatingToken() {
  let current = 'stale';
  let invalidations = 0;
  return {
    provider: {
      getToken: async () => current,
      invalidate: () => {
        invalidations += 1;
        current = 'fresh';
      },
    } satisfies BearerTokenProvider,
    invalidations: () => invalidations,
  };
}

beforeEach(async () => {
  sleeps = [];
  emulator = await startKubernetesEmulator({ token: 'fresh' });
  emulator.apply(aFlinkDeployment());
});
afterEach(() => emulator.close());

describe('KubernetesClient against the emulator', () => {
  it('refreshes the token once after a 401 and succeeds', async () => {
    const token = rotatingToken();
    const object = await clientWith(token.provider).get<{ metadata: { name: string } }>(PATH);
    expect(object.metadata.name).toBe('orders-enrichment');
    expect(token.invalidations()).toBe(1);
  });

  it('gives up with 401 when the refreshed token is rejected too', async () => {
    const provider: BearerTokenProvider = { getToken: async () => 'bad', invalidate: () => {} };
    await expect(clientWith(provider).get(PATH)).rejects.toMatchObject({
      status: 401,
      reason: 'Unauthorized',
    });
    expect(emulator.requests.filter((r) => r.status === 401)).toHaveLength(2);
  });

  it('honours Retry-After on 429 and retries 5xx within the bound', async () => {
    emulator.intercept({ method: 'GET', times: 1 }, { status: 429, headers: { 'retry-after': '2' } });
    emulator.intercept({ method: 'GET', times: 1 }, { status: 503 });
    const token = rotatingToken();
    token.provider.invalidate();
    await clientWith(token.provider).get(PATH);
    // 2 s from Retry-After (+0 jitter), then exponential backoff: ceiling 400 ms, half = 200 ms
    expect(sleeps).toEqual([2000, 200]);
  });

  it('stops after maxRetries with the last typed error and never retries 404', async () => {
    emulator.intercept({ method: 'GET', times: 3 }, { status: 500 });
    const token = rotatingToken();
    token.provider.invalidate();
    const error = await clientWith(token.provider, 2)
      .get(PATH)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubernetesApiError);
    expect(error).toMatchObject({ status: 500 });
    expect(sleeps).toHaveLength(2);
    sleeps = [];
    await expect(clientWith(token.provider).get(`${PATH}-missing`)).rejects.toMatchObject({
      status: 404,
      reason: 'NotFound',
    });
    expect(sleeps).toHaveLength(0);
  });

  it('passes Warning headers to onWarning', async () => {
    emulator.intercept(
      { method: 'GET' },
      { status: 200, body: { kind: 'X' }, headers: { warning: '299 - "deprecated"' } },
    );
    const warnings: string[] = [];
    const client = new KubernetesClient({
      baseUrl: emulator.url,
      token: { getToken: async () => 'fresh', invalidate: () => {} },
      onWarning: (w, method, path) => warnings.push(`${method} ${path}: ${w}`),
    });
    expect(await client.get(PATH)).toEqual({ kind: 'X' });
    expect(warnings).toEqual([`GET ${PATH}: 299 - "deprecated"`]);
  });

  it('refuses plain http to anything but loopback', () => {
    expect(() => new KubernetesClient({ baseUrl: 'http://example.com' })).toThrow(/must be https/);
  });
});

describe('kubeconfig', () => {
  it('connects with an exec credential plugin (like aws eks get-token)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fsa-kubeconfig-'));
    const plugin = join(dir, 'get-token.mjs');
    await writeFile(
      plugin,
      `#!/usr/bin/env node\nconst info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);\nprocess.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: process.env.TOKEN_TO_PRINT } }));\n`,
    );
    await chmod(plugin, 0o755);
    const kubeconfig = join(dir, 'config');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: local',
        `clusters: [{ name: emu, cluster: { server: "${emulator.url}" } }]`,
        'contexts: [{ name: local, context: { cluster: emu, user: me, namespace: flink-jobs } }]',
        'users:',
        '  - name: me',
        '    user:',
        '      exec:',
        '        apiVersion: client.authentication.k8s.io/v1beta1',
        `        command: ${process.execPath}`,
        `        args: ["${plugin}"]`,
        '        env: [{ name: TOKEN_TO_PRINT, value: fresh }]',
      ].join('\n'),
    );
    const { client, connection } = await kubernetesClientFromKubeconfig(kubeconfig);
    expect(connection.namespace).toBe('flink-jobs');
    const object = await client.get<{ metadata: { name: string } }>(PATH);
    expect(object.metadata.name).toBe('orders-enrichment');
  });
});
