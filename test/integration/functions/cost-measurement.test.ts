/**
 * The cost benchmark's measurement (bench/cost-measure.ts) on a small fleet: it must see what the
 * handlers really do (requests, units, bytes, metrics), and the default reporter must add no
 * per-job custom metric while the detailed-metrics annotation does.
 */
import { describe, expect, it } from 'vitest';
import { distinctMetrics, measureCycleUsage, platformLogBytes } from '../../../bench/cost-measure.ts';
import type { DeployedShape } from '../../../bench/deployed-shape.ts';

const SHAPE: DeployedShape = {
  workerMemoryMb: 512,
  dispatcherMemoryMb: 512,
  workerBatchSize: 1,
  fifoQueue: false,
  tableBillingMode: 'PAY_PER_REQUEST',
  logRetentionDays: 30,
  alarms: 4,
  dashboards: 1,
  vertexDetailIntervalMs: 300_000,
};

describe('cost measurement', () => {
  it('counts a steady job-cycle: one invocation, SQS, DynamoDB units, one cycle record, no per-job metric', async () => {
    // Act
    const m = await measureCycleUsage({ vertices: 4, detailed: false, shape: SHAPE, jobs: 1, windowMinutes: 2, measuredTicks: 1 });

    // Assess: a job scaled earlier, whose cycle checks its spec against its overrides
    expect(m.actions).toEqual({ balanced: 1 });
    expect(m.realized).toEqual({ unchanged: 1 });
    expect(m.usage.workerInvocations).toBe(1);
    // a tenth of a SendMessageBatch, one receive, one delete
    expect(m.usage.sqsRequests).toBeCloseTo(2.1, 10);
    // every request consumes at least half a unit (an eventually consistent read of ≤ 4 KB)
    expect(Number.isInteger(m.usage.dynamoRequests)).toBe(true);
    expect(m.usage.dynamoRequests).toBeGreaterThan(0);
    expect(m.usage.dynamoReadUnits + m.usage.dynamoWriteUnits).toBeGreaterThanOrEqual(m.usage.dynamoRequests / 2);
    expect(m.usage.dynamoWriteUnits).toBeGreaterThanOrEqual(1);
    expect(m.usage.customMetrics).toBe(0);
    // a no-change cycle logs no application line at the default level
    expect(m.applicationLogBytes).toBe(0);
    expect(m.usage.logBytes).toBeCloseTo(m.metricLogBytes + platformLogBytes(512), 6);
    expect(m.fleet.fleetCustomMetrics).toBeGreaterThan(0);
  }, 120_000);

  it('keeps a quiet 10-vertex job within the log budget: at most 450 bytes per job-cycle, all lines counted', async () => {
    // Act: a full batch of 10 steady jobs over one vertex-detail interval (5 ticks)
    const m = await measureCycleUsage({
      vertices: 10,
      detailed: false,
      shape: { ...SHAPE, workerBatchSize: 10 },
      jobs: 10,
      windowMinutes: 2,
      measuredTicks: 5,
    });

    // Assess: a short record every cycle, every vertex once per interval, a tenth of the
    // invocation's run document and platform lines
    expect(m.actions).toEqual({ balanced: 50 });
    expect(m.realized).toEqual({ unchanged: 50 });
    expect(m.applicationLogBytes).toBe(0);
    expect(m.usage.logBytes).toBeLessThanOrEqual(450);
    // without the interval every record lists the 10 vertices: over twice the bytes
    const everyCycle = await measureCycleUsage({
      vertices: 10,
      detailed: false,
      shape: { ...SHAPE, workerBatchSize: 10, vertexDetailIntervalMs: 0 },
      jobs: 10,
      windowMinutes: 2,
      measuredTicks: 1,
    });
    expect(everyCycle.usage.logBytes).toBeGreaterThan(2 * m.usage.logBytes);
  }, 180_000);

  it("measures the worker's wall and CPU time, and the handler's share of the CPU from a profiled tick", async () => {
    // Act
    const m = await measureCycleUsage({ vertices: 4, detailed: false, shape: SHAPE, jobs: 1, windowMinutes: 2, measuredTicks: 1, profileCpu: true });

    // Assess: the profiled tick is not counted (one measured cycle); the simulators took some CPU
    expect(m.actions).toEqual({ balanced: 1 });
    expect(m.timing.workerCpuMsPerInvocation).toBeGreaterThan(0);
    expect(m.timing.workerWallMsPerInvocation).toBeGreaterThan(0);
    expect(m.timing.workerHandlerCpuShare).toBeGreaterThan(0);
    expect(m.timing.workerHandlerCpuShare).toBeLessThan(1);
  }, 120_000);

  it('counts the per-job and per-vertex metrics of a job with the detailed-metrics annotation', async () => {
    // Act
    const m = await measureCycleUsage({ vertices: 4, detailed: true, shape: SHAPE, jobs: 1, windowMinutes: 2, measuredTicks: 1 });

    // Assess: 4 vertex documents and 1 job document, each with its own metric names
    expect(m.usage.customMetrics).toBeGreaterThan(4 * 10);
  }, 120_000);
});

describe('distinctMetrics', () => {
  it('counts each metric name per dimension-value set, per job or fleet-wide', () => {
    const doc = (dimensions: string[], values: Record<string, string>, names: string[]) =>
      JSON.stringify({
        _aws: {
          Timestamp: 0,
          CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [dimensions], Metrics: names.map((Name) => ({ Name })) }],
        },
        ...values,
      });
    const job = { Cluster: 'c', Namespace: 'n', Resource: 'FlinkDeployment/a' };
    const lines = [
      doc(['Cluster', 'Namespace', 'Resource', 'Vertex'], { ...job, Vertex: 'v1' }, ['LOAD', 'LAG']),
      doc(['Cluster', 'Namespace', 'Resource', 'Vertex'], { ...job, Vertex: 'v1' }, ['LOAD']),
      doc(['Cluster', 'Namespace', 'Resource', 'Vertex'], { ...job, Vertex: 'v2' }, ['LOAD']),
      doc(['Service'], { Service: 's' }, ['Errors']),
      doc(['Service', 'Reason'], { Service: 's', Reason: 'window' }, ['NotReadyCycles']),
      '{"fsa":"cycle","job":"c/n/FlinkDeployment/a","v":[]}',
    ];
    expect(distinctMetrics(lines)).toEqual({ perJob: 3, fleet: 2 });
  });
});
