/**
 * Runs a scenario in the local world and writes `report.html` and `summary.json`: what
 * `fsa start` and `fsa simulate` do, without the command-line parsing.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicyHook } from '../../lib/ports/policy-hook.ts';
import type { TickTiming } from './tick-timing.ts';
import { startLocalWorld } from './local-world.ts';
import { formatProgress, wantsProgressLine } from './progress-line.ts';
import { renderReportHtml, reportSummary } from './report-html.ts';
import { type RunMetrics, runMetrics } from './run-metrics.ts';
import type { WorldScenario } from './world-scenario.ts';
import type { WorldRun } from './world-timeline.ts';

/** Options of {@link runWorldReport}. */
export interface RunWorldReportOptions {
  readonly scenario: WorldScenario;
  /** Directory for report.html and summary.json (created). */
  readonly outDir: string;
  /** Simulated duration; the scenario's own by default. */
  readonly durationMs?: number;
  readonly tickMs?: number;
  readonly store?: 'dynamodb' | 'memory';
  /** When cycles start (sim/world/tick-timing.ts). @default REALISTIC_TIMING */
  readonly timing?: TickTiming;
  /** A policy hook reviewing every change (e.g. `fsa simulate --policy-module`). */
  readonly policy?: PolicyHook;
  /** Receives progress lines (without newline). */
  readonly print: (line: string) => void;
  /**
   * A terminal: also keep a live status line (rewritten in place) between the logged lines.
   * Off for pipes and CI logs, which would otherwise fill with carriage returns.
   */
  readonly tty?: boolean;
  /** Writes raw text to the terminal (for the live status line). */
  readonly writeRaw?: (text: string) => void;
}

/** The run, its figures, and where the files went. */
export interface WorldReportResult {
  readonly run: WorldRun;
  readonly metrics: RunMetrics;
  readonly reportPath: string;
  readonly summaryPath: string;
}

export async function runWorldReport(options: RunWorldReportOptions): Promise<WorldReportResult> {
  const live = options.tty === true && options.writeRaw !== undefined;
  const clearLine = () => options.writeRaw?.('\r\x1b[2K');
  const world = await startLocalWorld({
    scenario: options.scenario,
    ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
    ...(options.store !== undefined ? { store: options.store } : {}),
    ...(options.timing !== undefined ? { timing: options.timing } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    onTick: (tick, decisions) => {
      const lines = formatProgress(tick, decisions);
      if (live) clearLine();
      if (wantsProgressLine(tick, decisions, options.tickMs ?? 60_000))
        for (const line of lines) options.print(line);
      else if (live) options.writeRaw?.(lines[0] ?? '');
    },
  });
  let run: WorldRun;
  try {
    run = await world.run(options.durationMs);
  } finally {
    if (live) clearLine();
    await world.close();
  }
  const metrics = runMetrics(run);
  await mkdir(options.outDir, { recursive: true });
  const reportPath = join(options.outDir, 'report.html');
  const summaryPath = join(options.outDir, 'summary.json');
  await writeFile(reportPath, renderReportHtml(run, metrics, new Date().toISOString()));
  await writeFile(summaryPath, `${JSON.stringify(reportSummary(run, metrics), null, 2)}\n`);
  return { run, metrics, reportPath, summaryPath };
}
