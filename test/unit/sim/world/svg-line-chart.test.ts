import { describe, expect, it } from 'vitest';
import {
  compactNumber,
  escapeXml,
  niceStep,
  renderLineChart,
} from '../../../../sim/world/svg-line-chart.ts';

describe('renderLineChart', () => {
  it('draws each series as a path, breaking lines at null and stepping when asked', () => {
    const svg = renderLineChart({
      title: 'Lag <s>',
      yLabel: 'seconds',
      width: 200,
      height: 100,
      series: [
        {
          name: 'a',
          color: '#000',
          points: [
            [0, 0],
            [1, 10],
            [2, null],
            [3, 10],
          ],
        },
        {
          name: 'b & c',
          color: '#f00',
          step: true,
          dash: 'dashed',
          points: [
            [0, 1],
            [3, 2],
          ],
        },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>Lag &lt;s&gt;</title>');
    expect(svg).toContain('b &amp; c');
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(paths).toHaveLength(2);
    // series a: a move, a line, then a new move after the gap
    expect(paths[0]?.match(/M/g)).toHaveLength(2);
    expect(paths[0]).toContain('L');
    // series b: a horizontal then vertical step
    expect(paths[1]).toMatch(/^M[\d.]+,[\d.]+H[\d.]+V[\d.]+$/);
    expect(svg).toContain('stroke-dasharray="6 4"');
  });

  it('renders an empty frame without series data', () => {
    const svg = renderLineChart({ title: 'empty', yLabel: 'y', series: [] });
    expect(svg).toContain('<title>empty</title>');
    expect(svg).not.toContain('<path');
  });

  it('wraps a long legend into more rows and grows the image', () => {
    const series = Array.from({ length: 12 }, (_, i) => ({
      name: `vertex number ${i}`,
      color: '#000',
      points: [
        [0, i],
        [1, i],
      ] as [number, number][],
    }));
    const svg = renderLineChart({ title: 't', yLabel: 'y', width: 400, height: 200, series });
    const height = Number(/height="(\d+)"/.exec(svg)?.[1]);
    expect(height).toBeGreaterThan(200);
  });

  it.each([
    { span: 10, count: 5, step: 2 },
    { span: 360, count: 8, step: 50 },
    { span: 0.9, count: 5, step: 0.2 },
    { span: 0, count: 5, step: 1 },
  ])('niceStep($span, $count) = $step', ({ span, count, step }) => {
    expect(niceStep(span, count)).toBeCloseTo(step, 10);
  });

  it.each([
    { value: 12_500, text: '12.5k' },
    { value: 3_400_000, text: '3.4M' },
    { value: 0.755, text: '0.76' },
    { value: 8000, text: '8000' },
  ])('compactNumber($value) = $text', ({ value, text }) => {
    expect(compactNumber(value)).toBe(text);
  });

  it('escapes XML special characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
