/**
 * `npm run bench -- --only=cost`: the all-in monthly cost per job, per AWS service, at 10, 100 and
 * 1,000 vertices, for on-demand and provisioned DynamoDB, from usage measured now
 * (./cost-measure.ts) and the published prices (lib/report/cloud-prices.ts), through the same model
 * `fsa cost` uses (lib/report/cost-model.ts).
 *
 * `--write-usage` also rewrites lib/report/measured-cycle-usage.ts, the constants `fsa cost` uses.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { US_EAST_1_PRICES } from '../lib/report/cloud-prices.ts';
import {
  type CycleUsage,
  type DynamoBilling,
  estimateFleetCost,
  type FleetUsage,
  type MeasuredUsage,
  SERVICES,
} from '../lib/report/cost-model.ts';
import { formatUsd } from '../lib/report/cost-table.ts';
import { type CycleMeasurement, measureCycleUsage } from './cost-measure.ts';
import { type DeployedShape, deployedShape } from './deployed-shape.ts';

/** Job sizes of the tables. */
export const COST_VERTEX_COUNTS = [10, 100, 1000] as const;

/**
 * SQS requests a Lambda event source makes on an empty queue: it long-polls with 5 pollers at
 * first (Lambda developer guide, "Using Lambda with Amazon SQS", scaling behaviour), each
 * ReceiveMessage waiting up to 20 s, so about 5 × 3 a minute.
 */
const IDLE_SQS_REQUESTS_PER_MONTH = 5 * 3 * 60 * 24 * 30;

/** Worker batch size of the batched variant (issue #16 item 4). */
const BATCHED_SIZE = 10;

/** Issue #16's goal: all-in cost per job and month at 10 vertices with default settings. */
export const GOAL_USD_PER_JOB_MONTH_AT_10_VERTICES = 0.05;

/** Everything the cost benchmark measured. */
export interface CostBenchResult {
  readonly shape: DeployedShape;
  readonly measured: MeasuredUsage;
  /** The same default jobs with the worker batch size set to 10 (issue #16 item 4), measured. */
  readonly batched?: MeasuredUsage;
  readonly details: ReadonlyArray<{ readonly label: string; readonly measurement: CycleMeasurement }>;
}

function fleetUsage(shape: DeployedShape, measurement: CycleMeasurement): FleetUsage {
  return {
    ...measurement.fleet,
    alarms: shape.alarms,
    dashboards: shape.dashboards,
    idleSqsRequestsPerMonth: IDLE_SQS_REQUESTS_PER_MONTH,
  };
}

async function measureSizes(
  shape: DeployedShape,
  vertexCounts: readonly number[],
  detailed: boolean,
  details: Array<{ label: string; measurement: CycleMeasurement }>,
): Promise<{ usages: CycleUsage[]; first: CycleMeasurement }> {
  const usages: CycleUsage[] = [];
  let first: CycleMeasurement | undefined;
  for (const vertices of vertexCounts) {
    const label = `${vertices} vertices, batch ${shape.workerBatchSize}${detailed ? ', detailed metrics' : ''}`;
    const started = performance.now();
    // One job per run is enough with batch size 1 (every invocation is alike); a batch needs a full one.
    const measurement = await measureCycleUsage({ vertices, detailed, shape, jobs: shape.workerBatchSize });
    console.error(`cost: measured ${label} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    first ??= measurement;
    usages.push(measurement.usage);
    details.push({ label, measurement });
  }
  return { usages, first: first! };
}

/**
 * Measures the default jobs at every size, detailed-metrics jobs up to 100 vertices (1,000 is
 * extended linearly: on a shared 2-core VM one such run takes minutes, and the metric count and
 * bytes grow linearly with vertices), and, while the stack does not batch, a batch of 10 jobs of
 * 10 vertices (issue #16 item 4's goal case).
 */
export async function measureCost(vertexCounts: readonly number[] = COST_VERTEX_COUNTS): Promise<CostBenchResult> {
  const shape = deployedShape();
  const details: Array<{ label: string; measurement: CycleMeasurement }> = [];
  const defaults = await measureSizes(shape, vertexCounts, false, details);
  const detailed = await measureSizes(shape, vertexCounts.filter((v) => v <= 100), true, details);
  const usage = (s: DeployedShape, d: CycleUsage[], f: CycleMeasurement): MeasuredUsage => ({
    measuredOn: new Date().toISOString().slice(0, 10),
    workerMemoryMb: s.workerMemoryMb,
    dispatcherMemoryMb: s.dispatcherMemoryMb,
    workerBatchSize: s.workerBatchSize,
    defaults: d,
    detailed: detailed.usages,
    fleet: fleetUsage(s, f),
  });
  const measured = usage(shape, defaults.usages, defaults.first);
  let batched: MeasuredUsage | undefined;
  if (shape.workerBatchSize < BATCHED_SIZE) {
    const batchedShape = { ...shape, workerBatchSize: BATCHED_SIZE };
    const b = await measureSizes(batchedShape, [vertexCounts[0]!], false, details);
    batched = usage(batchedShape, b.usages, b.first);
  }
  return { shape, measured, ...(batched ? { batched } : {}), details };
}

const number = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

const counts = (byKey: Readonly<Record<string, number>>) =>
  Object.entries(byKey)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** The usage table: what one job-cycle does, as measured. */
export function formatUsageTable(result: CostBenchResult): string {
  const rows = [
    '| job-cycle at | worker invocations | billed worker ms | SQS requests | DynamoDB requests | RRU | WRU | stored KB | log bytes (app / metrics / all) | custom metrics per job | decisions | realize |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const { label, measurement: m } of result.details) {
    const u = m.usage;
    rows.push(
      `| ${label} | ${number(u.workerInvocations)} | ${number(u.workerBilledMs, 0)} | ${number(u.sqsRequests)} | ${number(u.dynamoRequests)} | ${number(u.dynamoReadUnits)} | ${number(u.dynamoWriteUnits)} | ${number(u.dynamoStoredBytes / 1024, 1)} | ${number(m.applicationLogBytes, 0)} / ${number(m.metricLogBytes, 0)} / ${number(u.logBytes, 0)} | ${number(u.customMetrics, 0)} | ${counts(m.actions)} | ${counts(m.realized)} |`,
    );
  }
  return rows.join('\n');
}

/** Per-service cost per job and month at each size, plus the all-in figure, for one billing mode. */
export function formatServiceTable(
  measured: MeasuredUsage,
  billing: DynamoBilling,
  vertexCounts: readonly number[] = COST_VERTEX_COUNTS,
): string {
  const estimates = vertexCounts.map((vertices) =>
    estimateFleetCost({ jobs: 100, vertices, cadenceMs: 60_000, detailedJobs: 0, billing }, measured, US_EAST_1_PRICES),
  );
  const rows = [
    `| service (USD per job and month) | ${vertexCounts.map((v) => `${v} vertices`).join(' | ')} | share at ${vertexCounts[0]} |`,
    `| --- | ${vertexCounts.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const service of SERVICES) {
    const costs = estimates.map((e) => e.perJob.find((s) => s.service === service)?.usdPerMonth ?? 0);
    if (costs.every((c) => c === 0)) continue;
    const share = costs[0]! / estimates[0]!.perJobUsdPerMonth;
    rows.push(`| ${service} | ${costs.map((c) => formatUsd(c)).join(' | ')} | ${(share * 100).toFixed(0)} % |`);
  }
  rows.push(
    `| **all-in per job** | ${estimates.map((e) => `**${formatUsd(e.perJobUsdPerMonth)}**`).join(' | ')} | 100 % |`,
    `| detailed metrics, extra per job | ${estimates.map((e) => formatUsd(e.detailedExtraUsdPerJobMonth)).join(' | ')} | |`,
  );
  return rows.join('\n');
}

/** The fleet's fixed cost, per service. */
export function formatFleetTable(measured: MeasuredUsage, billing: DynamoBilling): string {
  const estimate = estimateFleetCost(
    { jobs: 100, vertices: COST_VERTEX_COUNTS[0], cadenceMs: 60_000, detailedJobs: 0, billing },
    measured,
    US_EAST_1_PRICES,
  );
  const rows = ['| fleet fixed (USD per month) | quantity | USD |', '| --- | ---: | ---: |'];
  for (const service of estimate.fleetFixed) {
    for (const line of service.lines) {
      if (line.quantity === 0) continue;
      rows.push(`| ${service.service}: ${line.item} | ${number(line.quantity, 4)} ${line.unit} | ${formatUsd(line.usdPerMonth)} |`);
    }
  }
  rows.push(`| **fleet fixed** | | **${formatUsd(estimate.fleetFixedUsdPerMonth)}** |`);
  return rows.join('\n');
}

/** The Markdown of the README section. */
export function formatCostSection(result: CostBenchResult): string {
  const p = US_EAST_1_PRICES;
  const deployed: DynamoBilling = result.shape.tableBillingMode === 'PAY_PER_REQUEST' ? 'on-demand' : 'provisioned';
  const other: DynamoBilling = deployed === 'provisioned' ? 'on-demand' : 'provisioned';
  const billingWords = (billing: DynamoBilling) =>
    billing === 'provisioned' ? 'provisioned DynamoDB (auto scaling at 70 % target utilization)' : 'on-demand DynamoDB';
  const parts = [
    `Measured per job-cycle (${result.shape.workerMemoryMb} MB arm64 worker, SQS batch size ${result.shape.workerBatchSize}, ${result.shape.tableBillingMode} table, ${result.shape.alarms} alarms, ${result.shape.dashboards} dashboard(s), read from the synthesized stack), steady jobs the autoscaler scaled earlier (their overrides in spec and state, checked by every cycle's realize step):`,
    '',
    formatUsageTable(result),
    '',
    `Per job and month at a 1-minute cadence, ${billingWords(deployed)}, as deployed by default:`,
    '',
    formatServiceTable(result.measured, deployed),
    '',
    `The same with ${billingWords(other)} (\`-c tableBilling=${other}\`):`,
    '',
    formatServiceTable(result.measured, other),
  ];
  if (result.batched) {
    parts.push(
      '',
      `Measured with the worker batch size set to 10 (issue #16 item 4; the handler already runs a batch of jobs concurrently), ${COST_VERTEX_COUNTS[0]} vertices, on-demand:`,
      '',
      formatServiceTable(result.batched, 'on-demand', [COST_VERTEX_COUNTS[0]]),
      '',
      '… and provisioned:',
      '',
      formatServiceTable(result.batched, 'provisioned', [COST_VERTEX_COUNTS[0]]),
    );
  }
  const goal = (m: MeasuredUsage, billing: DynamoBilling) =>
    estimateFleetCost(
      { jobs: 100, vertices: COST_VERTEX_COUNTS[0], cadenceMs: 60_000, detailedJobs: 0, billing },
      m,
      US_EAST_1_PRICES,
    ).perJobUsdPerMonth;
  const verdict = (usd: number) =>
    `${formatUsd(usd)} (${usd <= GOAL_USD_PER_JOB_MONTH_AT_10_VERTICES ? 'within' : 'above'} the $${GOAL_USD_PER_JOB_MONTH_AT_10_VERTICES} goal)`;
  parts.push(
    '',
    `Goal, all-in per ${COST_VERTEX_COUNTS[0]}-vertex job and month: as deployed (${deployed}) ${verdict(goal(result.measured, deployed))}; ` +
      `${other} ${verdict(goal(result.measured, other))}` +
      (result.batched
        ? `; with batches of 10 ${verdict(goal(result.batched, 'on-demand'))} on-demand, ${verdict(goal(result.batched, 'provisioned'))} provisioned.`
        : '.') +
      ' The "detailed metrics" row at 1,000 vertices is extended linearly from the 10- and 100-vertex measurements.',
    '',
    `Fleet fixed cost, whatever the number of jobs (${deployed}, as deployed; the provisioned table's 1-unit minimum is the part 100 jobs do not use):`,
    '',
    formatFleetTable(result.measured, deployed),
    '',
    `Prices: us-east-1, checked ${p.checkedOn} (lib/report/cloud-prices.ts names each page): Lambda arm64 $${p.lambda.usdPerGbSecondArm}/GB-s + $${p.lambda.usdPerMillionRequests}/M requests; ` +
      `SQS $${p.sqs.usdPerMillionStandard}/M (FIFO $${p.sqs.usdPerMillionFifo}/M); DynamoDB on-demand $${p.dynamodb.usdPerMillionWriteUnits}/M WRU, $${p.dynamodb.usdPerMillionReadUnits}/M RRU, ` +
      `provisioned $${p.dynamodb.usdPerWcuHour}/WCU-h, $${p.dynamodb.usdPerRcuHour}/RCU-h, storage $${p.dynamodb.usdPerGbMonthStorage}/GB-month; CloudWatch $${p.cloudwatch.usdPerMetricMonth}/metric-month, ` +
      `Logs $${p.cloudwatch.usdPerGbLogsIngested}/GB ingested + $${p.cloudwatch.usdPerGbMonthLogsStored}/GB-month stored, dashboards $${p.cloudwatch.usdPerDashboardMonth}/month, alarms $${p.cloudwatch.usdPerStandardAlarmMonth}/month; ` +
      `EventBridge Scheduler $${p.scheduler.usdPerMillionInvocations}/M after ${p.scheduler.freeInvocationsPerMonth / 1e6} M free. Free tiers are not subtracted. ` +
      'Billed Lambda time is modeled at the deployed memory from the local wall and handler CPU time of each invocation against in-process simulators (CPU in proportion to memory, one vCPU at 1,769 MB; see "Memory size of the functions"): an estimate, a deployment\'s waits on the network are longer. ' +
      'Log bytes include the 26-byte per-event overhead and Lambda’s START/END/REPORT lines.',
  );
  return parts.join('\n');
}

/** Rewrites lib/report/measured-cycle-usage.ts with `measured` (what `fsa cost` uses). */
export function writeMeasuredUsage(measured: MeasuredUsage, batched: MeasuredUsage | undefined): string {
  const path = join(import.meta.dirname, '..', 'lib', 'report', 'measured-cycle-usage.ts');
  const text = [
    '/**',
    ' * Usage per job-cycle measured by the cost benchmark, the input of `fsa cost`. GENERATED: refresh',
    ' * with `npm run bench -- --only=cost --write-usage` after a change to what a cycle does (requests,',
    ' * item sizes, log lines, metrics) or to the deployed stack (memory, batch size, alarms).',
    ' */',
    "import type { MeasuredUsage } from './cost-model.ts';",
    '',
    '/** As deployed by the CDK stack today. */',
    `export const MEASURED_USAGE: MeasuredUsage = ${JSON.stringify(round(measured), null, 2)};`,
    '',
    '/** The same with the worker batch size at 10 (undefined once the stack batches). */',
    `export const MEASURED_USAGE_BATCHED: MeasuredUsage | undefined = ${batched ? JSON.stringify(round(batched), null, 2) : 'undefined'};`,
    '',
  ].join('\n');
  writeFileSync(path, text);
  return path;
}

function round(measured: MeasuredUsage): MeasuredUsage {
  return JSON.parse(
    JSON.stringify(measured, (_key, value) => (typeof value === 'number' ? Number(value.toPrecision(5)) : value)),
  ) as MeasuredUsage;
}

/** The benchmark section (`npm run bench -- --only=cost`). */
export async function benchCost(): Promise<{ title: string; markdown: string }> {
  const result = await measureCost();
  if (process.argv.includes('--write-usage')) {
    console.log(`wrote ${writeMeasuredUsage(result.measured, result.batched)}`);
  }
  return { title: 'Cost per job and month, all-in (AWS us-east-1)', markdown: formatCostSection(result) };
}
