/**
 * The cost model: what a fleet of Flink jobs costs a month on AWS, from what one job-cycle uses
 * (measured by `npm run bench -- --only=cost`) and the published prices (./cloud-prices.ts).
 * Pure: the benchmark feeds it fresh measurements, `fsa cost` the committed ones
 * (./measured-cycle-usage.ts).
 */
import { defaultOptions } from '../config/resolve-options.ts';
import type { CloudPrices } from './cloud-prices.ts';

/** What one job-cycle uses at one job size, as the cost benchmark measured it. */
export interface CycleUsage {
  /** Vertices of the measured job. */
  readonly vertices: number;
  /** Worker Lambda invocations per job-cycle (below 1 when one invocation runs several jobs). */
  readonly workerInvocations: number;
  /** Billed worker milliseconds per job-cycle (an invocation's billed time shared by its jobs). */
  readonly workerBilledMs: number;
  /** SQS requests per job-cycle (share of a send batch, receive, delete). */
  readonly sqsRequests: number;
  /** DynamoDB requests per job-cycle (informational: on-demand bills units, not requests). */
  readonly dynamoRequests: number;
  /** DynamoDB read request units per job-cycle (from the items' real sizes). */
  readonly dynamoReadUnits: number;
  /** DynamoDB write request units per job-cycle. */
  readonly dynamoWriteUnits: number;
  /**
   * Bytes one job keeps in DynamoDB at the default history retention and a 1-minute cadence: the
   * state, the run record, the decision contexts and the samples until TTL removes them
   * ({@link retainedSamplesPerJob}).
   */
  readonly dynamoStoredBytes: number;
  /** Mean stored bytes of one sample item (the part of {@link dynamoStoredBytes} that retention scales). */
  readonly dynamoSampleItemBytes: number;
  /**
   * Log bytes ingested per job-cycle at the default log level: application lines, EMF documents,
   * the cycle record and the job's share of the Lambda platform lines, each with CloudWatch's
   * 26-byte per-event overhead.
   */
  readonly logBytes: number;
  /** Distinct custom metrics (name × dimension values) the job adds; 0 with fleet-only metrics. */
  readonly customMetrics: number;
}

/** The replay history's retention the cost benchmark measures at (`job.autoscaler.history.retention`'s default). */
export const MEASURED_HISTORY_RETENTION_MS = defaultOptions().historyRetentionMs;
/** The metric window the cost benchmark measures at (`job.autoscaler.metrics.window`'s default). */
export const MEASURED_WINDOW_MS = defaultOptions().metricsWindowMs;
const MINUTE_MS = 60_000;
/**
 * How long past the metric window a sample is kept when the history retention is shorter: the
 * stores' `sampleTtlGraceMs` (lib/adapters/state/save-window.ts; this module stays free of
 * adapters, and test/unit/report/cost-model.test.ts checks that the two agree).
 */
export const SAMPLE_TTL_GRACE_MS = 60 * MINUTE_MS;
/**
 * How long after its TTL a sample may still be stored: DynamoDB deletes expired items "typically
 * within a few days" (DynamoDB Developer Guide, "Using time to live"); two days are counted.
 */
const TTL_DELETION_LAG_MS = 2 * 24 * 3600 * 1000;

/**
 * Sample items one job keeps stored: one per cycle for max(window + grace, history retention)
 * (the sample TTL, lib/adapters/dynamodb/history-items.ts), plus {@link TTL_DELETION_LAG_MS} until
 * DynamoDB removes them. Pure.
 */
export function retainedSamplesPerJob(historyRetentionMs: number, cadenceMs: number, windowMs = MEASURED_WINDOW_MS): number {
  const keptMs = Math.max(windowMs + SAMPLE_TTL_GRACE_MS, historyRetentionMs) + TTL_DELETION_LAG_MS;
  return keptMs / cadenceMs;
}

/**
 * Bytes one job keeps stored at `historyRetentionMs` and `cadenceMs`: the measured bytes with the
 * samples' part re-counted for that retention and cadence. Pure.
 */
export function storedBytesPerJob(usage: CycleUsage, historyRetentionMs: number, cadenceMs: number): number {
  const measuredSamples = retainedSamplesPerJob(MEASURED_HISTORY_RETENTION_MS, MINUTE_MS);
  const samples = retainedSamplesPerJob(historyRetentionMs, cadenceMs);
  return Math.max(0, usage.dynamoStoredBytes + usage.dynamoSampleItemBytes * (samples - measuredSamples));
}

/** What the fleet uses regardless of its number of jobs. */
export interface FleetUsage {
  /** Billed dispatcher milliseconds per tick (measured at the benchmark's fleet size). */
  readonly dispatcherBilledMsPerTick: number;
  /** Dispatcher log bytes per tick (with per-event overhead and platform lines). */
  readonly dispatcherLogBytesPerTick: number;
  /** Fleet-level custom metrics (the `Service` dimension sets the workers and dispatcher write). */
  readonly fleetCustomMetrics: number;
  /** CloudWatch alarms the stack creates. */
  readonly alarms: number;
  /** CloudWatch dashboards the stack creates. */
  readonly dashboards: number;
  /** SQS requests per month the Lambda event source's pollers make on an idle queue. */
  readonly idleSqsRequestsPerMonth: number;
}

/** Measured usage: per job size with fleet-only metrics (default) and with detailed metrics. */
export interface MeasuredUsage {
  /** ISO date of the measurement. */
  readonly measuredOn: string;
  readonly workerMemoryMb: number;
  readonly dispatcherMemoryMb: number;
  /** Messages per worker invocation when measured (the SQS event source's batch size). */
  readonly workerBatchSize: number;
  /** Ascending by vertices. */
  readonly defaults: readonly CycleUsage[];
  /** Same sizes with the detailed-metrics annotation on the job. */
  readonly detailed: readonly CycleUsage[];
  readonly fleet: FleetUsage;
}

/** DynamoDB capacity mode. */
export type DynamoBilling = 'on-demand' | 'provisioned';

/** The fleet to price. */
export interface FleetSpec {
  readonly jobs: number;
  readonly vertices: number;
  /** Interval between two cycles of a job. */
  readonly cadenceMs: number;
  /** Jobs with per-job and per-vertex CloudWatch metrics (the detailed-metrics annotation). */
  readonly detailedJobs: number;
  readonly billing: DynamoBilling;
  /** Retention of the functions' log groups. @default 30 (the stack's default) */
  readonly logRetentionDays?: number;
  /** Target utilization of provisioned capacity (auto scaling target). @default 0.7 */
  readonly provisionedTargetUtilization?: number;
  /**
   * `job.autoscaler.history.retention` of the jobs: how long their samples are kept for the
   * what-if replay (0 = the metric window only). @default 7 days (the option's default)
   */
  readonly historyRetentionMs?: number;
}

/** One priced line: a quantity of a billed unit. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly usdPerMonth: number;
}

/** The lines of one AWS service. */
export interface ServiceCost {
  readonly service: ServiceName;
  readonly lines: readonly CostLine[];
  readonly usdPerMonth: number;
}

/** The services the model prices, in table order. */
export const SERVICES = [
  'Lambda',
  'SQS',
  'DynamoDB',
  'CloudWatch metrics',
  'CloudWatch Logs',
  'EventBridge Scheduler',
  'CloudWatch dashboards and alarms',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The estimate of {@link estimateFleetCost}. */
export interface FleetCostEstimate {
  readonly fleet: Required<FleetSpec>;
  /** The usage per job-cycle the estimate used (interpolated between measured sizes). */
  readonly usage: CycleUsage;
  readonly cyclesPerJobMonth: number;
  /** Cost of one job (without detailed metrics unless every job has them), per service. */
  readonly perJob: readonly ServiceCost[];
  readonly perJobUsdPerMonth: number;
  /** Cost that does not grow with jobs: dispatcher, schedule, fleet metrics, dashboard, alarms. */
  readonly fleetFixed: readonly ServiceCost[];
  readonly fleetFixedUsdPerMonth: number;
  /** Extra cost of one job with detailed metrics over a default one. */
  readonly detailedExtraUsdPerJobMonth: number;
  /** jobs × per job + detailed extras + fleet fixed. */
  readonly totalUsdPerMonth: number;
}

/** A month in the model: 30 days (the unit of every monthly price). */
export const MS_PER_MONTH = 30 * 24 * 3600 * 1000;
const HOURS_PER_MONTH = 30 * 24;
const GB = 1024 ** 3;
/**
 * The state table's provisioned capacity as the stack deploys it by default (cdk/lib/table-billing-context.ts
 * reads these, so the model prices what is deployed): auto scaling between 1 and 500 units of each
 * kind at 70 % target utilization (Application Auto Scaling's default for DynamoDB).
 */
export const PROVISIONED_TABLE_DEFAULTS = {
  minUnits: 1,
  maxUnits: 500,
  targetUtilization: 0.7,
} as const;
const DEFAULT_TARGET_UTILIZATION = PROVISIONED_TABLE_DEFAULTS.targetUtilization;
/** The table never goes below this many RCU and WCU. */
const MIN_PROVISIONED_UNITS = PROVISIONED_TABLE_DEFAULTS.minUnits;

/** Checks a fleet spec; throws naming the field and what is allowed. */
export function validateFleetSpec(spec: FleetSpec): void {
  const positiveInteger = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min)
      throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${value}`);
  };
  positiveInteger('jobs', spec.jobs, 0);
  positiveInteger('vertices', spec.vertices, 1);
  positiveInteger('detailedJobs', spec.detailedJobs, 0);
  if (spec.detailedJobs > spec.jobs)
    throw new RangeError(`detailedJobs (${spec.detailedJobs}) cannot exceed jobs (${spec.jobs})`);
  if (!Number.isFinite(spec.cadenceMs) || spec.cadenceMs < 1000)
    throw new RangeError(`cadence must be at least 1 s, got ${spec.cadenceMs} ms`);
  if (spec.billing !== 'on-demand' && spec.billing !== 'provisioned')
    throw new RangeError(`billing must be 'on-demand' or 'provisioned', got '${String(spec.billing)}'`);
  const u = spec.provisionedTargetUtilization;
  if (u !== undefined && !(u > 0 && u <= 1))
    throw new RangeError(`provisionedTargetUtilization must be in (0, 1], got ${u}`);
  if (spec.logRetentionDays !== undefined && !(spec.logRetentionDays >= 1))
    throw new RangeError(`logRetentionDays must be at least 1, got ${spec.logRetentionDays}`);
  if (spec.historyRetentionMs !== undefined && !(Number.isFinite(spec.historyRetentionMs) && spec.historyRetentionMs >= 0))
    throw new RangeError(`historyRetentionMs must be 0 (window only) or a positive duration, got ${spec.historyRetentionMs}`);
}

/**
 * Usage at `vertices`: linear between the two measured sizes around it, extended linearly past
 * the ends (every per-cycle quantity grows with the vertices the job has: item sizes, metric
 * documents, CPU time). Quantities never go below 0.
 */
export function usageAt(measured: readonly CycleUsage[], vertices: number): CycleUsage {
  if (measured.length === 0) throw new RangeError('no measured cycle usage');
  const sorted = [...measured].sort((a, b) => a.vertices - b.vertices);
  const exact = sorted.find((u) => u.vertices === vertices);
  if (exact || sorted.length === 1) return { ...(exact ?? sorted[0]!), vertices };
  let upper = sorted.findIndex((u) => u.vertices > vertices);
  if (upper <= 0) upper = upper === 0 ? 1 : sorted.length - 1;
  const a = sorted[upper - 1]!;
  const b = sorted[upper]!;
  const t = (vertices - a.vertices) / (b.vertices - a.vertices);
  const lerp = (key: Exclude<keyof CycleUsage, 'vertices'>) => Math.max(0, a[key] + t * (b[key] - a[key]));
  return {
    vertices,
    workerInvocations: lerp('workerInvocations'),
    workerBilledMs: lerp('workerBilledMs'),
    sqsRequests: lerp('sqsRequests'),
    dynamoRequests: lerp('dynamoRequests'),
    dynamoReadUnits: lerp('dynamoReadUnits'),
    dynamoWriteUnits: lerp('dynamoWriteUnits'),
    dynamoStoredBytes: lerp('dynamoStoredBytes'),
    dynamoSampleItemBytes: lerp('dynamoSampleItemBytes'),
    logBytes: lerp('logBytes'),
    customMetrics: Math.round(lerp('customMetrics')),
  };
}

function service(name: ServiceName, lines: CostLine[]): ServiceCost {
  return { service: name, lines, usdPerMonth: lines.reduce((sum, l) => sum + l.usdPerMonth, 0) };
}

function sum(costs: readonly ServiceCost[]): number {
  return costs.reduce((total, c) => total + c.usdPerMonth, 0);
}

/** What one job costs a month, per service, at `usage` per cycle. */
export function jobMonthCost(
  usage: CycleUsage,
  cyclesPerMonth: number,
  fleet: Required<FleetSpec>,
  measured: Pick<MeasuredUsage, 'workerMemoryMb'>,
  prices: CloudPrices,
): ServiceCost[] {
  const n = cyclesPerMonth;
  const gbSeconds = ((usage.workerBilledMs / 1000) * measured.workerMemoryMb * n) / 1024;
  const logGb = (usage.logBytes * n) / GB;
  const dynamo: CostLine[] = [];
  if (fleet.billing === 'on-demand') {
    dynamo.push(
      line('read request units', usage.dynamoReadUnits * n, 'RRU', prices.dynamodb.usdPerMillionReadUnits / 1e6),
      line('write request units', usage.dynamoWriteUnits * n, 'WRU', prices.dynamodb.usdPerMillionWriteUnits / 1e6),
    );
  } else {
    const perSecond = (units: number) => (units * n) / (MS_PER_MONTH / 1000) / fleet.provisionedTargetUtilization;
    dynamo.push(
      line('provisioned RCU (auto scaled)', perSecond(usage.dynamoReadUnits), 'RCU', prices.dynamodb.usdPerRcuHour * HOURS_PER_MONTH),
      line('provisioned WCU (auto scaled)', perSecond(usage.dynamoWriteUnits), 'WCU', prices.dynamodb.usdPerWcuHour * HOURS_PER_MONTH),
    );
  }
  const storedGb = storedBytesPerJob(usage, fleet.historyRetentionMs, fleet.cadenceMs) / GB;
  const historyDays = Number((fleet.historyRetentionMs / (24 * 3600 * 1000)).toFixed(2));
  const storageItem = fleet.historyRetentionMs > 0 ? `storage (replay history ${historyDays} d)` : 'storage (metric window only)';
  dynamo.push(line(storageItem, storedGb, 'GB-month', prices.dynamodb.usdPerGbMonthStorage));
  return [
    service('Lambda', [
      line('worker requests', usage.workerInvocations * n, 'requests', prices.lambda.usdPerMillionRequests / 1e6),
      line(`worker duration (${measured.workerMemoryMb} MB arm64)`, gbSeconds, 'GB-s', prices.lambda.usdPerGbSecondArm),
    ]),
    service('SQS', [line('FIFO queue requests', usage.sqsRequests * n, 'requests', prices.sqs.usdPerMillionFifo / 1e6)]),
    service('DynamoDB', dynamo),
    service('CloudWatch metrics', [line('custom metrics', usage.customMetrics, 'metrics', prices.cloudwatch.usdPerMetricMonth)]),
    service('CloudWatch Logs', [
      line('ingestion', logGb, 'GB', prices.cloudwatch.usdPerGbLogsIngested),
      line(`storage (${fleet.logRetentionDays}-day retention)`, logGb * (fleet.logRetentionDays / 30), 'GB-month', prices.cloudwatch.usdPerGbMonthLogsStored),
    ]),
    service('EventBridge Scheduler', []),
    service('CloudWatch dashboards and alarms', []),
  ];
}

/** What the fleet costs a month regardless of its jobs (plus DynamoDB's provisioned minimum). */
export function fleetFixedCost(
  fleetUsage: FleetUsage,
  fleet: Required<FleetSpec>,
  perJobProvisionedUnits: { readonly rcu: number; readonly wcu: number },
  measured: Pick<MeasuredUsage, 'dispatcherMemoryMb'>,
  prices: CloudPrices,
): ServiceCost[] {
  const ticks = MS_PER_MONTH / fleet.cadenceMs;
  const gbSeconds = ((fleetUsage.dispatcherBilledMsPerTick / 1000) * measured.dispatcherMemoryMb * ticks) / 1024;
  const logGb = (fleetUsage.dispatcherLogBytesPerTick * ticks) / GB;
  const billableTicks = Math.max(0, ticks - prices.scheduler.freeInvocationsPerMonth);
  const dynamo: CostLine[] = [];
  if (fleet.billing === 'provisioned') {
    // The table never goes below its minimum capacity: the part of it the jobs do not use.
    const shortfall = (perJob: number) => Math.max(0, MIN_PROVISIONED_UNITS - perJob * fleet.jobs);
    dynamo.push(
      line('provisioned RCU minimum not used by jobs', shortfall(perJobProvisionedUnits.rcu), 'RCU', prices.dynamodb.usdPerRcuHour * HOURS_PER_MONTH),
      line('provisioned WCU minimum not used by jobs', shortfall(perJobProvisionedUnits.wcu), 'WCU', prices.dynamodb.usdPerWcuHour * HOURS_PER_MONTH),
    );
  }
  return [
    service('Lambda', [
      line('dispatcher requests', ticks, 'requests', prices.lambda.usdPerMillionRequests / 1e6),
      line(`dispatcher duration (${measured.dispatcherMemoryMb} MB arm64)`, gbSeconds, 'GB-s', prices.lambda.usdPerGbSecondArm),
    ]),
    service('SQS', [line('idle polling of the FIFO queue by the event source', fleetUsage.idleSqsRequestsPerMonth, 'requests', prices.sqs.usdPerMillionFifo / 1e6)]),
    service('DynamoDB', dynamo),
    service('CloudWatch metrics', [line('fleet metrics (Service dimension)', fleetUsage.fleetCustomMetrics, 'metrics', prices.cloudwatch.usdPerMetricMonth)]),
    service('CloudWatch Logs', [
      line('dispatcher log ingestion', logGb, 'GB', prices.cloudwatch.usdPerGbLogsIngested),
      line('dispatcher log storage', logGb * (fleet.logRetentionDays / 30), 'GB-month', prices.cloudwatch.usdPerGbMonthLogsStored),
    ]),
    service('EventBridge Scheduler', [
      line(`schedule invocations (first ${prices.scheduler.freeInvocationsPerMonth / 1e6} M free)`, billableTicks, 'invocations', prices.scheduler.usdPerMillionInvocations / 1e6),
    ]),
    service('CloudWatch dashboards and alarms', [
      line('dashboards', fleetUsage.dashboards, 'dashboards', prices.cloudwatch.usdPerDashboardMonth),
      line('standard alarms', fleetUsage.alarms, 'alarms', prices.cloudwatch.usdPerStandardAlarmMonth),
    ]),
  ];
}

/**
 * Estimates the monthly cost of a fleet: every job at `vertices`, `detailedJobs` of them with
 * detailed metrics, plus the fleet's fixed cost. Throws a RangeError for an invalid spec.
 */
export function estimateFleetCost(spec: FleetSpec, measured: MeasuredUsage, prices: CloudPrices): FleetCostEstimate {
  validateFleetSpec(spec);
  const fleet: Required<FleetSpec> = {
    logRetentionDays: 30,
    provisionedTargetUtilization: DEFAULT_TARGET_UTILIZATION,
    historyRetentionMs: MEASURED_HISTORY_RETENTION_MS,
    ...spec,
  };
  const cyclesPerJobMonth = MS_PER_MONTH / fleet.cadenceMs;
  const usage = usageAt(measured.defaults, fleet.vertices);
  const perJob = jobMonthCost(usage, cyclesPerJobMonth, fleet, measured, prices);
  const perJobUsdPerMonth = sum(perJob);
  const detailedUsage = usageAt(measured.detailed, fleet.vertices);
  const detailedExtraUsdPerJobMonth =
    sum(jobMonthCost(detailedUsage, cyclesPerJobMonth, fleet, measured, prices)) - perJobUsdPerMonth;
  const unitsPerSecond = (units: number) => (units * cyclesPerJobMonth) / (MS_PER_MONTH / 1000);
  const fleetFixed = fleetFixedCost(
    measured.fleet,
    fleet,
    {
      rcu: unitsPerSecond(usage.dynamoReadUnits) / fleet.provisionedTargetUtilization,
      wcu: unitsPerSecond(usage.dynamoWriteUnits) / fleet.provisionedTargetUtilization,
    },
    measured,
    prices,
  );
  const fleetFixedUsdPerMonth = sum(fleetFixed);
  return {
    fleet,
    usage,
    cyclesPerJobMonth,
    perJob,
    perJobUsdPerMonth,
    fleetFixed,
    fleetFixedUsdPerMonth,
    detailedExtraUsdPerJobMonth,
    totalUsdPerMonth:
      fleet.jobs * perJobUsdPerMonth + fleet.detailedJobs * detailedExtraUsdPerJobMonth + fleetFixedUsdPerMonth,
  };
}

function line(item: string, quantity: number, unit: string, usdPerUnit: number): CostLine {
  return { item, quantity, unit, usdPerMonth: quantity * usdPerUnit };
}
