import { describe, expect, it } from 'vitest';
import {
  MAX_STORED_VERTEX_NAME_CHARS,
  shortVertexId,
  shortVertexName,
  vertexLabel,
  vertexNamesOf,
} from '../../../lib/domain/index.ts';

const HEX = 'bc764cd8ddf7a0cff126f51c16239658';

describe('shortVertexId', () => {
  it('keeps the first 8 characters of a 32-hex JobVertexID', () => {
    expect(shortVertexId(HEX)).toBe('bc764cd8');
  });
  it('leaves symbolic ids as they are', () => {
    expect(shortVertexId('source')).toBe('source');
  });
});

describe('shortVertexName', () => {
  it('keeps a name that fits, whitespace collapsed', () => {
    expect(shortVertexName('Source:\n  Kafka   orders')).toBe('Source: Kafka orders');
  });
  it('keeps the first and last operator of a long chain', () => {
    const chain = 'Source: Kafka orders -> Timestamps/Watermarks -> Map -> Filter -> Sink: Print to Std. Out';
    expect(shortVertexName(chain, 52)).toBe('Source: Kafka orders -> … -> Sink: Print to Std. Out');
    expect(shortVertexName(chain, 51).length).toBeLessThanOrEqual(51);
    expect(shortVertexName(chain, 51)).toBe('Source: Kafka orders -> Timestamps/Watermarks -> M…');
  });
  it('cuts with an ellipsis when even the ends do not fit', () => {
    const sql = `[3]:Calc(select=[${'a, '.repeat(200)}z])`;
    const short = shortVertexName(sql, 30);
    expect(short.length).toBeLessThanOrEqual(30);
    expect(short.endsWith('…')).toBe(true);
    expect(short.startsWith('[3]:Calc(select=[a,')).toBe(true);
  });
});

describe('vertexLabel', () => {
  it('shows the name with the short id', () => {
    expect(vertexLabel(HEX, 'Source: Kafka -> Map')).toBe('Source: Kafka -> Map (bc764cd8)');
  });
  it('falls back to the id without a name, or when the name is the id', () => {
    expect(vertexLabel(HEX, undefined)).toBe(HEX);
    expect(vertexLabel('map', 'map')).toBe('map');
    expect(vertexLabel(HEX, '   ')).toBe(HEX);
  });
});

describe('vertexNamesOf', () => {
  it('keeps named vertices only, bounded for storage', () => {
    const long = `Source: ${'x'.repeat(1000)}`;
    const names = vertexNamesOf([
      { id: 'a', name: 'Source: Kafka' },
      { id: 'b' },
      { id: 'c', name: 'c' },
      { id: 'd', name: long },
    ]);
    expect(Object.keys(names ?? {})).toEqual(['a', 'd']);
    expect(names?.['d']?.length).toBe(MAX_STORED_VERTEX_NAME_CHARS);
  });
  it('is undefined when no vertex has a name', () => {
    expect(vertexNamesOf([{ id: 'a' }])).toBeUndefined();
  });
});
