import { describe, expect, it } from 'vitest';
import type { FlinkResource } from '../../../../lib/adapters/kubernetes/flink-resource.ts';
import { assessReadiness, findAmbiguousConfigKeys } from '../../../../lib/adapters/kubernetes/readiness.ts';

type Patch = {
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  generation?: number;
  kind?: FlinkResource['kind'];
};

function resource(p: Patch = {}): FlinkResource {
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: p.kind ?? 'FlinkDeployment',
    metadata: { name: 'job', namespace: 'ns', generation: p.generation ?? 3 },
    spec: { flinkConfiguration: {}, deploymentName: 'session', ...p.spec },
    status: {
      lifecycleState: 'STABLE',
      observedGeneration: 3,
      jobManagerDeploymentStatus: 'READY',
      reconciliationStatus: { state: 'DEPLOYED' },
      jobStatus: { state: 'RUNNING', jobId: 'a'.repeat(32) },
      ...p.status,
    },
  } as FlinkResource;
}

describe('assessReadiness', () => {
  it.each([
    { name: 'STABLE and RUNNING', patch: {}, code: undefined },
    { name: 'DEPLOYED lifecycle', patch: { status: { lifecycleState: 'DEPLOYED' } }, code: undefined },
    { name: 'generation ahead', patch: { generation: 4 }, code: 'spec-not-observed' },
    { name: 'UPGRADING lifecycle', patch: { status: { lifecycleState: 'UPGRADING' } }, code: 'lifecycle' },
    {
      name: 'reconciliation UPGRADING',
      patch: { status: { reconciliationStatus: { state: 'UPGRADING' } } },
      code: 'reconciliation',
    },
    {
      name: 'JM DEPLOYING',
      patch: { status: { jobManagerDeploymentStatus: 'DEPLOYING' } },
      code: 'jobmanager-not-ready',
    },
    {
      name: 'job RESTARTING',
      patch: { status: { jobStatus: { state: 'RESTARTING' } } },
      code: 'job-not-running',
    },
    { name: 'suspended', patch: { spec: { job: { state: 'suspended' } } }, code: 'suspended' },
    { name: 'Flink 1.16', patch: { spec: { flinkVersion: 'v1_16' } }, code: 'flink-version-unsupported' },
    { name: 'Flink 1.17', patch: { spec: { flinkVersion: 'v1_17' } }, code: undefined },
    {
      name: 'operator validation error on the current generation',
      patch: { generation: 4, status: { error: '{"message":"Forbidden Flink config key"}' } },
      code: 'operator-error',
    },
    {
      name: 'an old error next to an observed spec does not block',
      patch: { status: { error: '{"message":"Job failed"}' } },
      code: undefined,
    },
    {
      name: 'operator < 1.8: generation from lastReconciledSpec',
      patch: {
        status: {
          observedGeneration: undefined,
          reconciliationStatus: {
            state: 'DEPLOYED',
            lastReconciledSpec: JSON.stringify({ spec: {}, resource_metadata: { metadata: { generation: 3 } } }),
          },
        },
      },
      code: undefined,
    },
    {
      name: 'operator < 1.8: older generation reconciled',
      patch: {
        generation: 4,
        status: {
          observedGeneration: undefined,
          reconciliationStatus: {
            state: 'DEPLOYED',
            lastReconciledSpec: JSON.stringify({ spec: {}, resource_metadata: { metadata: { generation: 3 } } }),
          },
        },
      },
      code: 'spec-not-observed',
    },
    {
      name: 'operator without any generation record',
      patch: {
        status: {
          observedGeneration: undefined,
          reconciliationStatus: { state: 'DEPLOYED', lastReconciledSpec: JSON.stringify({ spec: {} }) },
        },
      },
      code: 'operator-too-old',
    },
    {
      name: 'built-in autoscaler on (nested YAML)',
      patch: { spec: { flinkConfiguration: { job: { autoscaler: { enabled: true } } } } },
      code: 'builtin-autoscaler-enabled',
    },
    {
      name: 'flat and nested key',
      patch: { spec: { flinkConfiguration: { 'a.b': '1', a: { b: '2' } } } },
      code: 'ambiguous-configuration',
    },
  ])('$name → $code', ({ patch, code }) => {
    const result = assessReadiness(resource(patch as Patch));
    if (code === undefined) expect(result).toEqual({ ready: true });
    else expect(result).toMatchObject({ ready: false, code });
  });

  it('marks configuration problems as refused, transient states as not', () => {
    expect(
      assessReadiness(resource({ spec: { flinkConfiguration: { 'job.autoscaler.enabled': 'TRUE' } } })),
    ).toMatchObject({ refused: true });
    expect(assessReadiness(resource({ generation: 9 }))).toMatchObject({ refused: false });
  });

  it('checks the session cluster JobManager for a session job', () => {
    const job = resource({ kind: 'FlinkSessionJob', status: { jobManagerDeploymentStatus: undefined } });
    expect(assessReadiness(job)).toMatchObject({
      code: 'session-cluster-not-ready',
      reason: expect.stringContaining('was not found'),
    });
    expect(assessReadiness(job, resource())).toEqual({ ready: true });
  });

  it('finds keys set both flat and nested', () => {
    expect(findAmbiguousConfigKeys({ 'x.y': 1, x: { y: 2, z: 3 }, w: 1 })).toEqual(['x.y']);
  });
});
