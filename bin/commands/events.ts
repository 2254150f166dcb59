import type { Command } from 'commander';
import { parseDurationMs } from '../../lib/config/index.ts';
import type { StoredEvent } from '../../lib/ports/state-store.ts';
import {
  addTableOptions,
  type CliOutput,
  openTableStore,
  parseJobArgument,
  type TableCliOptions,
  toCliJson,
} from './state.ts';

const stdout: CliOutput = { write: (text) => process.stdout.write(text) };

/** Events as a table, newest first; multi-line messages show their first line. */
export function formatEvents(events: readonly StoredEvent[]): string {
  if (events.length === 0) return 'no events\n';
  const header = ['FIRST', 'LAST', 'COUNT', 'TYPE', 'REASON', 'MESSAGE'];
  const rows = events.map((e) => [
    new Date(e.firstTsMs).toISOString(),
    new Date(e.lastTsMs).toISOString(),
    String(e.count),
    e.type,
    e.reason,
    (e.message.split('\n')[0] ?? '').slice(0, 120),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `fsa events <job>`: prints a job's event log from the table, newest first. */
export function registerEventsCommand(program: Command, output: CliOutput = stdout): void {
  addTableOptions(
    program
      .command('events')
      .description('Show the autoscaler event log of a job (DynamoDB table), newest first')
      .argument('<job>', 'job as <cluster>/<namespace>/<kind>/<name>'),
  )
    .option('--since <duration>', 'only events first emitted within this long before now, e.g. 2h')
    .option('--limit <n>', 'at most this many events', '50')
    .option('--json', 'print the events as JSON')
    .action(
      async (job: string, opts: TableCliOptions & { since?: string; limit: string; json?: boolean }) => {
        const jobKey = parseJobArgument(job);
        const limit = Number(opts.limit);
        if (!Number.isSafeInteger(limit) || limit <= 0)
          throw new Error(`--limit ${opts.limit} is not a positive integer`);
        let sinceMs: number | undefined;
        if (opts.since !== undefined) {
          const ms = parseDurationMs(opts.since);
          if (!(ms > 0)) throw new Error(`--since ${opts.since} is not a positive duration`);
          sinceMs = Date.now() - ms;
        }
        const events = await openTableStore(opts).listEvents(jobKey, {
          limit,
          ...(sinceMs !== undefined ? { sinceMs } : {}),
        });
        output.write(opts.json ? `${toCliJson(events)}\n` : formatEvents(events));
      },
    );
}
