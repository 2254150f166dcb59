import { describe, expect, it } from 'vitest';
import {
  ceilFractionThousandths,
  formatFractionThousandths,
  javaFloat,
  multiplyBytes,
} from '../../../lib/tune/java-numbers.ts';
import { InvalidTuningInputError } from '../../../lib/tune/tuning-errors.ts';

describe('multiplyBytes (MemorySize.multiply on a float fraction)', () => {
  it.each([
    // 30 GiB process: total Flink 30 870 077 440 × (double) 0.4f = 0.4000000059604645 → 12 348 031 160 (not …0976)
    { bytes: 30_870_077_440, multiplier: javaFloat(0.4), expected: 12_348_031_160 },
    // 1280 MiB × 0.10000000149011612 = 134 217 728 + 2.0 → 134 217 730
    { bytes: 1_342_177_280, multiplier: javaFloat(0.1), expected: 134_217_730 },
    // exact decimal: 1000 × 0.5 = 500
    { bytes: 1000, multiplier: 0.5, expected: 500 },
    // truncation toward zero: 3 × 0.3 = 0.9 → 0
    { bytes: 3, multiplier: 0.3, expected: 0 },
    // exponent notation of tiny multipliers: 1e9 × 1e-7 = 100
    { bytes: 1_000_000_000, multiplier: 1e-7, expected: 100 },
    { bytes: 7, multiplier: 0, expected: 0 },
  ])('$bytes × $multiplier = $expected', ({ bytes, multiplier, expected }) => {
    expect(multiplyBytes(bytes, multiplier)).toBe(expected);
  });

  it('rejects negative multipliers and fractional bytes', () => {
    expect(() => multiplyBytes(10, -0.1)).toThrow(InvalidTuningInputError);
    expect(() => multiplyBytes(1.5, 0.1)).toThrow(/bytes = 1.5/);
  });
});

describe('ceilFractionThousandths (BigDecimal setScale(3, CEILING))', () => {
  it.each([
    // 12 348 031 160 / 18 908 591 083 = 0.65303… → 0.654 (rounded UP)
    { a: 12_348_031_160, b: 18_908_591_083, expected: 654 },
    // 1 GiB / 20 108 162 027 = 0.05339… → 0.054
    { a: 1_073_741_824, b: 20_108_162_027, expected: 54 },
    // exactly 0.654 stays 0.654 (a binary ceil(x·1000) would give 655)
    { a: 654, b: 1000, expected: 654 },
    // 0.0002 → 0.001, never 0.0
    { a: 2, b: 10_000, expected: 1 },
    { a: 0, b: 5, expected: 0 },
    { a: 5, b: 5, expected: 1000 },
    // 1e-9 renders in exponent notation in JS: still rounds up to 0.001
    { a: 1, b: 1e9, expected: 1 },
  ])('$a / $b → $expected thousandths', ({ a, b, expected }) => {
    expect(ceilFractionThousandths(a, b)).toBe(expected);
  });

  it('rejects a zero denominator', () => {
    expect(() => ceilFractionThousandths(1, 0)).toThrow(/denominatorBytes = 0/);
  });
});

describe('formatFractionThousandths (Java Float.toString)', () => {
  it.each([
    { k: 654, expected: '0.654' },
    { k: 50, expected: '0.05' },
    { k: 0, expected: '0.0' },
    { k: 1000, expected: '1.0' },
    { k: 1, expected: '0.001' },
  ])('$k → $expected', ({ k, expected }) => {
    expect(formatFractionThousandths(k)).toBe(expected);
  });
});
