import type { Command } from 'commander';
import { costVsSpecWords, type JobStatus, jobStatusOf } from '../../lib/report/job-status.ts';
import type { JobKey } from '../../lib/domain/index.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';
import { textTable } from '../format/text-table.ts';
import { addTableOptions, type CliOutput, openTableStore, type TableCliOptions, toCliJson } from './state.ts';

const stdout: CliOutput = { write: (text) => process.stdout.write(text) };

/** Parses the optional `<namespace>/<name>` filter; throws naming the argument. */
export function parseStatusFilter(text: string | undefined): { namespace: string; name: string } | undefined {
  if (text === undefined) return undefined;
  const parts = text.split('/');
  if (parts.length !== 2 || parts.some((p) => !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p))) {
    throw new Error(`resource "${text}" is not <namespace>/<name>, e.g. flink-jobs/orders-enrichment`);
  }
  return { namespace: parts[0] as string, name: parts[1] as string };
}

/** The status of every job with stored state (optionally one namespace/name), sorted by job. */
export async function collectStatus(
  store: Pick<StateStore, 'listJobKeys' | 'load'>,
  filter: { namespace: string; name: string } | undefined,
  nowMs: number,
): Promise<JobStatus[]> {
  const keys = (await store.listJobKeys()).filter(
    (key: JobKey) => !filter || (key.namespace === filter.namespace && key.name === filter.name),
  );
  const statuses = await Promise.all(
    keys.map(async (key) => {
      // One query per job: the state and the last run (the window from now on is empty).
      const loaded = await store.load(key, { sinceMs: nowMs });
      return jobStatusOf(key, loaded.state, loaded.lastRun);
    }),
  );
  return statuses.sort((a, b) => a.job.localeCompare(b.job));
}

/** The status table; an age such as `2m ago` next to each time keeps it readable. */
export function formatStatus(statuses: readonly JobStatus[], nowMs: number): string {
  if (statuses.length === 0) return 'no managed jobs with stored state\n';
  const ago = (ms: number | undefined) =>
    ms === undefined ? '–' : `${new Date(ms).toISOString()} (${age(nowMs - ms)})`;
  const rows = statuses.map((s) => [
    s.job,
    s.mode,
    ago(s.lastEvaluationMs),
    s.lastDecision ?? '–',
    Object.values(s.pendingScaleDown)
      .map((p) => `${p.label}→${p.parallelism} since ${age(nowMs - p.sinceMs)}`)
      .join('; ') || '–',
    s.costVsSpec ? costVsSpecWords(s.costVsSpec) : '–',
    s.health,
    s.rollback ?? '–',
  ]);
  const header = ['JOB', 'MODE', 'LAST EVALUATION', 'LAST DECISION', 'PENDING SCALE-DOWN', 'COST VS SPEC', 'HEALTH', 'ROLLBACK'];
  return `${textTable(header, rows)}\n`;
}

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s ago`;
  if (s < 7200) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}

/**
 * `fsa status [<namespace>/<name>]`: per managed job, mode, last evaluation and decision (with its
 * price), pending scale-downs, what the autoscaler saved against the spec, health.
 */
export function registerStatusCommand(
  program: Command,
  output: CliOutput = stdout,
  nowMs: () => number = Date.now,
): void {
  addTableOptions(
    program
      .command('status')
      .description(
        'Show every managed job: mode, last evaluation and decision with its price, pending scale-down, cost saved or added against the spec, health of the last run, rollbacks (watched change, last rollback, cool-down)',
      )
      .argument('[resource]', 'only this <namespace>/<name>'),
  )
    .option('--json', 'print the status as JSON')
    .action(async (resource: string | undefined, opts: TableCliOptions & { json?: boolean }) => {
      const now = nowMs();
      const statuses = await collectStatus(openTableStore(opts), parseStatusFilter(resource), now);
      output.write(opts.json ? `${toCliJson(statuses)}\n` : formatStatus(statuses, now));
    });
}
