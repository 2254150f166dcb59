import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { RecordedCapturesSource } from '../../lib/adapters/flink-rest/recorded-captures.ts';
import { InvalidOptionError } from '../../lib/config/index.ts';
import {
  parseOverrides,
  ReplayOverrideError,
  replayJob,
  type ReplayResult,
  resolveReplayOptions,
} from '../../lib/replay/index.ts';
import { toJsonText } from '../format/json-text.ts';
import { replayHtml } from '../format/replay-html.ts';
import { replayText } from '../format/replay-text.ts';

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

/** Options resolved with the overrides; a bad value names the key and what it allows. */
function replayOptions(configuration: Readonly<Record<string, string>>, overrides: Record<string, string>) {
  try {
    return resolveReplayOptions(configuration, overrides);
  } catch (error) {
    if (error instanceof InvalidOptionError && error.key in overrides) {
      throw new Error(`--set ${error.key}=${overrides[error.key]}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

interface ReplayCommandOptions {
  captures: string;
  from?: number;
  to?: number;
  set: string[];
  json?: boolean;
  html?: string;
}

/** Reads the captures, replays them and returns the result with the read's warnings. */
export async function runReplay(
  opts: Omit<ReplayCommandOptions, 'json' | 'html'>,
): Promise<{ result: ReplayResult; warnings: string[] }> {
  if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to) {
    throw new Error(`--from ${new Date(opts.from).toISOString()} is after --to ${new Date(opts.to).toISOString()}`);
  }
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

/**
 * `fsa replay`: what the decision core would have recommended on past observations of a job,
 * under its own or changed settings (README "What-if replay (fsa replay)").
 */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'What-if replay: run the decision core (decide()) over a series of fsa record captures and compare its recommendations with the parallelism that really ran',
    )
    .requiredOption(
      '--captures <dir>',
      'directory of fsa record captures taken over time (one sub-directory per capture, each with index.json)',
    )
    .option('--from <iso>', 'report only steps at or after this instant (ISO-8601); earlier captures only fill the metric window and state', parseInstant)
    .option('--to <iso>', 'replay only captures taken at or before this instant (ISO-8601)', parseInstant)
    .option(
      '--set <key=value>',
      'override an autoscaler option for the replay, repeatable (e.g. job.autoscaler.utilization.target=0.5)',
      collectOverride,
      [],
    )
    .option('--json', 'print the full result (steps, epochs, totals) as JSON')
    .option('--html <file>', 'also write an HTML report with charts of real and replayed parallelism')
    .action(async (opts: ReplayCommandOptions) => {
      const { result, warnings } = await runReplay(opts);
      if (opts.html) {
        await writeFile(resolve(opts.html), replayHtml(result, warnings, new Date().toISOString()));
      }
      console.log(opts.json ? toJsonText({ ...result, warnings }) : replayText(result, warnings));
      if (opts.html && !opts.json) console.log(`HTML report: ${resolve(opts.html)}`);
    });
}
