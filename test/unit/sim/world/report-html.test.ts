import { describe, expect, it } from 'vitest';
import { formatProgress, wantsProgressLine } from '../../../../sim/world/progress-line.ts';
import {
  formatSimTime,
  jobCapacity,
  renderReportHtml,
  reportSummary,
} from '../../../../sim/world/report-html.ts';
import { runMetrics } from '../../../../sim/world/run-metrics.ts';
import { priceOfChange } from '../../../../lib/decide/price-decision.ts';
import { aRun, point, rescale, tick } from './world-run-builder.ts';

const run = aRun(
  [
    tick(1, { src: point(1, 1), work: point(2, 10) }, 120),
    tick(2, { src: point(1, 1), work: point(10, 10) }),
  ],
  [rescale(1, 'autoscaler', 'work', 2, 10)],
  { events: [{ tMs: 60_000, reason: 'ScalingReport', type: 'Normal', message: 'Scaling <work>' }] },
);

describe('the HTML report', () => {
  it('is one self-contained page: five inline SVG charts, no scripts, no external references', () => {
    const html = renderReportHtml(run, runMetrics(run), '2026-01-01T00:00:00Z');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(5);
    expect(html).not.toMatch(/<script|<link|src=|url\(|@import/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('carries the decision log with reasons and the events, escaped', () => {
    const html = renderReportHtml(run, runMetrics(run), 'now');
    expect(html).toContain('because &lt;work&gt; &amp; more');
    expect(html).toContain('Scaling &lt;work&gt;');
    expect(html).toContain('<td>00:01</td><td>autoscaler</td><td>scale</td>');
    expect(html).not.toContain('<work>');
  });

  it('summarizes the run as JSON-ready data', () => {
    const summary = reportSummary(run, runMetrics(run));
    expect(summary).toMatchObject({
      scenario: 'synthetic',
      cycles: 2,
      finalParallelism: {
        src: { autoscaler: 1, oracle: 1, baseline: 1 },
        work: { autoscaler: 10, oracle: 10, baseline: 10 },
      },
      eventCounts: { ScalingReport: 1 },
    });
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('computes the job capacity at the sources from the bottleneck vertex', () => {
    // work: capacity 2000 rec/s, required 7000 for an input of 1000 → 7 records per source record → 2000/7
    expect(jobCapacity(run.ticks[0]!, 'autoscaler')).toBeCloseTo(2000 / 7, 10);
  });

  it.each([
    { tMs: 0, text: '00:00' },
    { tMs: 75 * 60_000, text: '01:15' },
    { tMs: 6 * 3_600_000, text: '06:00' },
  ])('formats simulated time $tMs as $text', ({ tMs, text }) => {
    expect(formatSimTime(tMs)).toBe(text);
  });
});

describe('terminal progress', () => {
  it('prints a line per quarter hour and per decision', () => {
    const quiet = tick(14, { src: point(1, 1), work: point(2, 2) });
    const quarter = tick(15, { src: point(1, 1), work: point(2, 2) });
    expect(wantsProgressLine(quiet, [], 60_000)).toBe(false);
    expect(wantsProgressLine(quarter, [], 60_000)).toBe(true);
    expect(wantsProgressLine(quiet, [rescale(14, 'autoscaler', 'work', 2, 4)], 60_000)).toBe(true);
  });

  it('shows time, load, lag, parallelism, oracle and the decision without control characters', () => {
    const lines = formatProgress(tick(75, { src: point(1, 1), work: point(2, 10, 4) }, 24), [
      rescale(75, 'autoscaler', 'work', 2, 10),
    ]);
    expect(lines).toEqual([
      '[01:15] load  1000 rec/s  lag   24 s  p src=1 work=2  oracle 1/10  baseline 4  (balanced)',
      '        autoscaler scale: work 2→10',
    ]);
    expect(lines.join('')).not.toMatch(/\p{Cc}/u);
  });
});

describe('the HTML report: vertex names and the price of decisions', () => {
  const price = priceOfChange(1, 5, { cpu: 2, memoryBytes: 4 * 1024 ** 3 }, { vcpuHourUsd: 0.04048, memoryGbHourUsd: 0.004445 });
  const base = rescale(1, 'autoscaler', 'work', 2, 10);
  const priced = aRun(
    [tick(1, { src: point(1, 1), work: point(2, 10) }), tick(2, { src: point(1, 1), work: point(10, 10) })],
    [{ ...base, price, changes: base.changes.map((c) => ({ ...c, label: 'Map -> Enrich (bc764cd8)' })) }],
  );
  const ledger = {
    sinceMs: Date.UTC(2026, 0, 1),
    accruedToMs: Date.UTC(2026, 0, 1, 2),
    specTaskManagers: 1,
    currentTaskManagers: 5,
    taskManagerUsdPerHour: 0.09874,
    savedUsd: -0.5,
  };

  it('prints the price on the progress line of a priced decision', () => {
    expect(formatProgress(tick(1, { src: point(1, 1), work: point(2, 10) }), priced.decisions)[1]).toBe(
      '        autoscaler scale: work 2→10  [+4 TM +$0.3950/h, +$288.32/month]',
    );
  });

  it('labels vertices by name and short id and prices each decision', () => {
    const html = renderReportHtml(priced, runMetrics(priced), 'now');
    expect(html).toContain('<b>Map -&gt; Enrich (bc764cd8)</b> 2 → 10');
    expect(html).toContain('<td>+4 TM +$0.3950/h, +$288.32/month</td>');
    expect(html).toContain('No cycle was priced');
  });

  it('states what the autoscaler added or saved against the spec, and carries it in summary.json', () => {
    const run = { ...priced, costLedger: ledger };
    const html = renderReportHtml(run, runMetrics(run), 'now');
    expect(html).toContain(
      "added $0.5000 since 2026-01-01 00:00 UTC (5 TM vs 1 in the spec: +$0.3950/h) against running the job at its spec's parallelism.",
    );
    expect(html).toContain('Unit prices: $0.04048 per vCPU-hour and $0.004445 per GB-hour');
    expect(reportSummary(run, runMetrics(run))).toMatchObject({ costLedger: ledger });
  });
});
