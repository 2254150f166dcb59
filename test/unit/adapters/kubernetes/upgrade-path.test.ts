import { describe, expect, it } from 'vitest';
import {
  decideUpgradePath,
  highAvailabilityMode,
  type UpgradePathInput,
} from '../../../../lib/adapters/kubernetes/upgrade-path.ts';

const ADAPTIVE = { 'jobmanager.scheduler': 'adaptive', 'high-availability.type': 'kubernetes' };
const scaleUp = { overridesBefore: { a: 2 }, overridesAfter: { a: 4 }, memoryChanged: false };

function input(p: Partial<UpgradePathInput>): UpgradePathInput {
  return {
    kind: 'FlinkDeployment',
    deploymentMode: undefined,
    operatorVersion: undefined,
    flinkVersion: 'v1_20',
    flinkConfiguration: ADAPTIVE,
    upgradeMode: 'last-state',
    annotations: {},
    change: scaleUp,
    ...p,
  };
}

interface Row {
  name: string;
  p: Partial<UpgradePathInput>;
  path: string;
  code?: string;
  reason?: RegExp;
}

describe('decideUpgradePath', () => {
  it.each<Row>([
    {
      name: 'nothing changes',
      p: { change: { overridesBefore: { a: 2 }, overridesAfter: { a: '2' }, memoryChanged: false } },
      path: 'none',
    },
    { name: 'adaptive 1.20, overrides only', p: {}, path: 'in-place' },
    { name: 'clusterInfo version 1.18.1', p: { flinkVersion: '1.18.1' }, path: 'in-place' },
    { name: 'Flink 1.17', p: { flinkVersion: 'v1_17' }, path: 'full-upgrade', reason: /< 1.18/ },
    {
      name: 'default scheduler',
      p: { flinkConfiguration: { 'high-availability.type': 'kubernetes' } },
      path: 'full-upgrade',
      reason: /not adaptive/,
    },
    {
      name: 'in-place disabled',
      p: {
        flinkConfiguration: {
          ...ADAPTIVE,
          'kubernetes.operator.job.upgrade.inplace-scaling.enabled': 'false',
        },
      },
      path: 'full-upgrade',
    },
    {
      name: 'override removed',
      p: { change: { overridesBefore: { a: 2, b: 1 }, overridesAfter: { a: 3 }, memoryChanged: false } },
      path: 'full-upgrade',
      reason: /removed for b/,
    },
    {
      name: 'memory change',
      p: { change: { ...scaleUp, memoryChanged: true } },
      path: 'full-upgrade',
      reason: /memory/,
    },
    { name: 'savepoint', p: { upgradeMode: 'savepoint', flinkVersion: 'v1_17' }, path: 'full-upgrade' },
    {
      name: 'last-state without HA',
      p: { flinkVersion: 'v1_17', flinkConfiguration: { 'jobmanager.scheduler': 'adaptive' } },
      path: 'refused',
      code: 'last-state-without-ha',
    },
    {
      name: 'last-state legacy ZooKeeper HA',
      p: { flinkVersion: 'v1_17', flinkConfiguration: { 'high-availability': 'zookeeper' } },
      path: 'full-upgrade',
    },
    {
      name: 'stateless refused',
      p: { upgradeMode: 'stateless', flinkVersion: 'v1_17' },
      path: 'refused',
      code: 'stateless-restart-not-allowed',
    },
    {
      name: 'stateless absent = stateless',
      p: { upgradeMode: undefined, flinkVersion: 'v1_17' },
      path: 'refused',
    },
    {
      name: 'stateless allowed by annotation',
      p: {
        upgradeMode: 'stateless',
        flinkVersion: 'v1_17',
        annotations: { 'flink-serverless-autoscaler/allow-stateless-restart': 'true' },
      },
      path: 'full-upgrade',
    },
    { name: 'stateless in place needs no annotation', p: { upgradeMode: 'stateless' }, path: 'in-place' },
    { name: 'native mode spelled out', p: { deploymentMode: 'native' }, path: 'in-place' },
    {
      name: 'standalone mode: overrides are a full upgrade',
      p: { deploymentMode: 'standalone' },
      path: 'full-upgrade',
      reason: /spec.mode is standalone/,
    },
    {
      name: 'standalone stateless refused',
      p: { deploymentMode: 'standalone', upgradeMode: 'stateless' },
      path: 'refused',
      code: 'stateless-restart-not-allowed',
    },
    {
      name: 'Flink 1.16 ignores the overrides',
      p: { flinkVersion: 'v1_16' },
      path: 'refused',
      code: 'flink-version-unsupported',
      reason: /FLINK-29501/,
    },
    {
      name: 'Flink 1.16 memory-only change is a plain full upgrade',
      p: { flinkVersion: 'v1_16', change: { overridesBefore: {}, overridesAfter: {}, memoryChanged: true } },
      path: 'full-upgrade',
    },
    {
      name: 'last-state without HA on operator 1.10',
      p: { flinkVersion: 'v1_17', operatorVersion: [1, 10], flinkConfiguration: {} },
      path: 'full-upgrade',
      reason: /FLINK-35414/,
    },
    {
      name: 'last-state without HA on operator 1.9',
      p: { flinkVersion: 'v1_17', operatorVersion: [1, 9], flinkConfiguration: {} },
      path: 'refused',
      code: 'last-state-without-ha',
    },
    {
      name: 'last-state session job without HA',
      p: { kind: 'FlinkSessionJob', flinkVersion: 'v1_17', flinkConfiguration: {} },
      path: 'full-upgrade',
      reason: /latest checkpoint/,
    },
    {
      name: 'last-state without HA, unknown operator, allowed by annotation',
      p: {
        flinkVersion: 'v1_17',
        flinkConfiguration: {},
        annotations: { 'flink-serverless-autoscaler/allow-stateless-restart': 'true' },
      },
      path: 'full-upgrade',
    },
  ])('$name → $path', ({ p, path, code, reason }) => {
    const decision = decideUpgradePath(input(p));
    expect(decision.path).toBe(path);
    if (code) expect(decision).toMatchObject({ code });
    if (reason) expect(decision.reason).toMatch(reason);
  });

  it.each([
    [{ 'high-availability.type': 'KUBERNETES' }, 'kubernetes'],
    [{ 'high-availability': 'org.example.MyHaServicesFactory' }, 'org.example.MyHaServicesFactory'],
    [{ 'high-availability.type': 'NONE' }, undefined],
    [{}, undefined],
  ])('HA mode of %o is %s', (config, mode) => expect(highAvailabilityMode(config)).toBe(mode));
});
