import { describe, expect, it } from 'vitest';
import { effectiveFlinkConfiguration } from '../../../../lib/adapters/kubernetes/effective-configuration.ts';
import type { FlinkResource } from '../../../../lib/adapters/kubernetes/flink-resource.ts';

const resource = (kind: FlinkResource['kind'], flinkConfiguration: unknown): FlinkResource =>
  ({ apiVersion: 'flink.apache.org/v1beta1', kind, metadata: { name: 'x' }, spec: { flinkConfiguration } }) as FlinkResource;

describe('effectiveFlinkConfiguration', () => {
  const reported = {
    'jobmanager.scheduler': 'adaptive',
    'high-availability.type': 'kubernetes',
    's3.secret-key': '******',
    'taskmanager.numberOfTaskSlots': '4',
  };

  it('puts the resource (nested or flat) over what the JobManager reports and drops masked values', () => {
    const own = resource('FlinkDeployment', { taskmanager: { numberOfTaskSlots: 2 } });
    expect(effectiveFlinkConfiguration(own, undefined, reported)).toEqual({
      'jobmanager.scheduler': 'adaptive',
      'high-availability.type': 'kubernetes',
      'taskmanager.numberOfTaskSlots': '2',
    });
  });

  it('layers a session job over its session cluster over the report', () => {
    const cluster = resource('FlinkDeployment', { 'jobmanager.scheduler': 'default', 'high-availability.type': 'NONE' });
    const job = resource('FlinkSessionJob', { 'high-availability.type': 'zookeeper' });
    expect(effectiveFlinkConfiguration(job, cluster, reported)).toMatchObject({
      'jobmanager.scheduler': 'default',
      'high-availability.type': 'zookeeper',
    });
  });

  it('uses the resource alone when nothing was reported, and ignores a session cluster of a deployment', () => {
    const cluster = resource('FlinkDeployment', { 'jobmanager.scheduler': 'adaptive' });
    expect(effectiveFlinkConfiguration(resource('FlinkDeployment', { a: '1' }), cluster, undefined)).toEqual({ a: '1' });
  });
});
