import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMetricIds } from '../../../lib/adapters/flink-rest/index.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import { loadFlinkRestValidators } from './flink-rest-openapi.ts';

const ORDERS_YAML = readFileSync(
  join(import.meta.dirname, '../../fixtures/flink-rest/scenarios/orders-pipeline.yaml'),
  'utf8',
);

let sim: FlinkSimulator;
const validator = loadFlinkRestValidators();

beforeAll(async () => {
  sim = await startFlinkSimulator({ scenario: ORDERS_YAML });
  sim.advance(60_000);
});
afterAll(async () => {
  await sim.close();
});

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${sim.url}${path}`);
  return { status: response.status, body: await response.json() };
}

function endpoints(): [string, string][] {
  const job = sim.jobId;
  const [source, enrich] = sim.cluster.scenario.vertices;
  const vertexMetrics = (vertexId: string) => `/jobs/${job}/vertices/${vertexId}/subtasks/metrics`;
  const tmIds = encodeMetricIds(['Status.JVM.Memory.Heap.Used', 'Status.JVM.Memory.Heap.Max']);
  return [
    ['/overview', 'ClusterOverviewWithVersion'],
    ['/v1/overview', 'ClusterOverviewWithVersion'],
    ['/config', 'DashboardConfiguration'],
    ['/jobs', 'JobIdsWithStatusOverview'],
    ['/jobs/overview', 'MultipleJobsDetails'],
    [`/jobs/${job}`, 'JobDetailsInfo'],
    [`/jobs/${job}/plan`, 'JobPlanInfo'],
    [`/jobs/${job}/status`, 'JobStatusInfo'],
    [`/jobs/${job}/config`, 'JobConfigInfo'],
    [`/jobs/${job}/resource-requirements`, 'JobResourceRequirementsBody'],
    [`/jobs/${job}/jobmanager/config`, 'ConfigurationInfo'],
    ['/jobmanager/config', 'ConfigurationInfo'],
    ['/jobmanager/metrics', 'metric-collection'],
    ['/jobmanager/metrics?get=taskSlotsTotal,taskSlotsAvailable', 'metric-collection'],
    [vertexMetrics(source!.vertexId), 'metric-collection'],
    [
      `${vertexMetrics(source!.vertexId)}?get=busyTimeMsPerSecond,Source__orders.pendingRecords`,
      'aggregated-metrics',
    ],
    [
      `${vertexMetrics(enrich!.vertexId)}?get=busyTimeMsPerSecond&agg=max,avg&subtasks=0-1`,
      'aggregated-metrics',
    ],
    [`/jobs/${job}/vertices/${enrich!.vertexId}/metrics?get=0.busyTimeMsPerSecond`, 'metric-collection'],
    ['/taskmanagers', 'TaskManagersInfo'],
    ['/taskmanagers/metrics', 'metric-collection'],
    [`/taskmanagers/metrics?get=${tmIds}&agg=min,max,avg`, 'aggregated-metrics'],
  ];
}

describe('simulator responses validate against reference/flink-rest-v1.yml', () => {
  it('serves and validates every endpoint the collector uses', async () => {
    const list = endpoints();
    for (const [path, schema] of list) {
      const { status, body } = await getJson(path);
      expect(status, path).toBe(200);
      const validate = validator(schema);
      const valid = validate(body);
      expect(validate.errors ?? [], `${path} vs ${schema}`).toEqual([]);
      expect(valid).toBe(true);
    }
    expect(list.length).toBe(21);
  });

  it('metric answers are arrays with values: aggregates numbers, collections strings', async () => {
    const job = sim.jobId;
    const vertex = sim.cluster.scenario.vertices[1]!.vertexId;
    const aggregated = await getJson(
      `/jobs/${job}/vertices/${vertex}/subtasks/metrics?get=busyTimeMsPerSecond`,
    );
    expect(aggregated.body).toEqual([
      { id: 'busyTimeMsPerSecond', min: 1000, max: 1000, avg: 1000, sum: 2000 },
    ]);
    const collection = await getJson('/jobmanager/metrics?get=taskSlotsTotal');
    expect(collection.body).toEqual([{ id: 'taskSlotsTotal', value: '2' }]);
  });

  it('errors are Flink-shaped: 404 unknown job/vertex/path, 400 bad agg', async () => {
    const unknownJob = await getJson(`/jobs/${'0'.repeat(32)}`);
    expect(unknownJob.status).toBe(404);
    expect((unknownJob.body as { errors: string[] }).errors[0]).toMatch(/not found/);
    expect((await getJson(`/jobs/${sim.jobId}/vertices/${'1'.repeat(32)}/subtasks/metrics`)).status).toBe(
      404,
    );
    expect((await getJson('/nope')).status).toBe(404);
    const badAgg = await getJson(
      `/jobs/${sim.jobId}/vertices/${sim.cluster.scenario.vertices[0]!.vertexId}/subtasks/metrics?get=busyTimeMsPerSecond&agg=median`,
    );
    expect(badAgg.status).toBe(400);
  });

  it('the closed schemas do reject an invented field (the check has teeth)', () => {
    const validate = validator('ClusterOverviewWithVersion');
    expect(validate({ taskmanagers: 1, 'made-up': true })).toBe(false);
  });
});

describe('PUT /jobs/{id}/resource-requirements (adaptive scheduler)', () => {
  it('rescales an in-place scenario after the downtime, keeping the job id', async () => {
    const inPlace = await startFlinkSimulator({
      scenario: ORDERS_YAML.replace('mode: redeploy', 'mode: in-place'),
    });
    try {
      const enrich = inPlace.cluster.scenario.vertices[1]!.vertexId;
      const jobId = inPlace.jobId;
      const put = (body: unknown) =>
        fetch(`${inPlace.url}/jobs/${jobId}/resource-requirements`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const rejected = await put({ [enrich]: { parallelism: { lowerBound: 1, upperBound: 500 } } });
      expect(rejected.status).toBe(400);
      expect(((await rejected.json()) as { errors: string[] }).errors[0]).toMatch(
        /exceeds max parallelism 120/,
      );

      const accepted = await put({ [enrich]: { parallelism: { lowerBound: 1, upperBound: 4 } } });
      expect(accepted.status).toBe(200);
      expect(inPlace.cluster.state).toBe('RESTARTING');
      inPlace.advance(30_000);
      expect(inPlace.jobId).toBe(jobId);
      const requirements = (await (
        await fetch(`${inPlace.url}/jobs/${jobId}/resource-requirements`)
      ).json()) as Record<string, { parallelism: { upperBound: number } }>;
      expect(requirements[enrich]?.parallelism.upperBound).toBe(4);
    } finally {
      await inPlace.close();
    }
  });

  it('is refused (400) without the adaptive scheduler', async () => {
    const response = await fetch(`${sim.url}/jobs/${sim.jobId}/resource-requirements`, {
      method: 'PUT',
      body: '{}',
    });
    expect(response.status).toBe(400);
  });
});
