import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandboxJobsFromOptions } from '../../../../bin/commands/sandbox.ts';
import { sandboxFlinkDeployment } from '../../../../sim/sandbox/sandbox-deployment.ts';

const SCENARIOS = join(import.meta.dirname, '..', '..', '..', 'e2e', 'scenarios');
const none = { set: [], upgradeMode: [], annotate: [] };

describe('fsa sandbox options', () => {
  it('defaults to the demo scenario', async () => {
    const { jobs } = await sandboxJobsFromOptions({ scenario: [], ...none });
    expect(jobs.map((j) => j.name)).toEqual(['orders-pipeline']);
  });

  it('names jobs, scopes --set/--upgrade-mode/--annotate to one job or all', async () => {
    const { jobs, flinkConfiguration } = await sandboxJobsFromOptions({
      scenario: [join(SCENARIOS, 'under-provisioned.yaml'), `late=${join(SCENARIOS, 'under-provisioned.yaml')}`],
      set: ['job.autoscaler.metrics.window=20s', 'late:pipeline.jobvertex-parallelism-overrides=a:1,b:2'],
      upgradeMode: ['late:stateless'],
      annotate: ['team=data'],
    });
    expect(flinkConfiguration).toEqual({ 'job.autoscaler.metrics.window': '20s' });
    expect(jobs.map((j) => [j.name, j.upgradeMode, j.flinkConfiguration, j.annotations])).toEqual([
      ['e2e-under', undefined, {}, { team: 'data' }],
      ['late', 'stateless', { 'pipeline.jobvertex-parallelism-overrides': 'a:1,b:2' }, { team: 'data' }],
    ]);
  });

  it('rejects unknown jobs, bad modes and settings without a value', async () => {
    const scenario = [join(SCENARIOS, 'under-provisioned.yaml')];
    await expect(sandboxJobsFromOptions({ scenario, ...none, set: ['nope:a=b'] })).rejects.toThrow(
      "--set: no sandbox job named 'nope' (jobs: e2e-under)",
    );
    await expect(sandboxJobsFromOptions({ scenario, ...none, upgradeMode: ['upgrade'] })).rejects.toThrow(
      '--upgrade-mode must be stateless, last-state or savepoint',
    );
    await expect(sandboxJobsFromOptions({ scenario, ...none, set: ['novalue'] })).rejects.toThrow(
      '--set needs [<job>:]<key>=<value>',
    );
  });

  it('builds an opted-in FlinkDeployment with the job’s choices last', async () => {
    const { jobs } = await sandboxJobsFromOptions({ scenario: [join(SCENARIOS, 'stateless.yaml')], ...none });
    const resource = sandboxFlinkDeployment(jobs[0]!.scenario, {
      upgradeMode: 'stateless',
      flinkConfiguration: { 'jobmanager.scheduler': 'default' },
    }) as {
      metadata: { name: string; labels: Record<string, string> };
      spec: { flinkConfiguration: Record<string, string>; job: { upgradeMode: string; parallelism: number } };
    };
    expect(resource.metadata).toMatchObject({
      name: 'e2e-stateless',
      labels: { 'flink-serverless-autoscaler/enabled': 'true' },
    });
    expect(resource.spec.job).toMatchObject({ upgradeMode: 'stateless', parallelism: 1 });
    expect(resource.spec.flinkConfiguration['jobmanager.scheduler']).toBe('default');
  });
});
