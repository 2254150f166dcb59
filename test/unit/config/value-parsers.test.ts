import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  formatMap,
  formatMemorySize,
  parseBoolean,
  parseDouble,
  parseDurationMs,
  parseInteger,
  parseList,
  parseMap,
  parseMemoryBytes,
  ValueFormatError,
} from '../../../lib/config/index.ts';

describe('parseDurationMs', () => {
  it.each([
    ['30 s', 30_000],
    ['5 min', 300_000],
    ['1h', 3_600_000],
    ['2 days', 172_800_000],
    ['250ms', 250],
    ['1000', 1000], // plain number = milliseconds, as in Flink
    ['PT5M', 300_000],
    ['PT1H30M', 5_400_000],
    ['P1DT2S', 86_402_000],
    ['-1 min', -60_000], // the operator's "disabled" value for resource-view refresh
    ['1.5 s', 1500],
    ['  10 MIN ', 600_000],
  ])('%s → %d ms', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });

  it.each(['', 'soon', '5 weeks', 'P', 'PT', '1 s 2'])(
    'rejects %j with a message that lists the units',
    (text) => {
      expect(() => parseDurationMs(text)).toThrow(ValueFormatError);
      expect(() => parseDurationMs(text)).toThrow(/ms, s, min, h|duration/);
    },
  );

  it('round-trips through formatDuration for whole units', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (n) => {
        expect(parseDurationMs(formatDuration(n * 1000))).toBe(n * 1000);
      }),
    );
  });
});

describe('parseMemoryBytes / formatMemorySize', () => {
  it.each([
    ['1 gb', 1024 ** 3],
    ['512m', 512 * 1024 ** 2],
    ['4Gi', 4 * 1024 ** 3],
    ['13760 kb', 13760 * 1024],
    ['0 bytes', 0],
    ['123', 123],
    ['2g', 2 * 1024 ** 3],
    ['1 tb', 1024 ** 4],
  ])('%s → %d bytes', (text, expected) => {
    expect(parseMemoryBytes(text)).toBe(expected);
  });

  it.each(['-1 mb', 'lots', '1 pb', '1.2.3 gb'])('rejects %j', (text) => {
    expect(() => parseMemoryBytes(text)).toThrow(ValueFormatError);
  });

  it.each([
    [120 * 1024 ** 2, '120 mb'],
    [13760 * 1024, '13760 kb'],
    [30 * 1024 ** 3, '30 gb'],
    [0, '0 bytes'],
    [20_108_162_027, '20108162027 bytes'],
  ])('formats %d as %s (Flink MemorySize.toString)', (bytes, text) => {
    expect(formatMemorySize(bytes)).toBe(text);
  });

  it('parses back what it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 45 }), (bytes) => {
        expect(parseMemoryBytes(formatMemorySize(bytes))).toBe(bytes);
      }),
    );
  });
});

describe('scalar parsers', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
  ])('boolean %s', (text, expected) => expect(parseBoolean(text)).toBe(expected));
  it('rejects yes/1 as booleans, as Flink does', () => {
    expect(() => parseBoolean('yes')).toThrow(/true or false/);
    expect(() => parseBoolean('1')).toThrow(ValueFormatError);
  });
  it.each([
    ['0.7', 0.7],
    ['1e3', 1000],
    ['2147483647.0', 2147483647],
    ['0.5d', 0.5],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('double %s', (text, expected) => expect(parseDouble(text)).toBe(expected));
  it('rejects non-numbers', () => expect(() => parseDouble('0.7x')).toThrow(ValueFormatError));
  it('integer range is 32-bit', () => {
    expect(parseInteger('2147483647')).toBe(2147483647);
    expect(() => parseInteger('2147483648')).toThrow(/32-bit/);
    expect(() => parseInteger('1.5')).toThrow(/whole number/);
  });
  it('lists split on ; and drop empties', () => {
    expect(parseList(' a ; b;;c ')).toEqual(['a', 'b', 'c']);
  });
  it('maps parse and format symmetrically', () => {
    const map = parseMap('bb:2, aa:10');
    expect(map).toEqual({ aa: '10', bb: '2' });
    expect(formatMap(map)).toBe('aa:10,bb:2');
    expect(() => parseMap(':3')).toThrow(/has no key/);
  });
});
