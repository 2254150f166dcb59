/**
 * A self-contained HTML report of a what-if replay (`fsa replay --html`), with the charts of the
 * local world's report (sim/world/report-html.ts) drawn by its renderer (sim/world/svg-line-chart.ts):
 * input rate against capacity (real and replayed), lag, TaskManager memory, and per vertex the
 * real and replayed parallelism and utilization; then the totals and the step table, with the
 * decisions really made next to the replayed ones when the replay ran over the state table.
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

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** Job-level charts as in the local world's report: rates against capacity, lag, memory. */
function jobCharts(result: ReplayResult): string[] {
  const ids = [...new Set(result.steps.flatMap((s) => s.vertices.map((v) => v.vertexId)))];
  const nameOf = (id: string) => vertexLabel(id, result.steps.at(-1)?.vertices.find((v) => v.vertexId === id)?.vertexName, 24);
  const seriesOf = (id: string, pick: (v: ReplayResult['steps'][number]['vertices'][number]) => number | undefined) =>
    result.steps.map((s) => {
      const vertex = s.vertices.find((v) => v.vertexId === id);
      return [s.atMs, vertex ? (pick(vertex) ?? null) : null] as const;
    });
  const throughput: ChartSeries[] = ids.flatMap((id, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    return [
      { name: `${nameOf(id)} target rate`, color, points: seriesOf(id, (v) => v.targetDataRate) },
      { name: `${nameOf(id)} capacity (real p)`, color, dash: 'dotted' as const, points: seriesOf(id, (v) => v.realCapacity) },
      { name: `${nameOf(id)} capacity (replayed p)`, color, dash: 'dashed' as const, points: seriesOf(id, (v) => v.replayedCapacity) },
    ];
  });
  const sources = ids.filter((id) => result.steps.some((s) => s.vertices.some((v) => v.vertexId === id && v.lagRecords !== undefined)));
  const lag: ChartSeries[] = sources.map((id, i) => ({
    name: nameOf(id),
    color: PALETTE[i % PALETTE.length]!,
    points: seriesOf(id, (v) => v.lagRecords),
  }));
  const memory: ChartSeries[] = [
    { name: 'heap used (busiest TaskManager)', color: '#555', points: result.steps.map((s) => [s.atMs, s.heapUsedBytes === undefined ? null : s.heapUsedBytes / 1024 / 1024] as const) },
  ];
  return [
    renderLineChart({ title: 'Input rate vs capacity', yLabel: 'records/s', series: throughput, formatX: clock }),
    renderLineChart({ title: 'Lag', yLabel: 'pending records', series: lag, formatX: clock }),
    renderLineChart({ title: 'TaskManager memory', yLabel: 'MiB', series: memory, formatX: clock }),
  ];
}

/** The recorded decision, marked when the replay decided otherwise; empty for captures. */
function recordedCell(step: ReplayResult['steps'][number]): string {
  if (!step.recorded) return '';
  return `${step.matchesRecorded === false ? '<strong>≠</strong> ' : ''}${step.recorded.action}`;
}

/** The report page. `generatedAt` is printed verbatim. */
export function replayHtml(result: ReplayResult, warnings: readonly string[], generatedAt: string): string {
  const { totals } = result;
  const recorded = totals.recordedSteps > 0;
  const totalsRows: [string, string, string][] = [
    ...(recorded
      ? [['Scaling decisions', String(totals.recordedScalings), String(result.steps.filter((s) => s.action === 'scale').length)] as [string, string, string]]
      : []),
    ['Rescales', String(totals.realRescales), String(totals.replayedRescales)],
    ['Parallelism-hours', formatNumber(totals.realParallelismHours), formatNumber(totals.replayedParallelismHours)],
  ];
  const steps = result.steps
    .map(
      (s) =>
        `<tr><td>${new Date(s.atMs).toISOString()}</td><td>${s.vertices.map((v) => v.realParallelism).join('/')}</td>${recorded ? `<td>${recordedCell(s)}</td>` : ''}<td>${s.vertices.map((v) => v.replayedParallelism).join('/')}</td><td>${s.action}</td><td>${escapeXml(s.why)}</td></tr>`,
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
    recorded
      ? `<p>Decisions: ${totals.differingSteps} of ${totals.recordedSteps} differ from the ones really made (≠ in the step table).</p>`
      : '',
    `<p>Lag risk: ${totals.overloadRiskSteps} step(s) with predicted utilization &gt; 1, ${totals.aboveMaxRiskSteps} above the scale-up bound ${formatNumber(result.utilizationUpperBound)}.</p>`,
    '<h2>Charts</h2>',
    ...[...jobCharts(result), ...vertexCharts(result)].map((svg) => `<figure>${svg}</figure>`),
    '<h2>Steps</h2>',
    `<table><tr><th>time (UTC)</th><th>real p</th>${recorded ? '<th>real decision</th>' : ''}<th>replayed p</th><th>action</th><th>why</th></tr>${steps}</table>`,
    '</body></html>',
  ].join('\n');
}
