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

  it('an aggregated query answers [] as a whole when one requested id has no values (AbstractAggregatingMetricsHandler)', async () => {
    const vertex = sim.cluster.scenario.vertices[1]!.vertexId;
    const path = `/jobs/${sim.jobId}/vertices/${vertex}/subtasks/metrics`;
    const both = await getJson(`${path}?get=busyTimeMsPerSecond,numRecordsInPerSecond&agg=sum`);
    expect((both.body as unknown[]).length).toBe(2);
    const withUnknown = await getJson(`${path}?get=busyTimeMsPerSecond,notReportedByAnyone&agg=sum`);
    expect(withUnknown).toEqual({ status: 200, body: [] });
  });

  it('aggregates a vertex metric over the subtasks that report it only', async () => {
    const vertex = sim.cluster.scenario.vertices[1]!.vertexId;
    const path = `/jobs/${sim.jobId}/vertices/${vertex}/subtasks/metrics`;
    const before = (await getJson(`${path}?get=numRecordsInPerSecond`)).body as { sum: number }[];
    sim.withholdMetric({ id: 'numRecordsInPerSecond', vertex, indexes: [1] });
    try {
      const after = (await getJson(`${path}?get=numRecordsInPerSecond`)).body as Record<string, number>[];
      // subtask 1 is left out, not counted as 0: avg = sum = min = max = subtask 0's value
      expect(after[0]!['sum']).toBeLessThan(before[0]!.sum);
      expect(after[0]!['avg']).toBe(after[0]!['sum']);
      expect(after[0]!['min']).toBe(after[0]!['max']);
      sim.withholdMetric({ id: 'numRecordsInPerSecond', vertex, indexes: [0] });
      expect((await getJson(path)).body).not.toContainEqual({ id: 'numRecordsInPerSecond' });
      expect((await getJson(`${path}?get=busyTimeMsPerSecond,numRecordsInPerSecond`)).body).toEqual([]);
    } finally {
      sim.reportAllMetrics();
    }
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

describe('GET /taskmanagers/metrics aggregates only the TaskManagers that report a metric', () => {
  it('skips a TaskManager without the metric instead of counting it as 0, and answers [] when none has it', async () => {
    // one slot per TaskManager: the two-subtask job runs on two TaskManagers
    const twoTms = await startFlinkSimulator({ scenario: ORDERS_YAML.replace('slots: 2', 'slots: 1') });
    try {
      twoTms.advance(60_000);
      expect(twoTms.cluster.taskManagers()).toHaveLength(2);
      const heapMax = 'Status.JVM.Memory.Heap.Max';
      const get = async (ids: string[]) =>
        (await fetch(`${twoTms.url}/taskmanagers/metrics?get=${encodeMetricIds(ids)}&agg=min,avg,sum`)).json();
      const full = (await get([heapMax])) as { min: number; avg: number; sum: number }[];
      expect(full[0]!.sum).toBe(2 * full[0]!.min);
      twoTms.withholdMetric({ id: heapMax, indexes: [0] });
      expect(await get([heapMax])).toEqual([{ id: heapMax, min: full[0]!.min, avg: full[0]!.min, sum: full[0]!.min }]);
      twoTms.withholdMetric({ id: heapMax });
      expect(await get([heapMax, 'Status.JVM.Memory.Heap.Used'])).toEqual([]);
    } finally {
      await twoTms.close();
    }
  });
});
