import { describe, expect, it } from 'vitest';
import { defaultItemLimits } from '../../../lib/adapters/state/save-window.ts';
import { US_EAST_1_PRICES } from '../../../lib/report/cloud-prices.ts';
import {
  type CycleUsage,
  estimateFleetCost,
  type FleetSpec,
  MEASURED_HISTORY_RETENTION_MS,
  type MeasuredUsage,
  retainedSamplesPerJob,
  SAMPLE_TTL_GRACE_MS,
  storedBytesPerJob,
  usageAt,
} from '../../../lib/report/cost-model.ts';

const CYCLES_PER_MONTH = 43_200; // 30 days at 1 per minute

function cycle(vertices: number, overrides: Partial<CycleUsage> = {}): CycleUsage {
  return {
    vertices,
    workerInvocations: 1,
    workerBilledMs: 100,
    sqsRequests: 2,
    dynamoRequests: 4,
    dynamoReadUnits: 1,
    dynamoWriteUnits: 2,
    dynamoStoredBytes: 1024 ** 3 / 1000,
    dynamoSampleItemBytes: 100,
    logBytes: 1000,
    customMetrics: 0,
    ...overrides,
  };
}

const MEASURED: MeasuredUsage = {
  measuredOn: '2026-12-04',
  workerMemoryMb: 512,
  dispatcherMemoryMb: 512,
  workerBatchSize: 1,
  defaults: [cycle(10), cycle(100, { workerBilledMs: 1000, logBytes: 10_000 })],
  detailed: [cycle(10, { customMetrics: 159 }), cycle(100, { workerBilledMs: 1000, logBytes: 20_000, customMetrics: 1509 })],
  fleet: {
    dispatcherBilledMsPerTick: 50,
    dispatcherLogBytesPerTick: 500,
    fleetCustomMetrics: 13,
    alarms: 4,
    dashboards: 1,
    idleSqsRequestsPerMonth: 648_000,
  },
};

const SPEC: FleetSpec = { jobs: 10, vertices: 10, cadenceMs: 60_000, detailedJobs: 0, billing: 'on-demand' };

const cost = (estimate: ReturnType<typeof estimateFleetCost>, service: string, part: 'perJob' | 'fleetFixed' = 'perJob') =>
  estimate[part].find((s) => s.service === service)!.usdPerMonth;

describe('estimateFleetCost', () => {
  it('prices one job-cycle of each service with the published unit prices', () => {
    // Act
    const estimate = estimateFleetCost(SPEC, MEASURED, US_EAST_1_PRICES);

    // Assess: hand-computed from the usage above and the us-east-1 prices
    expect(estimate.cyclesPerJobMonth).toBe(CYCLES_PER_MONTH);
    const gbSeconds = 0.1 * 0.5 * CYCLES_PER_MONTH;
    expect(cost(estimate, 'Lambda')).toBeCloseTo(CYCLES_PER_MONTH * 0.2e-6 + gbSeconds * 0.0000133334, 10);
    // The job queue is FIFO: $0.50 per million requests.
    expect(cost(estimate, 'SQS')).toBeCloseTo(2 * CYCLES_PER_MONTH * 0.5e-6, 10);
    expect(cost(estimate, 'DynamoDB')).toBeCloseTo(
      CYCLES_PER_MONTH * (1 * 0.125e-6 + 2 * 0.625e-6) + 0.001 * 0.25,
      10,
    );
    const logGb = (1000 * CYCLES_PER_MONTH) / 1024 ** 3;
    expect(cost(estimate, 'CloudWatch Logs')).toBeCloseTo(logGb * 0.5 + logGb * 0.03, 10);
    expect(cost(estimate, 'CloudWatch metrics')).toBe(0);
    expect(estimate.perJobUsdPerMonth).toBeCloseTo(estimate.perJob.reduce((s, c) => s + c.usdPerMonth, 0), 12);
  });

  it('states the fleet fixed cost separately: dashboard, alarms, fleet metrics, dispatcher, schedule', () => {
    // Act
    const estimate = estimateFleetCost(SPEC, MEASURED, US_EAST_1_PRICES);

    // Assess
    expect(cost(estimate, 'CloudWatch dashboards and alarms', 'fleetFixed')).toBeCloseTo(3 + 4 * 0.1, 10);
    expect(cost(estimate, 'CloudWatch metrics', 'fleetFixed')).toBeCloseTo(13 * 0.3, 10);
    // 43,200 schedule invocations a month are within the price list's free 14 million
    expect(cost(estimate, 'EventBridge Scheduler', 'fleetFixed')).toBe(0);
    expect(estimate.totalUsdPerMonth).toBeCloseTo(10 * estimate.perJobUsdPerMonth + estimate.fleetFixedUsdPerMonth, 10);
  });

  it('charges detailed metrics per opted-in job at $0.30 per metric a month', () => {
    // Act
    const estimate = estimateFleetCost({ ...SPEC, detailedJobs: 2 }, MEASURED, US_EAST_1_PRICES);

    // Assess
    expect(estimate.detailedExtraUsdPerJobMonth).toBeCloseTo(159 * 0.3, 10);
    expect(estimate.totalUsdPerMonth).toBeCloseTo(
      10 * estimate.perJobUsdPerMonth + 2 * 159 * 0.3 + estimate.fleetFixedUsdPerMonth,
      8,
    );
  });

  it('prices provisioned capacity from the average units per second at the auto-scaling target', () => {
    // Act
    const estimate = estimateFleetCost({ ...SPEC, billing: 'provisioned' }, MEASURED, US_EAST_1_PRICES);

    // Assess: 2 WRU and 1 RRU a minute, provisioned at 70 % utilization, 720 hours
    const wcu = 2 / 60 / 0.7;
    const rcu = 1 / 60 / 0.7;
    expect(cost(estimate, 'DynamoDB')).toBeCloseTo(wcu * 0.00065 * 720 + rcu * 0.00013 * 720 + 0.001 * 0.25, 10);
    // 10 jobs use less than the table's 1 WCU / 1 RCU minimum: the rest is fleet cost
    expect(cost(estimate, 'DynamoDB', 'fleetFixed')).toBeCloseTo(
      (1 - 10 * wcu) * 0.00065 * 720 + (1 - 10 * rcu) * 0.00013 * 720,
      10,
    );
  });

  it('scales with the cadence: a 5-minute cadence runs a fifth of the cycles', () => {
    // Act
    const everyMinute = estimateFleetCost(SPEC, MEASURED, US_EAST_1_PRICES);
    const everyFive = estimateFleetCost({ ...SPEC, cadenceMs: 300_000 }, MEASURED, US_EAST_1_PRICES);

    // Assess
    expect(everyFive.cyclesPerJobMonth).toBe(CYCLES_PER_MONTH / 5);
    expect(cost(everyFive, 'SQS')).toBeCloseTo(cost(everyMinute, 'SQS') / 5, 12);
  });

  it.each([
    [{ jobs: -1 }, /jobs must be a whole number ≥ 0/],
    [{ vertices: 0 }, /vertices must be a whole number ≥ 1/],
    [{ detailedJobs: 11 }, /detailedJobs \(11\) cannot exceed jobs \(10\)/],
    [{ cadenceMs: 500 }, /cadence must be at least 1 s/],
    [{ billing: 'reserved' as never }, /billing must be 'on-demand' or 'provisioned'/],
  ])('refuses %o with a message naming the field', (override, message) => {
    expect(() => estimateFleetCost({ ...SPEC, ...override }, MEASURED, US_EAST_1_PRICES)).toThrow(message);
  });
});

describe('usageAt', () => {
  it('interpolates linearly between measured sizes and extends past the last one', () => {
    // Act / Assess
    expect(usageAt(MEASURED.defaults, 55).logBytes).toBeCloseTo(5500, 8);
    expect(usageAt(MEASURED.defaults, 10).logBytes).toBe(1000);
    expect(usageAt(MEASURED.defaults, 190).workerBilledMs).toBeCloseTo(1900, 8);
    expect(usageAt(MEASURED.detailed, 55).customMetrics).toBe(834);
  });

  it('never goes below zero when extended below the smallest size', () => {
    expect(usageAt(MEASURED.defaults, 1).logBytes).toBe(100);
    expect(usageAt([cycle(10, { logBytes: 100 }), cycle(20, { logBytes: 1000 })], 1).logBytes).toBe(0);
  });
});

describe('stored bytes for another history retention or cadence', () => {
  const DAY_MS = 24 * 3600 * 1000;
  const usage = cycle(10, { dynamoStoredBytes: 5_000_000, dynamoSampleItemBytes: 400 });

  it('is what was measured at the measured retention and a 1-minute cadence', () => {
    expect(storedBytesPerJob(usage, MEASURED_HISTORY_RETENTION_MS, 60_000)).toBeCloseTo(5_000_000, 6);
  });

  it('counts the grace the stores give a sample past the window', () => {
    expect(SAMPLE_TTL_GRACE_MS).toBe(defaultItemLimits().sampleTtlGraceMs);
  });

  it('keeps one sample per cycle for the retention plus two days until TTL deletion, at least window + 1 h', () => {
    expect(retainedSamplesPerJob(7 * DAY_MS, 60_000)).toBe(9 * 24 * 60);
    expect(retainedSamplesPerJob(30 * DAY_MS, 5 * 60_000)).toBe((32 * 24 * 60) / 5);
    // retention 0 (window only): the window of 15 minutes plus the hour's grace
    expect(retainedSamplesPerJob(0, 60_000)).toBe(75 + 2 * 24 * 60);
  });

  it('re-counts only the samples: 23 more days of 400-byte samples at 30 days, fewer at 0', () => {
    expect(storedBytesPerJob(usage, 30 * DAY_MS, 60_000) - 5_000_000).toBeCloseTo(23 * 24 * 60 * 400, 6);
    expect(storedBytesPerJob(usage, 0, 60_000)).toBeCloseTo(5_000_000 - (7 * 24 * 60 - 75) * 400, 6);
  });

  it('prices the storage line of the estimate with the fleet’s retention', () => {
    const storage = (historyRetentionMs: number) =>
      estimateFleetCost({ ...SPEC, historyRetentionMs }, MEASURED, US_EAST_1_PRICES)
        .perJob.find((c) => c.service === 'DynamoDB')!
        .lines.find((l) => l.item.startsWith('storage'))!.quantity;
    const measured = storage(MEASURED_HISTORY_RETENTION_MS);
    expect(measured).toBeCloseTo(1 / 1000, 9);
    expect(storage(30 * DAY_MS)).toBeCloseTo(measured + (23 * 24 * 60 * 100) / 1024 ** 3, 12);
    expect(() => estimateFleetCost({ ...SPEC, historyRetentionMs: -1 }, MEASURED, US_EAST_1_PRICES)).toThrow(
      /historyRetentionMs must be 0 \(window only\) or a positive duration/,
    );
  });
});
