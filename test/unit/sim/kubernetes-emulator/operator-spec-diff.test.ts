import { describe, expect, it } from 'vitest';
import {
  classifySpecChange,
  operatorScalesInPlace,
} from '../../../../sim/kubernetes-emulator/operator-spec-diff.ts';

const OV = 'pipeline.jobvertex-parallelism-overrides';
const base = {
  flinkVersion: 'v1_20',
  flinkConfiguration: { 'jobmanager.scheduler': 'adaptive', [OV]: 'a:1,b:2' },
  taskManager: { resource: { memory: '4g' } },
  job: { upgradeMode: 'last-state', parallelism: 2 },
};
const withConfig = (c: Record<string, unknown>) => ({
  ...base,
  flinkConfiguration: { ...base.flinkConfiguration, ...c },
});

describe('operator spec diff', () => {
  it.each([
    { name: 'same spec', after: base, type: 'ignore' },
    {
      name: 'upgradeMode only',
      after: { ...base, job: { ...base.job, upgradeMode: 'savepoint' } },
      type: 'ignore',
    },
    {
      name: 'operator and autoscaler keys',
      after: withConfig({ 'job.autoscaler.enabled': 'false', 'kubernetes.operator.x': '1' }),
      type: 'ignore',
    },
    { name: 'overrides', after: withConfig({ [OV]: 'a:3,b:2' }), type: 'scale' },
    {
      name: 'nested overrides equal to flat',
      after: {
        ...base,
        flinkConfiguration: {
          jobmanager: { scheduler: 'adaptive' },
          pipeline: { 'jobvertex-parallelism-overrides': 'a:1,b:2' },
        },
      },
      type: 'ignore',
    },
    { name: 'memory', after: { ...base, taskManager: { resource: { memory: '6g' } } }, type: 'upgrade' },
    {
      name: 'savepoint redeploy nonce',
      after: { ...base, job: { ...base.job, savepointRedeployNonce: 1 } },
      type: 'savepoint-redeploy',
    },
  ])('$name → $type', ({ after, type }) => {
    expect(classifySpecChange(base, after)).toBe(type);
  });

  it.each([
    { name: 'adaptive 1.20', after: withConfig({ [OV]: 'a:3,b:2' }), version: 'v1_20', inPlace: true },
    { name: 'Flink 1.17', after: withConfig({ [OV]: 'a:3,b:2' }), version: 'v1_17', inPlace: false },
    { name: 'override removed', after: withConfig({ [OV]: 'a:3' }), version: 'v1_20', inPlace: false },
    {
      name: 'disabled',
      after: withConfig({
        [OV]: 'a:3,b:2',
        'kubernetes.operator.job.upgrade.inplace-scaling.enabled': 'false',
      }),
      version: 'v1_20',
      inPlace: false,
    },
  ])('in place: $name → $inPlace', ({ after, version, inPlace }) => {
    expect(operatorScalesInPlace(base, after, version)).toBe(inPlace);
  });
});
