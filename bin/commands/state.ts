import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { DynamoDbStateStore } from '../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { parseDurationMs } from '../../lib/config/index.ts';
import { type JobKey, parseJobKey, type ResourceKind, shortVertexName } from '../../lib/domain/index.ts';
import type { LoadedJob } from '../../lib/ports/state-store.ts';
import { costVsSpecWords } from '../../lib/report/job-status.ts';
import { textTable } from '../format/text-table.ts';

/** Where the CLI finds the state table (`--endpoint`, `--region`, `--table`). */
export interface TableCliOptions {
  readonly table: string;
  readonly region?: string;
  readonly endpoint?: string;
}

/** Output of the state/events commands (stdout by default; tests pass a collector). */
export interface CliOutput {
  write(text: string): void;
}

const stdout: CliOutput = { write: (text) => process.stdout.write(text) };
const KINDS: Record<string, ResourceKind> = {
  flinkdeployment: 'FlinkDeployment',
  flinksessionjob: 'FlinkSessionJob',
};

/** Adds `--endpoint`, `--region` and `--table` to a command. */
export function addTableOptions(command: Command): Command {
  return command
    .requiredOption('--table <name>', 'DynamoDB table name', process.env['FSA_TABLE'])
    .option('--region <region>', 'AWS region (default: AWS_REGION)')
    .option('--endpoint <url>', 'DynamoDB endpoint, e.g. http://127.0.0.1:8000 for a local table');
}

/** Parses `<cluster>/<namespace>/<kind>/<name>` (kind case-insensitive). */
export function parseJobArgument(text: string): JobKey {
  const parts = text.split('/');
  const kind = KINDS[(parts[2] ?? '').toLowerCase()];
  if (parts.length !== 4 || parts.some((p) => p.length === 0) || !kind) {
    throw new Error(
      `job "${text}" is not <cluster>/<namespace>/<FlinkDeployment|FlinkSessionJob>/<name>, e.g. prod/flink/FlinkDeployment/orders`,
    );
  }
  // Same checks as queue messages: names and namespaces are validated before any key or URL.
  return parseJobKey({ cluster: parts[0], namespace: parts[1], kind, name: parts[3] }, 'job');
}

/**
 * A store on the table the options name. A loopback endpoint gets dummy credentials (dynalite
 * and DynamoDB Local accept any), anything else the SDK's default credential chain.
 */
export function openTableStore(options: TableCliOptions): DynamoDbStateStore {
  const region =
    options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const local =
    options.endpoint !== undefined &&
    /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(options.endpoint);
  const client = new DynamoDBClient({
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return new DynamoDbStateStore(DynamoDBDocumentClient.from(client), { tableName: options.table });
}

/** JSON text that keeps NaN and ±Infinity visible instead of printing null. */
export function toCliJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    2,
  );
}

const iso = (ms: number | undefined): string => (ms === undefined ? '-' : new Date(ms).toISOString());

/** Human-readable summary of a loaded job. */
export function formatLoadedJob(jobKey: JobKey, loaded: LoadedJob): string {
  const s = loaded.state;
  const rows: [string, string][] = [
    ['job', `${jobKey.cluster}/${jobKey.namespace}/${jobKey.kind}/${jobKey.name}`],
    ['revision', String(loaded.revision)],
    ['flink job id', s.jobId ?? '-'],
    ['topology hash', s.topologyHash ?? '-'],
    ['last evaluation', iso(s.lastEvaluationMs)],
    [
      'samples in window',
      `${loaded.samples.length}${loaded.skippedSamples ? ` (${loaded.skippedSamples} unreadable)` : ''}`,
    ],
    ['newest sample', iso(loaded.samples.at(-1)?.tsMs)],
    ['scaling records', String(s.scalingTracking.length)],
    ['delayed scale-downs', String(Object.keys(s.delayedScaleDown).length)],
    ['cost vs spec', s.costLedger ? costVsSpecWords(s.costLedger) : '-'],
  ];
  if (loaded.discarded) rows.push(['DISCARDED', `${loaded.discarded.code}: ${loaded.discarded.detail}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);

  const vertices = Object.keys({ ...s.parallelismOverrides, ...s.scalingHistory });
  if (vertices.length > 0) {
    lines.push(
      '',
      textTable(
        ['VERTEX', 'NAME', 'OVERRIDE', 'LAST SCALING'],
        vertices.map((id) => {
          const last = s.scalingHistory[id]?.at(-1);
          return [
            id,
            s.vertexNames?.[id] !== undefined ? shortVertexName(s.vertexNames[id]) : '-',
            String(s.parallelismOverrides[id] ?? '-'),
            last ? `${last.currentParallelism} -> ${last.newParallelism} at ${iso(last.tsMs)}` : '-',
          ];
        }),
      ),
    );
  }
  const overrides = Object.entries(s.configOverrides.overrides);
  if (overrides.length > 0 || s.configOverrides.removals.length > 0) {
    lines.push('', 'CONFIG OVERRIDES');
    for (const [k, v] of overrides) lines.push(`  ${k}: ${v}`);
    for (const k of s.configOverrides.removals) lines.push(`  (remove) ${k}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `fsa state <job>`: prints a job's stored state and metric window from the table. */
export function registerStateCommand(program: Command, output: CliOutput = stdout): void {
  addTableOptions(
    program
      .command('state')
      .description('Show the stored autoscaler state of a job (DynamoDB table)')
      .argument('<job>', 'job as <cluster>/<namespace>/<kind>/<name>'),
  )
    .option('--window <duration>', 'metric window whose samples are counted', '15 min')
    .option('--json', 'print state and samples as JSON')
    .action(async (job: string, opts: TableCliOptions & { window: string; json?: boolean }) => {
      const jobKey = parseJobArgument(job);
      const windowMs = parseDurationMs(opts.window);
      if (!(windowMs > 0)) throw new Error(`--window ${opts.window} is not a positive duration`);
      const loaded = await openTableStore(opts).load(jobKey, { sinceMs: Date.now() - windowMs });
      output.write(
        opts.json
          ? `${toCliJson({ jobKey, revision: loaded.revision, discarded: loaded.discarded, state: loaded.state, samples: loaded.samples })}\n`
          : formatLoadedJob(jobKey, loaded),
      );
    });
}
