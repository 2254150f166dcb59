/**
 * A small, dependency-free renderer of line charts as inline SVG, for the self-contained HTML
 * report (no scripts, no external assets: it opens from a file, in a mail, in CI artifacts).
 * Pure: same input, same markup.
 */

/** One line of a chart. */
export interface ChartSeries {
  readonly name: string;
  /** [x, y] points in ascending x; a `null` y breaks the line (e.g. while a job restarts). */
  readonly points: readonly (readonly [number, number | null])[];
  readonly color: string;
  readonly dash?: 'dashed' | 'dotted';
  /** Draw as a step function (parallelism changes at an instant). */
  readonly step?: boolean;
}

/** A chart to render. */
export interface LineChart {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** Formats x values on the axis (default: the number). */
  readonly formatX?: (x: number) => string;
  /** Formats y values on the axis (default: compact number). */
  readonly formatY?: (y: number) => string;
  readonly width?: number;
  readonly height?: number;
  /** Lower bound of the y axis. @default 0 */
  readonly yMin?: number;
}

const MARGIN = { top: 28, right: 16, bottom: 48, left: 64 };

/** Escapes text for XML/HTML content and attributes. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** 1, 2 or 5 × 10^k step giving about `count` ticks over `span`. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Compact number: 1.2k, 3.4M, 0.75. */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${trim(value / 1e9)}G`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function trim(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
}

/** Renders the chart as an `<svg>` element with a legend; empty series render an empty frame. */
export function renderLineChart(chart: LineChart): string {
  const width = chart.width ?? 760;
  const height = chart.height ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const series of chart.series) {
    for (const [x, y] of series.points) {
      xs.push(x);
      if (y !== null && Number.isFinite(y)) ys.push(y);
    }
  }
  const xMin = xs.length > 0 ? Math.min(...xs) : 0;
  const xMax = xs.length > 0 ? Math.max(...xs) : 1;
  const yMin = chart.yMin ?? 0;
  const yTop = ys.length > 0 ? Math.max(...ys) : 1;
  const yStep = niceStep(Math.max(yTop - yMin, 1e-9), 5);
  const yMax = Math.max(yMin + yStep, Math.ceil(yTop / yStep) * yStep);
  const sx = (x: number) => MARGIN.left + (xMax === xMin ? 0 : ((x - xMin) / (xMax - xMin)) * plotW);
  const sy = (y: number) => MARGIN.top + plotH - ((y - yMin) / (yMax - yMin)) * plotH;
  const fx = chart.formatX ?? ((x: number) => compactNumber(x));
  const fy = chart.formatY ?? compactNumber;
  const parts: string[] = [];
  const totalHeight = height + (legendRows(chart.series, width).length - 1) * 16;
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${totalHeight}" viewBox="0 0 ${width} ${totalHeight}" role="img" aria-label="${escapeXml(chart.title)}">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${totalHeight}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="18" font-size="14" font-weight="600">${escapeXml(chart.title)}</text>`,
  );
  // Grid and y ticks (bounded: at most ~12 lines whatever the data).
  for (let y = yMin, i = 0; y <= yMax + yStep / 2 && i < 12; y += yStep, i++) {
    const py = sy(y).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${py}" font-size="11" text-anchor="end" dominant-baseline="middle">${escapeXml(fy(y))}</text>`,
    );
  }
  const xStep = niceStep(xMax - xMin, 8);
  for (let x = Math.ceil(xMin / xStep) * xStep, i = 0; x <= xMax && i < 16; x += xStep, i++) {
    const px = sx(x).toFixed(1);
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 4}" stroke="#555"/>`,
      `<text x="${px}" y="${MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle">${escapeXml(fx(x))}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" font-size="11" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  );
  for (const series of chart.series) {
    const d = pathData(series, sx, sy);
    if (d === '') continue;
    const dash = dashAttribute(series);
    parts.push(
      `<path d="${d}" fill="none" stroke="${escapeXml(series.color)}" stroke-width="1.8"${dash}><title>${escapeXml(series.name)}</title></path>`,
    );
  }
  // Legend under the axis, wrapped into rows; the SVG grows by one line per extra row.
  const rows = legendRows(chart.series, width);
  rows.forEach((row, r) => {
    const ly = height - 10 + r * 16;
    for (const { series, x } of row) {
      const dash = dashAttribute(series);
      parts.push(
        `<line x1="${x}" x2="${x + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${escapeXml(series.color)}" stroke-width="2"${dash}/>`,
        `<text x="${x + 24}" y="${ly}" font-size="11">${escapeXml(series.name)}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

function pathData(series: ChartSeries, sx: (x: number) => number, sy: (y: number) => number): string {
  const commands: string[] = [];
  let previous: readonly [number, number] | undefined;
  for (const [x, y] of series.points) {
    if (y === null || !Number.isFinite(y)) {
      previous = undefined;
      continue;
    }
    const px = sx(x).toFixed(1);
    const py = sy(y).toFixed(1);
    if (previous === undefined) commands.push(`M${px},${py}`);
    else if (series.step) commands.push(`H${px}V${py}`);
    else commands.push(`L${px},${py}`);
    previous = [x, y];
  }
  return commands.join('');
}

function dashAttribute(series: ChartSeries): string {
  if (series.dash === 'dashed') return ' stroke-dasharray="6 4"';
  if (series.dash === 'dotted') return ' stroke-dasharray="2 3"';
  return '';
}

/** Legend entries laid out left to right, wrapped at the chart's width (6.2 px per character). */
function legendRows(series: readonly ChartSeries[], width: number): { series: ChartSeries; x: number }[][] {
  const rows: { series: ChartSeries; x: number }[][] = [[]];
  let x = MARGIN.left;
  for (const entry of series) {
    const w = 28 + entry.name.length * 6.2;
    if (x + w > width - MARGIN.right && x > MARGIN.left) {
      rows.push([]);
      x = MARGIN.left;
    }
    rows.at(-1)?.push({ series: entry, x });
    x += w;
  }
  return rows;
}
