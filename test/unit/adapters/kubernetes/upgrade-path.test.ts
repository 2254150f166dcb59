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
