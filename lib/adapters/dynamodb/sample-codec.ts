import type { GlobalSampleMetrics, MetricSample, VertexId, VertexSampleMetrics } from '../../domain/index.ts';
import { roundMetric } from '../state/stored-metric.ts';
import { formatNumberText, parseNumberText } from './metric-number-text.ts';
import { CorruptItemError } from './state-codec.ts';

/**
 * Compact JSON body of a SAMPLE item (item schema 1), column-wise: one string per metric with
 * the values of every vertex in dictionary order, comma-separated, empty where the vertex has no
 * value (so 1,000 vertices cost one 32-hex id each in STATE, not in every sample):
 *
 *     {"v":{"LOAD":".52,.7,,.1","LAG":"1200,,,"},"g":{"GC_PRESSURE":".01"},"n":[3]}
 *
 * `n` lists vertices present with no metric at all. Values are rounded like the Java store
 * (docs/algorithm.md §2.4) and written with {@link formatNumberText}, so NaN and ±∞ survive.
 */
interface SampleBody {
  v: Record<string, string>;
  g: Record<string, string>;
  n?: number[];
}

/** Encodes `sample` against the vertex dictionary, which must contain every sampled vertex. */
export function encodeSampleBody(sample: MetricSample, vertexIds: readonly VertexId[]): string {
  const index = new Map(vertexIds.map((id, i) => [id, i]));
  const columns = new Map<string, string[]>();
  const empty: number[] = [];
  for (const [id, metrics] of Object.entries(sample.vertices)) {
    const i = index.get(id);
    if (i === undefined) throw new Error(`vertex ${id} missing from the dictionary`);
    const entries = Object.entries(metrics) as [string, number | undefined][];
    let any = false;
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      any = true;
      let column = columns.get(name);
      if (!column) {
        column = [];
        columns.set(name, column);
      }
      column[i] = formatNumberText(roundMetric(value));
    }
    if (!any) empty.push(i);
  }
  const body: SampleBody = { v: {}, g: {} };
  for (const [name, column] of columns) {
    // Array.from fills holes with undefined, which join() writes as empty.
    body.v[name] = Array.from(column).join(',');
  }
  for (const [name, value] of Object.entries(sample.global) as [string, number | undefined][]) {
    if (value !== undefined) body.g[name] = formatNumberText(roundMetric(value));
  }
  if (empty.length > 0) body.n = empty;
  return JSON.stringify(body);
}

/** Decodes a SAMPLE body taken at `tsMs`; throws {@link CorruptItemError} on bad content. */
export function decodeSampleBody(text: string, tsMs: number, vertexIds: readonly VertexId[]): MetricSample {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CorruptItemError(`sample body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new CorruptItemError('sample body is not an object');
  const body = raw as Partial<SampleBody>;
  const vertices: Record<VertexId, Record<string, number>> = {};
  const vertexAt = (i: number, what: string): Record<string, number> => {
    const id = vertexIds[i];
    if (id === undefined) throw new CorruptItemError(`${what}: no vertex #${i}`);
    vertices[id] ??= {};
    return vertices[id];
  };
  for (const [name, column] of Object.entries(body.v ?? {})) {
    if (typeof column !== 'string') throw new CorruptItemError(`column ${name} is not a string`);
    column.split(',').forEach((text, i) => {
      if (text === '') return;
      const value = parseNumberText(text);
      if (value === undefined) throw new CorruptItemError(`column ${name}[${i}] is not a number: ${text}`);
      vertexAt(i, `column ${name}`)[name] = value;
    });
  }
  for (const i of body.n ?? []) vertexAt(i, 'n');
  const global: Record<string, number> = {};
  for (const [name, text] of Object.entries(body.g ?? {})) {
    const value = typeof text === 'string' ? parseNumberText(text) : undefined;
    if (value === undefined) throw new CorruptItemError(`global ${name} is not a number`);
    global[name] = value;
  }
  return {
    tsMs,
    vertices: vertices as Record<VertexId, VertexSampleMetrics>,
    global: global as GlobalSampleMetrics,
  };
}
