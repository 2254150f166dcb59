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

  it('an overrides change is an UPGRADE in standalone mode (AbstractFlinkSpec: SCALE only in NATIVE)', () => {
    expect(classifySpecChange(base, withConfig({ [OV]: 'a:3,b:2' }), 'standalone')).toBe('upgrade');
    expect(classifySpecChange(base, base, 'standalone')).toBe('ignore');
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
    // the job was deployed with the same settings and the old overrides
    const deployed: Record<string, string> = { ...after.flinkConfiguration, [OV]: base.flinkConfiguration[OV] };
    expect(operatorScalesInPlace(deployed, after, version)).toBe(inPlace);
  });

  it('reads the scheduler from the deployed configuration, not from the new spec', () => {
    const after = withConfig({ [OV]: 'a:3,b:2' });
    expect(operatorScalesInPlace({ [OV]: 'a:1,b:2' }, after, 'v1_20')).toBe(false);
    const defaults = { 'jobmanager.scheduler': 'adaptive', [OV]: 'a:1,b:2' };
    const noScheduler = { ...base, flinkConfiguration: { [OV]: 'a:3,b:2' } };
    expect(operatorScalesInPlace(defaults, noScheduler, 'v1_20')).toBe(true);
  });
});
