import { type Command, InvalidArgumentError } from 'commander';
import { parseDurationMs } from '../../lib/config/value-parsers.ts';
import { US_EAST_1_PRICES } from '../../lib/report/cloud-prices.ts';
import {
  type DynamoBilling,
  estimateFleetCost,
  MEASURED_HISTORY_RETENTION_MS,
  type MeasuredUsage,
} from '../../lib/report/cost-model.ts';
import { formatEstimate } from '../../lib/report/cost-table.ts';
import { MEASURED_USAGE } from '../../lib/report/measured-cycle-usage.ts';
import { toJsonText } from '../format/json-text.ts';

interface CostOptions {
  readonly jobs: number;
  readonly vertices: number;
  readonly cadence: number;
  readonly detailedMetrics?: number | true;
  readonly billing: DynamoBilling;
  readonly logRetentionDays: number;
  readonly historyRetention: number;
  readonly json?: boolean;
}

function wholeNumber(name: string, min: number) {
  return (text: string): number => {
    const value = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || value < min) {
      throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}, got '${text}'.`);
    }
    return value;
  };
}

function cadence(text: string): number {
  const ms = parseDurationMs(text);
  if (!Number.isFinite(ms) || ms < 1000) {
    throw new InvalidArgumentError(`'${text}' is not a cadence of at least 1 s (e.g. 1min, 30s, 5 min).`);
  }
  return ms;
}

function historyRetention(text: string): number {
  let ms = Number.NaN;
  try {
    ms = parseDurationMs(text);
  } catch {
    // reported below, with what is allowed
  }
  if (!Number.isFinite(ms) || ms < 0) {
    throw new InvalidArgumentError(`'${text}' is not a retention: use a duration (e.g. 7d, 30 d, 12h) or 0 for the metric window only.`);
  }
  return ms;
}

function billing(text: string): DynamoBilling {
  if (text !== 'on-demand' && text !== 'provisioned') {
    throw new InvalidArgumentError(`'${text}' is not a billing mode: use on-demand or provisioned.`);
  }
  return text;
}

/**
 * `fsa cost`: what a fleet would cost a month on AWS, before `cdk deploy`. The usage per job-cycle
 * is what the cost benchmark measured (lib/report/measured-cycle-usage.ts, refreshed with
 * `npm run bench -- --only=cost --write-usage`), the prices are the published us-east-1 ones.
 */
export function registerCostCommand(program: Command, measured: MeasuredUsage = MEASURED_USAGE): void {
  program
    .command('cost')
    .description('Estimate the monthly AWS cost of a fleet (us-east-1 prices, measured usage per job-cycle)')
    .option('--jobs <n>', 'number of Flink jobs', wholeNumber('--jobs', 0), 10)
    .option('--vertices <n>', 'vertices per job', wholeNumber('--vertices', 1), 10)
    .option('--cadence <duration>', 'interval between two cycles of a job (the schedule rate)', cadence, 60_000)
    .option(
      '--detailed-metrics [jobs]',
      'jobs with per-job and per-vertex CloudWatch metrics (annotation flink-serverless-autoscaler/detailed-metrics); without a number: all',
      wholeNumber('--detailed-metrics', 0),
    )
    .option('--billing <mode>', 'DynamoDB capacity mode: provisioned (as deployed by default, auto scaled) or on-demand', billing, 'provisioned' as DynamoBilling)
    .option('--log-retention-days <days>', 'retention of the functions\' log groups', wholeNumber('--log-retention-days', 1), 30)
    .option(
      '--history-retention <duration>',
      'job.autoscaler.history.retention of the jobs: how long their samples are kept for fsa replay (0 = the metric window only)',
      historyRetention,
      MEASURED_HISTORY_RETENTION_MS,
    )
    .option('--json', 'print the estimate as JSON')
    .addHelpText(
      'after',
      `\nUsage per job-cycle measured on ${measured.measuredOn} (worker ${measured.workerMemoryMb} MB, batch size ${measured.workerBatchSize}); ` +
        `prices checked ${US_EAST_1_PRICES.checkedOn}. Free tiers are not subtracted.`,
    )
    .action((options: CostOptions) => {
      const detailedJobs = options.detailedMetrics === true ? options.jobs : (options.detailedMetrics ?? 0);
      if (detailedJobs > options.jobs) {
        throw new InvalidArgumentError(
          `--detailed-metrics ${detailedJobs} is more than --jobs ${options.jobs}: at most every job can have detailed metrics.`,
        );
      }
      const estimate = estimateFleetCost(
        {
          jobs: options.jobs,
          vertices: options.vertices,
          cadenceMs: options.cadence,
          detailedJobs,
          billing: options.billing,
          logRetentionDays: options.logRetentionDays,
          historyRetentionMs: options.historyRetention,
        },
        measured,
        US_EAST_1_PRICES,
      );
      console.log(
        options.json
          ? toJsonText({ ...estimate, prices: US_EAST_1_PRICES, measuredOn: measured.measuredOn })
          : formatEstimate(estimate),
      );
    });
}
