import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { RecordedCapturesSource } from '../../lib/adapters/flink-rest/recorded-captures.ts';
import { storedState } from '../../lib/adapters/memory/stored-forms.ts';
import { InvalidOptionError } from '../../lib/config/index.ts';
import type { JobKey } from '../../lib/domain/index.ts';
import type { StateStore, StoredHistory } from '../../lib/ports/state-store.ts';
import {
  historyOptionsResolver,
  parseOverrides,
  ReplayOverrideError,
  replayHistory,
  replayJob,
  type ReplayResult,
  resolveReplayOptions,
} from '../../lib/replay/index.ts';
import { toJsonText } from '../format/json-text.ts';
import { replayHtml } from '../format/replay-html.ts';
import { replayText } from '../format/replay-text.ts';
import { openTableStore, parseJobArgument, type TableCliOptions } from './state.ts';

/** `--from` / `--to`: an ISO-8601 instant. */
export function parseInstant(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError(`'${value}' is not an ISO-8601 instant (e.g. 2026-12-01T08:00:00Z).`);
  }
  return ms;
}

/** `--set key=value`, repeatable: the key is checked here, the value when options are resolved. */
function collectOverride(value: string, previous: readonly string[]): string[] {
  try {
    parseOverrides([value]);
  } catch (error) {
    if (error instanceof ReplayOverrideError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  return [...previous, value];
}

/** Runs `resolve`; a bad override value names the `--set` argument, the key and what it allows. */
function withOverrideErrors<T>(overrides: Record<string, string>, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (error instanceof InvalidOptionError && error.key in overrides) {
      throw new Error(`--set ${error.key}=${overrides[error.key]}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** Options resolved with the overrides; a bad value names the key and what it allows. */
function replayOptions(configuration: Readonly<Record<string, string>>, overrides: Record<string, string>) {
  return withOverrideErrors(overrides, () => resolveReplayOptions(configuration, overrides));
}

/** The range and overrides both sources take. */
interface ReplayRange {
  from?: number;
  to?: number;
  set: string[];
}

interface ReplayCommandOptions extends ReplayRange, Partial<TableCliOptions> {
  captures?: string;
  json?: boolean;
  html?: string;
}

function checkRange(opts: ReplayRange): void {
  if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to) {
    throw new Error(`--from ${new Date(opts.from).toISOString()} is after --to ${new Date(opts.to).toISOString()}`);
  }
}

/**
 * Reads the job's retained history from the state table, replays it and returns the result with
 * what the read and the option resolution found. The whole retained history is read: cycles
 * before `--from` warm the replay up (window, scaling history), as the deployed autoscaler had them.
 */
export async function runTableReplay(
  store: Pick<StateStore, 'readHistory'>,
  jobKey: JobKey,
  opts: ReplayRange,
  nowMs: number = Date.now(),
): Promise<{ result: ReplayResult; warnings: string[] }> {
  checkRange(opts);
  const overrides = parseOverrides(opts.set);
  const history = await store.readHistory(jobKey, { fromMs: 0, toMs: opts.to ?? nowMs });
  const resolver = historyOptionsResolver(overrides);
  const result = withOverrideErrors(overrides, () =>
    replayHistory({
      entries: history.entries,
      optionsFor: resolver.optionsFor,
      storedState,
      ...(opts.from === undefined ? {} : { reportFromMs: opts.from }),
    }),
  );
  return { result, warnings: [...historyWarnings(history), ...resolver.warnings()] };
}

/** What the history read found that changes what the replay means, one sentence each. */
function historyWarnings(history: StoredHistory): string[] {
  const warnings = history.skipped.map((s) => `Skipped ${s.item}: ${s.reason}.`);
  if (history.windowOnlySamples > 0) {
    warnings.push(
      `${history.windowOnlySamples} sample(s) were kept for the metric window only (job.autoscaler.history.retention 0, or written before the history was kept) and are not replayed.`,
    );
  }
  if (history.entries.length === 0) {
    warnings.push(
      'No retained history for this job: the table keeps one when job.autoscaler.history.retention is above 0 (default 7 d).',
    );
  }
  return warnings;
}

/** Reads the captures, replays them and returns the result with the read's warnings. */
export async function runReplay(
  opts: ReplayRange & { captures: string },
): Promise<{ result: ReplayResult; warnings: string[] }> {
  checkRange(opts);
  const overrides = parseOverrides(opts.set);
  // The collector runs with the overrides too (stabilization interval, REST timeout, exclusions).
  const collection = replayOptions({}, overrides);
  const source = new RecordedCapturesSource({ dir: resolve(opts.captures), options: collection.options });
  // Captures before --from warm the replay up (window, state), as the deployed autoscaler had them.
  const history = await source.read(opts.to === undefined ? {} : { toMs: opts.to });
  // The job's configuration as last recorded, with the what-if overrides on top.
  const configuration = history.observations.at(-1)?.raw.flinkConfiguration ?? {};
  const { options, warnings } = replayOptions(configuration, overrides);
  const result = replayJob({
    options,
    observations: history.observations,
    ...(opts.from === undefined ? {} : { reportFromMs: opts.from }),
  });
  return { result, warnings: [...history.warnings, ...warnings] };
}

/** The source the options name: exactly one of `--captures` and `--table` (with a job). */
async function replayFromOptions(
  job: string | undefined,
  opts: ReplayCommandOptions,
): Promise<{ result: ReplayResult; warnings: string[] }> {
  if ((opts.captures === undefined) === (opts.table === undefined)) {
    throw new Error('Give exactly one source: --captures <dir> (fsa record captures) or --table <name> with a <job>.');
  }
  if (opts.captures !== undefined) {
    if (job !== undefined) throw new Error(`<job> (${job}) goes with --table; --captures replays the job the captures hold.`);
    return runReplay({ ...opts, captures: opts.captures });
  }
  if (job === undefined) {
    throw new Error('--table needs the <job> to replay, as <cluster>/<namespace>/<kind>/<name>.');
  }
  const table: TableCliOptions = {
    table: opts.table!,
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
  };
  return runTableReplay(openTableStore(table), parseJobArgument(job), opts);
}

/**
 * `fsa replay`: what the decision core would have recommended on past cycles of a job, under its
 * own or changed settings, from `fsa record` captures or from the state table's retained history
 * (README "What-if replay (fsa replay)").
 */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'What-if replay: run the decision core (decide()) over past cycles of a job — the state table\'s retained history (--table, side by side with the decisions really made) or fsa record captures (--captures) — under its own or changed settings',
    )
    .argument('[job]', 'with --table: the job as <cluster>/<namespace>/<kind>/<name>')
    .option('--table <name>', 'DynamoDB state table whose retained history to replay (job.autoscaler.history.retention)')
    .option('--region <region>', 'with --table: AWS region (default: AWS_REGION)')
    .option('--endpoint <url>', 'with --table: DynamoDB endpoint, e.g. http://127.0.0.1:8000 for a local table')
    .option(
      '--captures <dir>',
      'directory of fsa record captures taken over time (one sub-directory per capture, each with index.json)',
    )
    .option('--from <iso>', 'report only steps at or after this instant (ISO-8601); earlier cycles only fill the metric window and state', parseInstant)
    .option('--to <iso>', 'replay only cycles at or before this instant (ISO-8601)', parseInstant)
    .option(
      '--set <key=value>',
      'override an autoscaler option for the replay, repeatable (e.g. job.autoscaler.utilization.target=0.5)',
      collectOverride,
      [],
    )
    .option('--json', 'print the full result (steps, epochs, totals) as JSON')
    .option('--html <file>', 'also write an HTML report with the local world\'s charts (rates against capacity, lag, memory, real and replayed parallelism and utilization)')
    .action(async (job: string | undefined, opts: ReplayCommandOptions) => {
      const { result, warnings } = await replayFromOptions(job, opts);
      if (opts.html) {
        await writeFile(resolve(opts.html), replayHtml(result, warnings, new Date().toISOString()));
      }
      console.log(opts.json ? toJsonText({ ...result, warnings }) : replayText(result, warnings));
      if (opts.html && !opts.json) console.log(`HTML report: ${resolve(opts.html)}`);
    });
}
