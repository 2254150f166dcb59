/**
 * A self-contained HTML report of a what-if replay (`fsa replay --html`): per vertex the real and
 * the replayed parallelism and the predicted utilization, drawn with the local world's chart
 * renderer (sim/world/svg-line-chart.ts), the totals and the step table.
 */
import { vertexLabel } from '../../lib/domain/index.ts';
import type { ReplayResult } from '../../lib/replay/index.ts';
import { type ChartSeries, escapeXml, renderLineChart } from '../../sim/world/svg-line-chart.ts';
import { formatNumber } from './text-table.ts';

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;color:#222;line-height:1.4}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
.meta{color:#555;font-size:13px}figure{margin:12px 0}svg{max-width:100%;height:auto;border:1px solid #eee}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
`;

function clock(atMs: number): string {
  return new Date(atMs).toISOString().slice(11, 16);
}

/** One parallelism chart and one utilization chart per vertex. */
function vertexCharts(result: ReplayResult): string[] {
  const ids = [...new Set(result.steps.flatMap((s) => s.vertices.map((v) => v.vertexId)))];
  return ids.flatMap((id) => {
    const rows = result.steps.flatMap((s) => s.vertices.filter((v) => v.vertexId === id).map((v) => ({ atMs: s.atMs, v })));
    const label = vertexLabel(id, rows.at(-1)?.v.vertexName);
    const parallelism: ChartSeries[] = [
      { name: 'real', color: '#555', step: true, points: rows.map((r) => [r.atMs, r.v.realParallelism] as const) },
      { name: 'replayed', color: '#1f77b4', dash: 'dashed', step: true, points: rows.map((r) => [r.atMs, r.v.replayedParallelism] as const) },
    ];
    const utilization: ChartSeries[] = [
      { name: 'predicted at replayed p', color: '#d62728', points: rows.map((r) => [r.atMs, r.v.predictedUtilization ?? null] as const) },
      { name: 'measured at real p', color: '#555', points: rows.map((r) => [r.atMs, r.v.realUtilization ?? null] as const) },
      { name: 'scale-up bound', color: '#999', dash: 'dotted', points: rows.map((r) => [r.atMs, result.utilizationUpperBound] as const) },
    ];
    return [
      renderLineChart({ title: `${label}: parallelism`, yLabel: 'parallelism', series: parallelism, formatX: clock }),
      renderLineChart({ title: `${label}: utilization`, yLabel: 'busy ratio', series: utilization, formatX: clock, formatY: (y) => y.toFixed(2) }),
    ];
  });
}

/** The report page. `generatedAt` is printed verbatim. */
export function replayHtml(result: ReplayResult, warnings: readonly string[], generatedAt: string): string {
  const { totals } = result;
  const totalsRows: [string, string, string][] = [
    ['Rescales', String(totals.realRescales), String(totals.replayedRescales)],
    ['Parallelism-hours', formatNumber(totals.realParallelismHours), formatNumber(totals.replayedParallelismHours)],
  ];
  const steps = result.steps
    .map(
      (s) =>
        `<tr><td>${new Date(s.atMs).toISOString()}</td><td>${s.vertices.map((v) => v.realParallelism).join('/')}</td><td>${s.vertices.map((v) => v.replayedParallelism).join('/')}</td><td>${s.action}</td><td>${escapeXml(s.why)}</td></tr>`,
    )
    .join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>fsa replay</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>What-if replay</h1>',
    `<p><strong>${escapeXml(result.caveat)}</strong></p>`,
    `<p class="meta">${totals.steps} steps (${totals.decidedSteps} with a full window), ${result.epochs.length} job epoch(s). Generated ${escapeXml(generatedAt)}.</p>`,
    warnings.length > 0 ? `<ul>${warnings.map((w) => `<li>${escapeXml(w)}</li>`).join('')}</ul>` : '',
    '<h2>Totals</h2>',
    `<table><tr><th></th><th>real</th><th>replayed</th></tr>${totalsRows.map((r) => `<tr><td>${r.join('</td><td>')}</td></tr>`).join('')}</table>`,
    `<p>Lag risk: ${totals.overloadRiskSteps} step(s) with predicted utilization &gt; 1, ${totals.aboveMaxRiskSteps} above the scale-up bound ${formatNumber(result.utilizationUpperBound)}.</p>`,
    '<h2>Charts</h2>',
    ...vertexCharts(result).map((svg) => `<figure>${svg}</figure>`),
    '<h2>Steps</h2>',
    `<table><tr><th>time (UTC)</th><th>real p</th><th>replayed p</th><th>action</th><th>why</th></tr>${steps}</table>`,
    '</body></html>',
  ].join('\n');
}
