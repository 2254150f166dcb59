/**
 * How the operator will really apply a change (issue 14), proven on the emulator playing the
 * operator: the realizer's prediction and what the emulated operator then does must agree.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesJobDiscovery } from '../../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import { KubernetesScalingRealizer } from '../../../lib/adapters/kubernetes/kubernetes-scaling-realizer.ts';
import {
  type KubernetesEmulator,
  type KubernetesEmulatorOptions,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment, aFlinkSessionJob, aSessionCluster, SINK, SOURCE } from './flink-fixtures.ts';

const OV = 'pipeline.jobvertex-parallelism-overrides';
const NS = 'flink-jobs';
const DEPLOYMENT = { cluster: 'local', namespace: NS, kind: 'FlinkDeployment', name: 'orders-enrichment' } as const;
const SESSION_JOB = { cluster: 'local', namespace: NS, kind: 'FlinkSessionJob', name: 'clicks' } as const;
const RESTART_MS = 10_000;

let emulator: KubernetesEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(options: Partial<KubernetesEmulatorOptions> = {}) {
  const started = await startKubernetesEmulator({ token: 't', restartDelayMs: RESTART_MS, ...options });
  emulator = started;
  const client = new KubernetesClient({ baseUrl: started.url, token: new StaticTokenProvider('t'), sleep: async () => {} });
  return {
    emulator: started,
    realizer: new KubernetesScalingRealizer(client),
    discovery: new KubernetesJobDiscovery(client, { cluster: 'local', apiServerUrl: started.url }),
  };
}

const reasons = (e: KubernetesEmulator, name: string) => e.events(NS, name).map((event) => event['reason']);
const patches = (e: KubernetesEmulator) => e.requests.filter((r) => r.method === 'PATCH');

describe('upgrade paths as the operator takes them', () => {
  it('refuses a standalone stateless job: the operator would redeploy it from empty state', async () => {
    const { emulator: e, realizer } = await start();
    const standalone = aFlinkDeployment({ upgradeMode: 'stateless' }) as { spec: Record<string, unknown> };
    standalone.spec['mode'] = 'standalone';
    e.apply(standalone);
    await e.advance(RESTART_MS);
    const result = await realizer.realize(DEPLOYMENT, { parallelismOverrides: { [SOURCE]: 4 } });
    expect(result).toMatchObject({ outcome: 'refused', upgradePath: 'refused' });
    expect(result.reason).toMatch(/spec.mode is standalone.*upgradeMode stateless/);
    expect(patches(e)).toEqual([]);
  });

  it('a standalone overrides change is a full upgrade in the emulated operator too', async () => {
    const { emulator: e, realizer } = await start();
    const standalone = aFlinkDeployment() as { spec: Record<string, unknown> };
    standalone.spec['mode'] = 'standalone';
    e.apply(standalone);
    await e.advance(RESTART_MS);
    const result = await realizer.realize(DEPLOYMENT, { parallelismOverrides: { [SOURCE]: 4 } });
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'full-upgrade' });
    await e.advance(0);
    expect(reasons(e, 'orders-enrichment')).toContain('SpecChanged');
    expect(reasons(e, 'orders-enrichment')).not.toContain('Scaling');
  });

  it('rescales in place when the adaptive scheduler and in-place scaling come only from the operator defaults', async () => {
    const operatorDefaults = {
      'jobmanager.scheduler': 'adaptive',
      'kubernetes.operator.job.upgrade.inplace-scaling.enabled': 'true',
    };
    const { emulator: e, realizer } = await start({ operatorDefaults });
    e.apply(
      aFlinkDeployment({
        upgradeMode: 'stateless',
        flinkConfiguration: { 'taskmanager.numberOfTaskSlots': '2', [OV]: `${SOURCE}:2` },
      }),
    );
    await e.advance(RESTART_MS);
    const plan = { parallelismOverrides: { [SOURCE]: 4 } };
    // from the resource alone the scheduler is not adaptive: a stateless restart, refused
    expect(await realizer.preview(DEPLOYMENT, plan)).toMatchObject({ outcome: 'refused' });
    // what the JobManager reports (the operator defaults included) decides
    const effectiveConfiguration = e.deployedConfiguration('FlinkDeployment', NS, 'orders-enrichment');
    expect(effectiveConfiguration['jobmanager.scheduler']).toBe('adaptive');
    const result = await realizer.realize(DEPLOYMENT, plan, { effectiveConfiguration });
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'in-place' });
    await e.advance(0);
    expect(reasons(e, 'orders-enrichment')).toContain('Scaling');
    await e.advance(RESTART_MS);
    const status = e.get('FlinkDeployment', NS, 'orders-enrichment')?.status;
    expect(status).toMatchObject({ jobStatus: { state: 'RUNNING' }, lifecycleState: 'STABLE' });
  });

  it('scales a last-state session job without HA through a full upgrade of the job', async () => {
    const { emulator: e, realizer, discovery } = await start();
    e.apply(aSessionCluster());
    const job = aFlinkSessionJob() as { spec: { job: Record<string, unknown>; flinkConfiguration: unknown } };
    job.spec.job['upgradeMode'] = 'last-state';
    job.spec.flinkConfiguration = { [OV]: `${SOURCE}:2,${SINK}:1` };
    e.apply(job);
    await e.advance(RESTART_MS);
    expect((await discovery.getJob(SESSION_JOB))?.readiness).toEqual({ ready: true });
    const result = await realizer.realize(SESSION_JOB, { parallelismOverrides: { [SOURCE]: 4, [SINK]: 1 } });
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'full-upgrade' });
    expect(result.reason).toMatch(/not adaptive.*last-state upgrade without HA: session jobs/);
    await e.advance(RESTART_MS);
    const scaled = e.get('FlinkSessionJob', NS, 'clicks');
    expect(scaled?.status).toMatchObject({ jobStatus: { state: 'RUNNING' }, observedGeneration: 2 });
    expect(reasons(e, 'clicks')).toContain('SpecChanged');
  });

  it('reads Flink version, mode and scheduler of a session job from its session cluster', async () => {
    const { emulator: e, realizer } = await start();
    e.apply(aSessionCluster({ flinkConfiguration: { 'jobmanager.scheduler': 'adaptive' } }));
    const job = aFlinkSessionJob() as { spec: { flinkConfiguration: unknown } };
    job.spec.flinkConfiguration = { [OV]: `${SOURCE}:2` };
    e.apply(job);
    await e.advance(RESTART_MS);
    const result = await realizer.realize(SESSION_JOB, { parallelismOverrides: { [SOURCE]: 3 } });
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'in-place' });
    await e.advance(0);
    expect(reasons(e, 'clicks')).toContain('Scaling');
  });

  it('last-state without HA on operator 1.10 upgrades (FLINK-35414); on 1.9 the operator rejects the spec', async () => {
    const noHa = () => aFlinkDeployment({ flinkConfiguration: { 'jobmanager.scheduler': 'adaptive' } });
    const recent = await start({ operatorVersion: '1.10' });
    const annotated = noHa() as { metadata: Record<string, unknown> };
    annotated.metadata['annotations'] = { 'flink-serverless-autoscaler/operator-version': '1.10' };
    recent.emulator.apply(annotated);
    await recent.emulator.advance(RESTART_MS);
    const result = await recent.realizer.realize(DEPLOYMENT, {
      parallelismOverrides: {},
      memoryConfig: { overrides: { 'taskmanager.memory.managed.fraction': '0.2' }, removals: [] },
    });
    expect(result).toMatchObject({ outcome: 'patched', upgradePath: 'full-upgrade' });
    expect(result.reason).toMatch(/FLINK-35414/);
    await recent.emulator.close();

    const old = await start({ operatorVersion: '1.9' });
    old.emulator.apply(noHa());
    await old.emulator.advance(RESTART_MS);
    const status = old.emulator.get('FlinkDeployment', NS, 'orders-enrichment')?.status;
    expect(String(status?.['error'])).toContain('Job could not be upgraded with last-state while HA disabled');
    expect(reasons(old.emulator, 'orders-enrichment')).toEqual(['ValidationError']);
    const readiness = (await old.discovery.getJob(DEPLOYMENT))?.readiness;
    expect(readiness).toMatchObject({ ready: false, code: 'operator-error', refused: true });
  });

  it('an operator before 1.8 writes no observedGeneration: readiness falls back to the reconciled spec', async () => {
    const { emulator: e, discovery } = await start({ operatorVersion: '1.7' });
    e.apply(aFlinkDeployment());
    await e.advance(RESTART_MS);
    expect(e.get('FlinkDeployment', NS, 'orders-enrichment')?.status).not.toHaveProperty('observedGeneration');
    expect((await discovery.getJob(DEPLOYMENT))?.readiness).toEqual({ ready: true });
  });
});
