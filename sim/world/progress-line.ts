/**
 * Terminal progress of a local-world run: one line per simulated quarter hour and per decision,
 * so a log stays readable when stdout is not a terminal. Pure formatting.
 */

import { priceWords } from '../../lib/report/job-status.ts';
import { formatSimTime } from './report-html.ts';
import { compactNumber } from './svg-line-chart.ts';
import type { DecisionLogEntry, TickRecord } from './world-timeline.ts';

/** Simulated time between two periodic progress lines. */
export const PROGRESS_INTERVAL_MS = 15 * 60_000;

/** Whether a tick gets a line: every quarter hour, and whenever something was decided. */
export function wantsProgressLine(
  tick: TickRecord,
  decisions: readonly DecisionLogEntry[],
  tickMs: number,
): boolean {
  return (
    decisions.length > 0 ||
    Math.floor(tick.tMs / PROGRESS_INTERVAL_MS) !== Math.floor((tick.tMs - tickMs) / PROGRESS_INTERVAL_MS)
  );
}

/**
 * `[01:15] load 8k rec/s  lag 24 s  p orders=2 parse=3 window=8 sink=1  oracle 1/3/8/1  baseline 8`
 * followed by one indented line per decision with its vertex changes and, for the autoscaler's,
 * its price (`[+1 TM +$0.0987/h, +$72.08/month]`).
 */
export function formatProgress(tick: TickRecord, decisions: readonly DecisionLogEntry[]): string[] {
  const points = Object.entries(tick.vertices);
  const parallelism = points.map(([key, p]) => `${key}=${p.parallelism}`).join(' ');
  const oracle = points.map(([, p]) => p.oracle).join('/');
  const baseline = Math.max(...points.map(([, p]) => p.baselineParallelism));
  const state = tick.outcome === 'decided' ? (tick.action ?? '') : tick.outcome;
  const lines = [
    `[${formatSimTime(tick.tMs)}] load ${compactNumber(Math.round(tick.inputRate)).padStart(5)} rec/s  lag ${String(Math.round(tick.lagSeconds)).padStart(4)} s  p ${parallelism}  oracle ${oracle}  baseline ${baseline}  (${state})`,
  ];
  for (const decision of decisions) {
    const changes = decision.changes.map((c) => `${c.vertex} ${c.from}→${c.to}`).join(', ');
    lines.push(
      `        ${decision.actor} ${decision.action}${changes ? `: ${changes}` : ''}${decision.price ? `  [${priceWords(decision.price)}]` : ''}${decision.actor === 'baseline' ? ` (${decision.summary})` : ''}`,
    );
  }
  return lines;
}
