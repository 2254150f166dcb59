import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/index.ts';
import { resolveOptions } from '../../../lib/config/index.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import type { FlinkSimulatorScenario } from '../../../sim/flink-simulator/scenario.ts';
import {
  FlinkResponseFormatError,
  FlinkRestError,
  JobNotFoundError,
  MetricsNotReadyError,
} from '../../../lib/ports/metrics-source.ts';

const ORDERS_YAML = readFileSync(
  join(import.meta.dirname, '../../fixtures/flink-rest/scenarios/orders-pipeline.yaml'),
  'utf8',
);

const options = resolveOptions({
  'job.autoscaler.stabilization.interval': '1 min',
  'job.autoscaler.flink.rest-client.timeout': '500 ms',
}).options;

function scenario(overrides: Partial<FlinkSimulatorScenario> = {}): FlinkSimulatorScenario {
  return {
    name: 'two-vertex',
    job: {
      vertices: [
        {
          id: 'src',
          parallelism: 2,
          costMsPerRecord: 0.5,
          source: { partitions: 3, load: { type: 'constant', recordsPerSecond: 1000 } },
        },
        { id: 'map', parallelism: 1, costMsPerRecord: 0.5 },
      ],
      edges: [{ from: 'src', to: 'map', shipStrategy: 'REBALANCE' }],
    },
    ...overrides,
  };
}

let simulator: FlinkSimulator | undefined;
let source: FlinkRestMetricsSource | undefined;
afterEach(async () => {
  await source?.close();
  await simulator?.close();
  simulator = undefined;
  source = undefined;
});

async function start(input: Parameters<typeof startFlinkSimulator>[0]) {
  simulator = await startFlinkSimulator(input);
  source = new FlinkRestMetricsSource();
  return { sim: simulator, collector: source };
}

describe('FlinkRestMetricsSource against the simulator', () => {
  it('collects topology, partitions, lag, rates, TM/JM metrics and configuration', async () => {
    const { sim, collector } = await start({ scenario: ORDERS_YAML });
    sim.advance(60_000);
    const raw = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());

    expect(raw.collectedAtMs).toBe(sim.nowMs());
    expect(raw.missingRequired).toEqual([]);
    expect(raw.topology.jobId).toBe(sim.jobId);
    expect(raw.topology.jobRunningTsMs).toBe(1_700_000_000_000);
    const [orders, enrich, sink] = raw.topology.vertices;
    expect(orders).toMatchObject({
      name: 'Source: orders',
      parallelism: 2,
      maxParallelism: 120,
      numSourcePartitions: 8,
    });
    expect(enrich?.inputs).toEqual([{ id: orders?.id, shipStrategy: 'HASH' }]);
    expect(sink?.inputs).toEqual([{ id: enrich?.id, shipStrategy: 'REBALANCE' }]);
    expect(sink?.slotSharingGroupId).toMatch(/^[0-9a-f]{32}$/);

    // enrich: 2 subtasks × 1000 rec/s = 2000 rec/s < 2500 arriving → 500 rec/s lag growth for 60 s.
    const src = raw.vertices[orders!.id]!;
    expect(src.pendingRecords).toBeCloseTo(30_000, 0);
    expect(src.sourceNumRecordsInPerSecond).toBeCloseTo(2000, 6);
    expect(src.sourceNumRecordsIn).toBeCloseTo(120_000, 0);
    expect(src.backPressuredTimeMsPerSecond?.avg).toBeCloseTo(750, 6);
    expect(raw.vertices[enrich!.id]?.busyTimeMsPerSecond?.max).toBeCloseTo(1000, 6);
    expect(raw.vertices[enrich!.id]?.numRecordsInPerSecond).toBeCloseTo(2000, 6);
    expect(raw.vertices[sink!.id]?.readRecords).toBe(60_000);
    expect(sim.trueCapacity('enrich')).toBeCloseTo(2000, 9);

    expect(raw.taskManagers.heapMaxBytes?.max).toBe(1024 * 1024 * 1024);
    expect(raw.taskManagers.gcTimeMsPerSecond?.max).toBeGreaterThan(0);
    expect(raw.jobManager).toEqual({ taskSlotsTotal: 2, taskSlotsAvailable: 0 });
    expect(raw.flinkConfiguration?.['taskmanager.numberOfTaskSlots']).toBe('2');
    // Flink ≥ 1.19: the per-job configuration endpoint is used.
    expect(sim.requests.some((r) => r.endsWith(`/jobs/${sim.jobId}/jobmanager/config`))).toBe(true);
    expect(sim.requests).not.toContain('/jobmanager/config');
  });

  it('re-lists source metric names every cycle but caches non-source listings', async () => {
    const { sim, collector } = await start({ scenario: ORDERS_YAML });
    sim.advance(10_000);
    await collector.collect({ restBaseUrl: sim.url, jobId: sim.jobId }, options, sim.nowMs());
    sim.advance(10_000);
    await collector.collect({ restBaseUrl: sim.url, jobId: sim.jobId }, options, sim.nowMs());
    const listings = sim.requests.filter((r) => r.endsWith('/subtasks/metrics'));
    // 3 vertices listed in cycle 1, only the source in cycle 2.
    expect(listings).toHaveLength(4);
    // Configuration is read once per job attempt.
    expect(sim.requests.filter((r) => r.includes('jobmanager/config'))).toHaveLength(1);
  });

  it('is NotReady while metrics are not reported during stabilization, then incomplete after it', async () => {
    const { sim, collector } = await start({ scenario: scenario({ metricsDelayMs: '10 min' }) });
    sim.advance(5_000);
    const error = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs()).catch((e) => e);
    expect(error).toBeInstanceOf(MetricsNotReadyError);
    expect((error as MetricsNotReadyError).reason).toBe('metrics-not-reported');

    sim.advance(120_000); // past the 1 min stabilization, still within the metrics delay
    const raw = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    expect(raw.missingRequired).toContain(`${raw.topology.vertices[0]?.id}:busyTimeMsPerSecond`);
    expect(raw.missingRequired).toContain('taskmanagers:Status.JVM.Memory.Heap.Max');
  });

  it('follows a redeploy: old id → JobNotFoundError, restart → NotReady, then the new job', async () => {
    const { sim, collector } = await start({ scenario: scenario() });
    sim.advance(30_000);
    const oldId = sim.jobId;
    const { jobId, runningAtMs } = sim.applyParallelism({ map: 3 });
    expect(jobId).not.toBe(oldId);

    const gone = await collector
      .collect({ restBaseUrl: sim.url, jobId: oldId }, options, sim.nowMs())
      .catch((e) => e);
    expect(gone).toBeInstanceOf(JobNotFoundError);
    expect(gone).toBeInstanceOf(FlinkRestError);
    expect((gone as JobNotFoundError).jobId).toBe(oldId);

    const restarting = await collector
      .collect({ restBaseUrl: sim.url }, options, sim.nowMs())
      .catch((e) => e);
    expect(restarting).toBeInstanceOf(MetricsNotReadyError);

    sim.setTime(runningAtMs + 5_000);
    const raw = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    expect(raw.topology.jobId).toBe(jobId);
    expect(raw.topology.jobRunningTsMs).toBe(runningAtMs);
    expect(raw.topology.vertices[1]?.parallelism).toBe(3);
    // 30 s downtime × 1000 rec/s = 30 000 lag; the source (3 partitions on 2 subtasks → the busier
    // reads 2/3 → capacity 2000 / (2/3) = 3000 rec/s) drains 2000 rec/s for 5 s → 20 000.
    expect(raw.vertices[raw.topology.vertices[0]!.id]?.pendingRecords).toBeCloseTo(20_000, 0);
    expect(raw.vertices[raw.topology.vertices[0]!.id]?.sourceNumRecordsInPerSecond).toBeCloseTo(3000, 6);
  });

  it('probes the GC metric and falls back on Flink 1.18 (no All.TimeMsPerSecond), cluster config fallback', async () => {
    const { sim, collector } = await start({ scenario: scenario({ flinkVersion: '1.18.1' }) });
    sim.advance(20_000);
    const raw = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    expect(raw.taskManagers.gcTimeMsPerSecond).toBeUndefined();
    expect(raw.taskManagers.heapUsedBytes?.max).toBeGreaterThan(0);
    expect(raw.topology.vertices[0]?.slotSharingGroupId).toBeUndefined();
    expect(raw.flinkConfiguration?.['pipeline.max-parallelism']).toBe('128');
    sim.advance(20_000);
    await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    const tmQueries = sim.requests.filter((r) => r.startsWith('/taskmanagers/metrics'));
    // cycle 1: probe (5 ids, empty) + fallback (4 ids); cycle 2: 4 ids only.
    expect(tmQueries).toHaveLength(3);
    expect(tmQueries[0]).toContain('All.TimeMsPerSecond');
    expect(tmQueries[2]).not.toContain('All.TimeMsPerSecond');
  });

  it('an empty aggregated answer is missing data: not ready, naming the metric; the listing is read again', async () => {
    const { sim, collector } = await start({ scenario: scenario() });
    const target = () => ({ restBaseUrl: sim.url, jobId: sim.jobId });
    sim.advance(90_000);
    await collector.collect(target(), options, sim.nowMs()); // caches the listing of 'map'
    const map = sim.cluster.scenario.vertices[1]!;
    // 'map' stops reporting busy time: the cached listing still names it, so Flink answers [].
    sim.withholdMetric({ id: 'busyTimeMsPerSecond', vertex: 'map' });
    sim.advance(10_000);
    const error = await collector.collect(target(), options, sim.nowMs()).catch((e) => e);
    expect(error).toBeInstanceOf(MetricsNotReadyError);
    expect(error).toMatchObject({ reason: 'metrics-without-values', metrics: ['busyTimeMsPerSecond'] });
    expect((error as Error).message).toContain(`busyTimeMsPerSecond of vertex 'map' (${map.vertexId})`);

    // Next cycle lists 'map' again: busy time is simply missing now, a named incomplete observation.
    sim.advance(10_000);
    const listingsBefore = sim.requests.filter((r) => r.endsWith(`/vertices/${map.vertexId}/subtasks/metrics`));
    const incomplete = await collector.collect(target(), options, sim.nowMs());
    const listingsAfter = sim.requests.filter((r) => r.endsWith(`/vertices/${map.vertexId}/subtasks/metrics`));
    expect(listingsAfter.length).toBe(listingsBefore.length + 1);
    expect(incomplete.missingRequired).toEqual([`${map.vertexId}:busyTimeMsPerSecond`]);

    sim.reportAllMetrics();
    sim.advance(10_000);
    const complete = await collector.collect(target(), options, sim.nowMs());
    expect(complete.missingRequired).toEqual([]);
    expect(complete.vertices[map.vertexId]?.busyTimeMsPerSecond?.max).toBeGreaterThan(0);
  });

  it('a source whose pendingRecords has no values is not ready, not lag 0', async () => {
    const { sim, collector } = await start({ scenario: scenario() });
    const target = () => ({ restBaseUrl: sim.url, jobId: sim.jobId });
    sim.advance(90_000);
    const src = sim.cluster.scenario.vertices[0]!;
    const pending = `${src.metricPrefix}.pendingRecords`;
    const listed = await collector.collect(target(), options, sim.nowMs());
    expect(listed.vertices[src.vertexId]?.pendingRecords).toBeGreaterThanOrEqual(0);
    // A source is listed every cycle, so the id must vanish between the listing and the query,
    // as it does when Flink's metric store drops it in between.
    sim.withholdMetric({ id: pending, vertex: 'src', stillListed: true });
    sim.advance(10_000);
    const error = await collector.collect(target(), options, sim.nowMs()).catch((e) => e);
    expect(error).toMatchObject({ reason: 'metrics-without-values' });
    expect((error as MetricsNotReadyError).metrics).toContain(pending);
  });

  it('retries the GC probe that found nothing before the TaskManagers reported', async () => {
    const { sim, collector } = await start({ scenario: scenario({ metricsDelayMs: '10 s' }) });
    sim.advance(5_000);
    const early = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs()).catch((e) => e);
    expect(early).toBeInstanceOf(MetricsNotReadyError);
    sim.advance(20_000);
    const raw = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    expect(raw.taskManagers.gcTimeMsPerSecond?.max).toBeGreaterThanOrEqual(0);
    const probes = sim.requests.filter((r) => r.startsWith('/taskmanagers/metrics') && r.includes('All.TimeMsPerSecond'));
    expect(probes).toHaveLength(2);
  });

  it('collects without the configuration when its call fails, and reads it next cycle', async () => {
    const { sim, collector } = await start({ scenario: scenario() });
    sim.advance(20_000);
    sim.injectFault({ pathPrefix: `/jobs/${sim.jobId}/jobmanager/config`, status: 500, times: 1 });
    const first = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    expect(first.flinkConfiguration).toBeUndefined();
    expect(first.missingRequired).toEqual([]);
    sim.advance(10_000);
    const second = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    expect(second.flinkConfiguration?.['pipeline.max-parallelism']).toBe('128');
  });

  it('legacy source: busy time NaN is passed on, no pendingRecords, no partitions', async () => {
    const { sim, collector } = await start({
      scenario: {
        name: 'legacy',
        job: {
          vertices: [
            {
              id: 'gen',
              parallelism: 1,
              costMsPerRecord: 0.1,
              source: { type: 'legacy', load: { type: 'constant', recordsPerSecond: 100 } },
            },
          ],
        },
      },
    });
    sim.advance(10_000);
    const raw = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
    const only = raw.vertices[raw.topology.vertices[0]!.id]!;
    expect(only.busyTimeMsPerSecond?.max).toBeNaN();
    expect(only.accumulatedBusyTimeMs).toBeNaN();
    expect(only.pendingRecords).toBeUndefined();
    expect(raw.topology.vertices[0]?.numSourcePartitions).toBe(0);
    expect(raw.missingRequired).toEqual([]);
  });

  it('reaches the API through a service-proxy path prefix with a bearer token', async () => {
    const pathPrefix = '/api/v1/namespaces/flink/services/orders-rest:rest/proxy';
    const { sim, collector } = await start({
      scenario: scenario(),
      pathPrefix,
      requiredHeaders: { authorization: 'Bearer k8s-token' },
    });
    sim.advance(10_000);
    const target = { restBaseUrl: sim.url, headers: { authorization: 'Bearer k8s-token' } };
    const raw = await collector.collect(target, options, sim.nowMs());
    expect(raw.topology.vertices).toHaveLength(2);
    const denied = await collector.collect({ restBaseUrl: sim.url }, options, sim.nowMs()).catch((e) => e);
    expect(denied).toBeInstanceOf(FlinkRestError);
    expect((denied as FlinkRestError).status).toBe(401);
  });

  it.each([
    ['5xx', { status: 503 }, 'http-status', 503],
    ['non-JSON proxy page', { status: 200, rawBody: '<html>bad gateway</html>' }, 'non-json', 200],
    ['timeout', { hang: true }, 'timeout', undefined],
  ] as const)('maps %s to FlinkRestError', async (_name, fault, kind, status) => {
    const { sim, collector } = await start({ scenario: scenario() });
    sim.advance(10_000);
    sim.injectFault({ pathPrefix: '/jobs/', ...fault });
    const error = await collector
      .collect({ restBaseUrl: sim.url, jobId: sim.jobId }, options, sim.nowMs())
      .catch((e) => e);
    expect(error).toBeInstanceOf(FlinkRestError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
    expect((error as FlinkRestError).kind).toBe(kind);
    expect((error as FlinkRestError).status).toBe(status);
    expect((error as FlinkRestError).path).toBe(`/jobs/${sim.jobId}`);
  });

  it('maps connection refused to FlinkRestError(connection)', async () => {
    const { sim, collector } = await start({ scenario: scenario() });
    const url = sim.url;
    await sim.close();
    simulator = undefined;
    const error = await collector
      .collect({ restBaseUrl: url, jobId: 'a'.repeat(32) }, options, 0)
      .catch((e) => e);
    expect(error).toBeInstanceOf(FlinkRestError);
    expect((error as FlinkRestError).kind).toBe('connection');
  });

  it('malformed job details → FlinkResponseFormatError naming the field', async () => {
    const { sim, collector } = await start({ scenario: scenario() });
    sim.injectFault({
      pathPrefix: '/jobs/',
      status: 200,
      rawBody: '{"jid":"x","state":"RUNNING","plan":{"nodes":"no"}}',
    });
    const error = await collector
      .collect({ restBaseUrl: sim.url, jobId: sim.jobId }, options, sim.nowMs())
      .catch((e) => e);
    expect(error).toBeInstanceOf(FlinkResponseFormatError);
    expect((error as FlinkResponseFormatError).field).toBe('plan.nodes');
  });

  it('findRunningJob: NotReady when the only job is restarting', async () => {
    const { sim, collector } = await start({
      scenario: scenario({ restart: { mode: 'in-place', downtimeMs: '1 min' } }),
    });
    expect((await collector.findRunningJob({ restBaseUrl: sim.url }, options)).jobId).toBe(sim.jobId);
    const before = sim.jobId;
    sim.applyParallelism({ map: 2 });
    expect(sim.jobId).toBe(before); // in-place keeps the id
    const error = await collector.findRunningJob({ restBaseUrl: sim.url }, options).catch((e) => e);
    expect(error).toBeInstanceOf(MetricsNotReadyError);
    expect((error as MetricsNotReadyError).reason).toBe('no-running-job');
  });
});
