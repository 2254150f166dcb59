/**
 * The local world's report: one self-contained HTML page (inline CSS and SVG, no scripts, no
 * external assets) with the run's charts, the decision-quality figures against the oracle and
 * the baseline, and the decision log with every reason. Pure: a function of the run.
 */
import { formatUsd } from '../../lib/decide/price-decision.ts';
import { costVsSpecWords, priceWords } from '../../lib/report/job-status.ts';
import type { ActorMetrics, RunMetrics } from './run-metrics.ts';
import { type ChartSeries, compactNumber, escapeXml, renderLineChart } from './svg-line-chart.ts';
import type { TickRecord, WorldRun } from './world-timeline.ts';

/** Distinguishable colours for vertices (Okabe–Ito, readable for colour-blind viewers). */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const MIB = 1024 * 1024;

/** `hh:mm` of simulated time since the start. */
export function formatSimTime(tMs: number): string {
  const minutes = Math.round(tMs / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

const hours = (tMs: number) => tMs / 3_600_000;
const formatHours = (h: number) => `${compactNumber(h)} h`;

/**
 * The job's capacity in records/s at the sources: the bottleneck vertex's capacity divided by
 * how many records it receives per source record (its required rate ÷ the input rate).
 */
export function jobCapacity(tick: TickRecord, actor: 'autoscaler' | 'baseline'): number | null {
  if (!(tick.inputRate > 0)) return null;
  let capacity = Number.POSITIVE_INFINITY;
  for (const point of Object.values(tick.vertices)) {
    if (!(point.requiredRate > 0)) continue;
    const perSource = point.requiredRate / tick.inputRate;
    const vertexCapacity = actor === 'autoscaler' ? point.capacity : point.baselineCapacity;
    capacity = Math.min(capacity, vertexCapacity / perSource);
  }
  return Number.isFinite(capacity) ? capacity : null;
}

function charts(run: WorldRun): string[] {
  const x = (tick: TickRecord) => hours(tick.tMs);
  const at = <T>(f: (tick: TickRecord) => T) => run.ticks.map((tick) => [x(tick), f(tick)] as const);
  const colorOf = (index: number) => PALETTE[index % PALETTE.length] ?? '#000';
  const common = { formatX: formatHours };
  const sourceKeys = new Set(run.vertices.filter((v) => v.source).map((v) => v.key));

  const throughput: ChartSeries[] = [
    { name: 'input rate', color: '#000', points: at((t) => t.inputRate) },
    {
      name: 'processed at sources',
      color: '#009E73',
      points: at((t) =>
        Object.entries(t.vertices)
          .filter(([key]) => sourceKeys.has(key))
          .reduce((sum, [, p]) => sum + p.processedRate, 0),
      ),
    },
    {
      name: 'capacity (autoscaler)',
      color: '#0072B2',
      step: true,
      points: at((t) => jobCapacity(t, 'autoscaler')),
    },
    {
      name: 'capacity (baseline)',
      color: '#999',
      dash: 'dotted',
      step: true,
      points: at((t) => jobCapacity(t, 'baseline')),
    },
  ];
  const parallelism: ChartSeries[] = run.vertices.flatMap((v, i) => [
    { name: v.key, color: colorOf(i), step: true, points: at((t) => t.vertices[v.key]?.parallelism ?? null) },
    {
      name: `${v.key} oracle`,
      color: colorOf(i),
      dash: 'dashed' as const,
      step: true,
      points: at((t) => t.vertices[v.key]?.oracle ?? null),
    },
  ]);
  parallelism.push({
    name: 'baseline (every vertex)',
    color: '#999',
    dash: 'dotted',
    step: true,
    points: at((t) => Math.max(...Object.values(t.vertices).map((p) => p.baselineParallelism))),
  });
  const lag: ChartSeries[] = [
    { name: 'autoscaler', color: '#0072B2', points: at((t) => t.lagSeconds) },
    { name: 'baseline', color: '#999', dash: 'dotted', points: at((t) => t.baseline.lagSeconds) },
    {
      name: 'lag target (catch-up.duration)',
      color: '#D55E00',
      dash: 'dashed',
      points: at(() => run.lagTargetSeconds),
    },
  ];
  const utilization: ChartSeries[] = run.vertices.map((v, i) => ({
    name: v.key,
    color: colorOf(i),
    points: at((t) => {
      const busy = t.vertices[v.key]?.busyRatio;
      return busy === undefined ? null : busy * 100;
    }),
  }));
  utilization.push({
    name: 'target',
    color: '#000',
    dash: 'dashed',
    points: at(() => run.utilizationTarget * 100),
  });
  const memory: ChartSeries[] = [
    {
      name: 'TaskManager memory (spec)',
      color: '#0072B2',
      step: true,
      points: at((t) => (t.taskManagerMemoryBytes === undefined ? null : t.taskManagerMemoryBytes / MIB)),
    },
    {
      name: 'heap used per TaskManager',
      color: '#D55E00',
      points: at((t) => (t.heapUsedBytes === undefined ? null : t.heapUsedBytes / MIB)),
    },
  ];
  return [
    renderLineChart({ title: 'Input rate vs capacity', yLabel: 'records/s', series: throughput, ...common }),
    renderLineChart({
      title: 'Parallelism per vertex vs the oracle',
      yLabel: 'parallelism',
      series: parallelism,
      ...common,
    }),
    renderLineChart({ title: 'Lag', yLabel: 'seconds of input', series: lag, ...common }),
    renderLineChart({
      title: 'Utilization (busiest subtask per vertex)',
      yLabel: 'busy %',
      series: utilization,
      ...common,
    }),
    renderLineChart({ title: 'TaskManager memory', yLabel: 'MiB', series: memory, ...common }),
  ];
}

function fixed(value: number | undefined, digits = 2): string {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

function metricsTable(metrics: RunMetrics): string {
  const row = (label: string, f: (m: ActorMetrics) => string) =>
    `<tr><th scope="row">${escapeXml(label)}</th><td>${escapeXml(f(metrics.autoscaler))}</td><td>${escapeXml(f(metrics.baseline))}</td></tr>`;
  return [
    '<table class="metrics"><thead><tr><th></th><th>autoscaler</th><th>baseline (Managed Flink rule)</th></tr></thead><tbody>',
    row('rescales', (m) => String(m.rescales)),
    row('rescales to converge', (m) =>
      m.rescalesToConverge === undefined ? 'never' : String(m.rescalesToConverge),
    ),
    row('converged at', (m) => (m.convergedAtMs === undefined ? '—' : formatSimTime(m.convergedAtMs))),
    row('rescales after convergence', (m) => String(m.rescalesAfterConvergence)),
    row(
      'final parallelism / oracle',
      (m) => `${m.finalParallelism} / ${m.finalOracle} = ${fixed(m.finalRatio)}`,
    ),
    row(
      'parallelism-hours / oracle',
      (m) =>
        `${fixed(m.parallelismHours, 1)} / ${fixed(m.oracleParallelismHours, 1)} = ${fixed(m.parallelismHoursRatio)}`,
    ),
    row('parallelism-hours / Managed Flink rule', (m) => {
      const rule = metrics.baseline.parallelismHours;
      return `${fixed(m.parallelismHours, 1)} / ${fixed(rule, 1)} = ${fixed(rule > 0 ? m.parallelismHours / rule : undefined)}`;
    }),
    row('minutes with lag above target', (m) => String(m.minutesLagAboveTarget)),
    row('max lag (s)', (m) => fixed(m.maxLagSeconds, 0)),
    '</tbody></table>',
  ].join('');
}

function decisionLog(run: WorldRun): string {
  if (run.decisions.length === 0) return '<p>No decisions changed anything.</p>';
  const rows = run.decisions.map((d) => {
    const changes = d.changes
      .map((c) => `<li><b>${escapeXml(c.label ?? c.vertex)}</b> ${c.from} → ${c.to}: ${escapeXml(c.why)}</li>`)
      .join('');
    const price = d.price ? escapeXml(priceWords(d.price)) : '';
    return `<tr class="${d.actor}"><td>${formatSimTime(d.tMs)}</td><td>${d.actor}</td><td>${escapeXml(d.action)}</td><td>${price}</td><td>${escapeXml(d.summary)}${changes ? `<ul>${changes}</ul>` : ''}</td></tr>`;
  });
  return `<table class="log"><thead><tr><th>time</th><th>who</th><th>action</th><th>price</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** What the autoscaler saved or added against the scenario's own spec, and at what unit prices. */
function costSection(run: WorldRun): string {
  const ledger = run.costLedger;
  if (!ledger) return '<p>No cycle was priced (the job was never evaluated).</p>';
  const priced = run.decisions.find((d) => d.price)?.price;
  const units = priced
    ? ` Unit prices: $${priced.vcpuHourUsd} per vCPU-hour and $${priced.memoryGbHourUsd} per GB-hour (job.autoscaler.cost.*); one TaskManager costs ${formatUsd(ledger.taskManagerUsdPerHour)}/h.`
    : '';
  return `<p>${escapeXml(costVsSpecWords(ledger))} against running the job at its spec's parallelism.${escapeXml(units)}</p>`;
}

function eventList(run: WorldRun, limit = 100): string {
  if (run.events.length === 0) return '<p>No events.</p>';
  const rows = run.events
    .slice(0, limit)
    .map(
      (e) =>
        `<tr><td>${formatSimTime(e.tMs)}</td><td>${escapeXml(e.type)}</td><td>${escapeXml(e.reason)}</td><td>${escapeXml(e.message)}</td></tr>`,
    );
  const more =
    run.events.length > limit ? `<p>… and ${run.events.length - limit} more (see summary.json).</p>` : '';
  return `<table class="log"><thead><tr><th>time</th><th>type</th><th>reason</th><th>message</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;color:#222;line-height:1.4}
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
.meta{color:#555;font-size:13px}
figure{margin:12px 0}svg{max-width:100%;height:auto;border:1px solid #eee}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
table.metrics{width:auto}table.metrics td{font-variant-numeric:tabular-nums}
tr.baseline td{color:#666}ul{margin:2px 0 2px 18px;padding:0}
`;

/** Renders the report page. `generatedAt` is printed verbatim (the caller's wall-clock time). */
export function renderReportHtml(run: WorldRun, metrics: RunMetrics, generatedAt: string): string {
  const title = `Local world: ${run.scenario}`;
  const problems =
    run.problems.length === 0
      ? ''
      : `<h2>Problems</h2><ul>${run.problems.map((p) => `<li>${escapeXml(p)}</li>`).join('')}</ul>`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeXml(title)}</h1>`,
    `<p>${escapeXml(run.description)}</p>`,
    `<p class="meta">${formatSimTime(run.ticks.at(-1)?.tMs ?? 0)} simulated (${run.ticks.length} cycles every ${run.tickMs / 1000} s) in ${(run.wallMs / 1000).toFixed(1)} s wall-clock; state in ${run.store === 'dynamodb' ? 'DynamoDB (dynalite)' : 'memory'}; utilization target ${Math.round(run.utilizationTarget * 100)} %; lag target ${run.lagTargetSeconds} s. Generated ${escapeXml(generatedAt)}.</p>`,
    '<h2>Decision quality</h2>',
    metricsTable(metrics),
    `<p class="meta">Converged: no vertex below the oracle and the job at most ${metrics.convergenceTolerance} × the oracle in total. The baseline is the AWS Managed Flink rule (×2 after 15 min at ≥ 75 % CPU, ÷2 after 6 h below 10 %) on a copy of the same simulated job; CPU is the busiest subtask's busy time.</p>`,
    '<h2>Charts</h2>',
    ...charts(run).map((svg) => `<figure>${svg}</figure>`),
    '<h2>Cost against the spec</h2>',
    costSection(run),
    '<h2>Decision log</h2>',
    decisionLog(run),
    '<h2>Events</h2>',
    eventList(run),
    problems,
    '</body></html>',
  ].join('\n');
}

/** The machine-readable summary written next to the report. */
export function reportSummary(run: WorldRun, metrics: RunMetrics): Record<string, unknown> {
  const cycles = run.ticks.map((t) => t.cycleWallMs).sort((a, b) => a - b);
  const last = run.ticks.at(-1);
  return {
    scenario: run.scenario,
    description: run.description,
    simulatedMs: last?.tMs ?? 0,
    cycles: run.ticks.length,
    wallMs: Math.round(run.wallMs),
    cycleWallMs: {
      median: round(cycles[Math.floor(cycles.length / 2)] ?? 0),
      p95: round(cycles[Math.floor(cycles.length * 0.95)] ?? 0),
      max: round(cycles.at(-1) ?? 0),
    },
    store: run.store,
    utilizationTarget: run.utilizationTarget,
    lagTargetSeconds: run.lagTargetSeconds,
    metrics,
    finalParallelism: Object.fromEntries(
      Object.entries(last?.vertices ?? {}).map(([key, p]) => [
        key,
        { autoscaler: p.parallelism, oracle: p.oracle, baseline: p.baselineParallelism },
      ]),
    ),
    decisions: run.decisions,
    ...(run.costLedger ? { costLedger: run.costLedger } : {}),
    eventCounts: countBy(run.events.map((e) => e.reason)),
    problems: run.problems,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
