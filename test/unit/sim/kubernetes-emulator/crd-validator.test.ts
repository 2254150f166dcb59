import { describe, expect, it } from 'vitest';
import { flinkCrdValidator } from '../../../../sim/kubernetes-emulator/crd-validator.ts';
import { aFlinkDeployment, aFlinkSessionJob } from '../../../integration/kubernetes/flink-fixtures.ts';

describe('CRD validation (openAPIV3Schema of the operator CRDs)', () => {
  const main = flinkCrdValidator('flinkdeployments', 'main');
  const release = flinkCrdValidator('flinkdeployments', 'operator-1.15.0');

  it('accepts valid resources, nested flinkConfiguration included', () => {
    expect(main(aFlinkDeployment({ flinkConfiguration: { taskmanager: { numberOfTaskSlots: 4 } } }))).toEqual(
      [],
    );
    expect(flinkCrdValidator('flinksessionjobs', 'main')(aFlinkSessionJob())).toEqual([]);
  });

  it.each([
    {
      path: ['spec', 'job', 'upgradeMode'],
      value: 'fast',
      field: 'spec.job.upgradeMode',
      reason: 'FieldValueNotSupported',
    },
    {
      path: ['spec', 'flinkVersion'],
      value: 'v0_1',
      field: 'spec.flinkVersion',
      reason: 'FieldValueNotSupported',
    },
    {
      path: ['spec', 'job', 'parallelism'],
      value: 'four',
      field: 'spec.job.parallelism',
      reason: 'FieldValueTypeInvalid',
    },
    {
      path: ['spec', 'taskManager', 'resource', 'cpu'],
      value: '2 cores',
      field: 'spec.taskManager.resource.cpu',
      reason: 'FieldValueTypeInvalid',
    },
  ])('rejects $field with $reason', ({ path, value, field, reason }) => {
    const object = aFlinkDeployment();
    let cur = object as Record<string, unknown>;
    for (const p of path.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
    cur[path[path.length - 1] ?? ''] = value;
    expect(main(object)).toContainEqual(expect.objectContaining({ field, reason }));
  });

  it('knows spec.taskManager.resources only on the main CRD (not in release 1.15.0)', () => {
    const object = aFlinkDeployment({ taskManager: { resources: { requests: { memory: 4 } } } });
    // main: resources.requests values are int-or-string, so 4 is fine; 1.15.0 prunes unknown fields, no error either
    expect(main(object)).toEqual([]);
    expect(release(object)).toEqual([]);
    const bad = aFlinkDeployment({ taskManager: { resources: { requests: { memory: true } } } });
    expect(main(bad)).toContainEqual(
      expect.objectContaining({ field: 'spec.taskManager.resources.requests.memory' }),
    );
    expect(release(bad)).toEqual([]);
  });
});
