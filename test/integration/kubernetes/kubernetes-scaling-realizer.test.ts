import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { ScalingPatchError } from '../../../lib/adapters/kubernetes/kubernetes-errors.ts';
import { KubernetesScalingRealizer } from '../../../lib/adapters/kubernetes/kubernetes-scaling-realizer.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment, SINK, SOURCE } from './flink-fixtures.ts';

const KEY = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
} as const;
const OV = 'pipeline.jobvertex-parallelism-overrides';
let emulator: KubernetesEmulator;
let realizer: KubernetesScalingRealizer;

beforeEach(async () => {
  emulator = await startKubernetesEmulator({ token: 't', restartDelayMs: 10_000 });
  realizer = new KubernetesScalingRealizer(
    new KubernetesClient({
      baseUrl: emulator.url,
      token: new StaticTokenProvider('t'),
      sleep: async () => {},
    }),
  );
});
afterEach(() => emulator.close());

const patches = () => emulator.requests.filter((r) => r.method === 'PATCH');

describe('KubernetesScalingRealizer against the emulator', () => {
  it('patches the overrides in place, then makes no write when nothing changes', async () => {
    emulator.apply(aFlinkDeployment());
    await emulator.advance(10_000);
    const first = await realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 6, [SINK]: 2 } });
    expect(first).toMatchObject({ outcome: 'patched', upgradePath: 'in-place', generation: 2 });
    expect(patches()[0]?.contentType).toBe('application/merge-patch+json');
    expect(patches()[0]?.path).toContain('fieldManager=flink-serverless-autoscaler');
    expect(
      emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.spec?.['flinkConfiguration'],
    ).toMatchObject({
      [OV]: `${SINK}:2,${SOURCE}:6`,
    });
    const second = await realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 6, [SINK]: 2 } });
    expect(second).toMatchObject({ outcome: 'unchanged', upgradePath: 'none' });
    expect(patches()).toHaveLength(1);
  });

  it('awaits beforeWrite once right before the PATCH, never when nothing changes, and a rejection writes nothing', async () => {
    emulator.apply(aFlinkDeployment());
    await emulator.advance(10_000);
    const calls: number[] = [];
    const beforeWrite = async () => {
      calls.push(emulator.requests.length);
    };
    await realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 6, [SINK]: 2 } }, { beforeWrite });
    expect(calls).toHaveLength(1);
    // Called after the GET, before the PATCH: the PATCH is the next request.
    expect(emulator.requests[calls[0]!]?.method).toBe('PATCH');
    await realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 6, [SINK]: 2 } }, { beforeWrite });
    expect(calls).toHaveLength(1);

    const conflict = new Error('another run saved this job first');
    await expect(
      realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 8, [SINK]: 2 } }, {
        beforeWrite: () => Promise.reject(conflict),
      }),
    ).rejects.toBe(conflict);
    expect(patches()).toHaveLength(1);
  });

  it('re-reads and retries once after a 409 caused by a concurrent edit', async () => {
    emulator.apply(aFlinkDeployment());
    // a user edits the resource between the realizer's GET and its PATCH
    emulator.intercept({ method: 'PATCH' }, () => {
      emulator.apply({
        ...aFlinkDeployment(),
        metadata: { name: 'orders-enrichment', namespace: 'flink-jobs', labels: { edited: 'yes' } },
      });
    });
    const result = await realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 3 } });
    expect(result.outcome).toBe('patched');
    expect(patches().map((p) => p.status)).toEqual([409, 200]);
    expect(emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.metadata.labels).toEqual({
      edited: 'yes',
    });
  });

  it('gives up with a typed conflict error after the second 409', async () => {
    emulator.apply(aFlinkDeployment());
    emulator.intercept({ method: 'PATCH', times: 2 }, () => {
      emulator.apply({
        ...aFlinkDeployment(),
        metadata: {
          name: 'orders-enrichment',
          namespace: 'flink-jobs',
          labels: { n: String(Math.random()) },
        },
      });
    });
    const error = await realizer
      .realize(KEY, { parallelismOverrides: { [SOURCE]: 3 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScalingPatchError);
    expect(error).toMatchObject({ kind: 'conflict' });
  });

  it('surfaces a 422 with the server causes', async () => {
    emulator.apply(aFlinkDeployment());
    emulator.intercept(
      { method: 'PATCH' },
      {
        status: 422,
        body: {
          kind: 'Status',
          status: 'Failure',
          reason: 'Invalid',
          message: 'admission webhook denied',
          details: {
            causes: [
              { field: 'spec.flinkConfiguration', reason: 'FieldValueInvalid', message: 'bad overrides' },
            ],
          },
          code: 422,
        },
      },
    );
    const error = await realizer
      .realize(KEY, { parallelismOverrides: { [SOURCE]: 3 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid', causes: [{ field: 'spec.flinkConfiguration' }] });
    expect(String((error as Error).message)).toContain('spec.flinkConfiguration: bad overrides');
  });

  it('retries a 429 with Retry-After transparently', async () => {
    emulator.apply(aFlinkDeployment());
    emulator.intercept({ method: 'PATCH' }, { status: 429, headers: { 'retry-after': '1' } });
    const result = await realizer.realize(KEY, { parallelismOverrides: { [SOURCE]: 3 } });
    expect(result.outcome).toBe('patched');
    expect(patches().map((p) => p.status)).toEqual([429, 200]);
  });

  it('refuses a stateless full upgrade without the annotation, and writes nothing', async () => {
    emulator.apply(aFlinkDeployment({ upgradeMode: 'stateless' }));
    const result = await realizer.realize(KEY, {
      parallelismOverrides: {},
      taskManagerMemoryBytes: 6 * 1024 ** 3,
    });
    expect(result).toMatchObject({
      outcome: 'refused',
      upgradePath: 'refused',
      reason: expect.stringContaining('allow-stateless-restart'),
    });
    expect(patches()).toHaveLength(0);
  });

  it('applies a memory plan as a full last-state upgrade the operator then rolls out', async () => {
    emulator.apply(aFlinkDeployment());
    await emulator.advance(10_000);
    const result = await realizer.realize(KEY, {
      parallelismOverrides: {},
      memoryConfig: { overrides: { 'taskmanager.memory.managed.fraction': '0.2' }, removals: [] },
      taskManagerMemoryBytes: 6 * 1024 ** 3,
    });
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'full-upgrade' });
    await emulator.advance(1);
    expect(emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.status).toMatchObject({
      lifecycleState: 'UPGRADING',
    });
    await emulator.advance(10_000);
    const after = emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment');
    expect(after?.spec?.['taskManager']).toEqual({ resource: { cpu: 2, memory: '6g' } }); // the user's unit (4g)
    expect(after?.status).toMatchObject({
      jobStatus: { state: 'RUNNING' },
      jobManagerDeploymentStatus: 'READY',
    });
  });

  it('writes a policy-capped change once, then nothing while the cap stays the same', async () => {
    // Prepare: the autoscaler wants 8/2 every cycle, a policy hook caps the source at 4.
    emulator.apply(aFlinkDeployment());
    await emulator.advance(10_000);
    const plan = { parallelismOverrides: { [SOURCE]: 8, [SINK]: 2 } };
    const capped = { spec: { flinkConfiguration: { [OV]: `${SINK}:2,${SOURCE}:4` } } };
    // Act: the same proposal and the same cap, three cycles in a row.
    const outcomes = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      outcomes.push((await realizer.realize(KEY, plan, { patchOverride: capped })).outcome);
    }
    // Assess: one write, then nothing (a policy patch that changes nothing is not sent).
    expect(outcomes).toEqual(['patched', 'unchanged', 'unchanged']);
    expect(patches()).toHaveLength(1);
  });
});
