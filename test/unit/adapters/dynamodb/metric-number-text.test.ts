import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNumberText,
  fromTaggedJson,
  parseNumberText,
  toTaggedJson,
} from '../../../../lib/adapters/dynamodb/metric-number-text.ts';
import { roundMetric } from '../../../../lib/adapters/state/stored-metric.ts';

describe('roundMetric', () => {
  it.each([
    { input: 1.23456, expected: 1.235 }, // half-up at the 4th decimal
    { input: 2.5e-4, expected: 2.5e-4 }, // would round to 0 → kept
    { input: 0.0005, expected: 0.001 },
    { input: -1.2344, expected: -1.234 },
    { input: 0, expected: 0 },
    { input: 123_456_789_012.3456, expected: 123_456_789_012.346 },
    { input: 2 ** 60, expected: 2 ** 60 }, // beyond the third decimal of a double: unchanged
    { input: Number.POSITIVE_INFINITY, expected: Number.POSITIVE_INFINITY },
  ])('rounds $input to $expected', ({ input, expected }) => {
    expect(roundMetric(input)).toBe(expected);
  });

  it('keeps NaN', () => {
    expect(roundMetric(Number.NaN)).toBeNaN();
  });
});

describe('number text', () => {
  it.each([
    { value: 0.25, text: '.25' },
    { value: -0.5, text: '-.5' },
    { value: 12, text: '12' },
    { value: Number.NaN, text: 'N' },
    { value: Number.POSITIVE_INFINITY, text: 'I' },
    { value: Number.NEGATIVE_INFINITY, text: '-I' },
    { value: -0, text: '-0' },
    { value: 1e21, text: '1e+21' },
  ])('writes $value as $text', ({ value, text }) => {
    expect(formatNumberText(value)).toBe(text);
  });

  it('reads back every double exactly', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        expect(Object.is(parseNumberText(formatNumberText(value)), value)).toBe(true);
      }),
    );
  });

  it.each(['', 'abc', '1,2', '--1', 'NaN'])('rejects %j', (text) => {
    expect(parseNumberText(text)).toBeUndefined();
  });
});

describe('tagged JSON', () => {
  it('round-trips any JSON-like value with non-finite numbers and ~strings', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.double(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(fromTaggedJson(toTaggedJson(v))).toEqual(v);
      }),
    );
  });

  it('rejects an unknown tag', () => {
    expect(() => fromTaggedJson('"~X"')).toThrow(SyntaxError);
  });
});
