import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterRate, globalCounterRate, globalMetricAverage, metricAverage } from '../../../lib/domain/sample-series.ts';
import { roundHalfUpToDecimals, roundOnDecimalText, roundMetric } from '../../../lib/domain/metric-rounding.ts';
import { aSample } from '../../builders/sample-builders.ts';

describe('roundMetric', () => {
  it.each([
    { x: 1.0005, expected: 1.001 }, // prints as 1.0005 → half-up on the decimal, although 1.0005*1000 = 1000.4999…
    { x: 2.4444, expected: 2.444 },
    { x: 2.4445, expected: 2.445 },
    { x: 123.456789, expected: 123.457 },
    { x: -1.0005, expected: -1.001 }, // half-up = away from zero, like BigDecimal.ROUND_HALF_UP
    { x: 0.0005, expected: 0.001 },
    { x: 0.0004, expected: 0.0004 }, // would round to 0 → kept unrounded
    { x: 1e-7, expected: 1e-7 }, // exponent notation, rounds to 0 → kept
    { x: 1.5e21, expected: 1.5e21 }, // no fractional digits
    { x: 42, expected: 42 },
    { x: 0, expected: 0 },
    { x: Number.POSITIVE_INFINITY, expected: Number.POSITIVE_INFINITY },
    { x: Number.NEGATIVE_INFINITY, expected: Number.NEGATIVE_INFINITY },
    { x: Number.NaN, expected: Number.NaN },
  ])('roundMetric($x) = $expected', ({ x, expected }) => {
    // Act
    const rounded = roundMetric(x);
    // Assess
    expect(rounded).toBe(expected);
  });

  it('rounds to other precisions with the same decimal rule', () => {
    // 0.125 → 2 places: third digit 5 rounds up → 0.13; 0.5 → 0 places → 1
    expect(roundHalfUpToDecimals(0.125, 2)).toBe(0.13);
    expect(roundHalfUpToDecimals(0.5, 0)).toBe(1);
    expect(roundHalfUpToDecimals(0.4, 0)).toBe(0);
  });

  it('never turns a positive value into 0 and stays within half a unit of the 3rd decimal', () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: 1e12, noNaN: true }), (x) => {
        const rounded = roundMetric(x);
        expect(rounded).toBeGreaterThan(0);
        // |rounded − x| ≤ 0.0005 plus the double spacing of the operands
        expect(Math.abs(rounded - x)).toBeLessThanOrEqual(0.0005 + Math.abs(x) * 4 * Number.EPSILON);
      }),
    );
  });
});

describe('counterRate', () => {
  const history = [
    aSample(1000, { v: { NUM_RECORDS_IN: 0 } }),
    aSample(2000, { v: { NUM_RECORDS_IN: 0, NUM_RECORDS_OUT: 10 } }),
    aSample(3000, { v: { NUM_RECORDS_IN: 4, NUM_RECORDS_OUT: 20 } }),
  ];

  it.each([
    { name: 'over the whole window', metric: 'NUM_RECORDS_IN', expected: 2 }, // 1000·(4−0)/2000
    { name: 'from the first non-NaN sample', metric: 'NUM_RECORDS_OUT', expected: 10 }, // 1000·(20−10)/1000
    { name: 'NaN with fewer than two values', metric: 'LAG', expected: Number.NaN },
  ] as const)('$name', ({ metric, expected }) => {
    expect(counterRate(history, 'v', metric)).toBe(expected);
  });

  it('is NaN for a vertex absent from the samples', () => {
    expect(counterRate(history, 'unknown', 'NUM_RECORDS_IN')).toBeNaN();
  });

  it('guards equal timestamps with max(1, Δms)', () => {
    // Prepare: two samples at the same instant: 1000·(5−0)/max(1, 0) = 5000
    const samples = [aSample(7, { v: { LAG: 0 } }), aSample(7, { v: { LAG: 5 } })];
    // Act / Assess
    expect(counterRate(samples, 'v', 'LAG')).toBe(5000);
  });

  it('rates global metrics the same way', () => {
    // 1000·(30−10)/2000 = 10
    const samples = [aSample(0, {}, { HEAP_MEMORY_USED: 10 }), aSample(2000, {}, { HEAP_MEMORY_USED: 30 })];
    expect(globalCounterRate(samples, 'HEAP_MEMORY_USED')).toBe(10);
  });

  it('equals the slope of a linear counter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 2, maxLength: 20 }),
        (slopePerSecond, offset, timestamps) => {
          // Prepare: value(t) = offset + slope · t/1000, samples oldest first
          const samples = [...timestamps]
            .sort((a, b) => a - b)
            .map((tsMs) => aSample(tsMs, { v: { NUM_RECORDS_IN: offset + (slopePerSecond * tsMs) / 1000 } }));
          // Act
          const rate = counterRate(samples, 'v', 'NUM_RECORDS_IN');
          // Assess: the rate divides a difference of two doubles by the window, so its
          // rounding error scales with the counter's magnitude over the window length
          // (values near 1e10 over 47 ms are only good to about 1e-6 absolute).
          const spanMs = samples.at(-1)!.tsMs - samples[0]!.tsMs;
          const largestValue = Math.abs(offset) + (Math.abs(slopePerSecond) * 10_000_000) / 1000;
          const roundingBound = (8 * Number.EPSILON * largestValue * 1000) / spanMs;
          expect(Math.abs(rate! - slopePerSecond)).toBeLessThanOrEqual(Math.max(roundingBound, 1e-9));
        },
      ),
    );
  });
});

describe('metricAverage', () => {
  const inf = Number.POSITIVE_INFINITY;
  it.each([
    { name: 'mean of finite values', values: [1, 2, 6], min: 1, expected: 3 }, // (1+2+6)/3
    { name: 'NaN values are skipped', values: [1, Number.NaN, 3], min: 1, expected: 2 }, // (1+3)/2
    { name: 'infinite values are skipped', values: [inf, 4, 6], min: 1, expected: 5 }, // (4+6)/2
    { name: 'only infinite values → +∞', values: [inf, inf], min: 1, expected: inf },
    { name: 'only −∞ values → +∞', values: [Number.NEGATIVE_INFINITY], min: 1, expected: inf },
    { name: 'no value → NaN', values: [Number.NaN], min: 1, expected: Number.NaN },
    { name: 'empty window → NaN', values: [], min: 1, expected: Number.NaN },
    {
      name: 'fewer finite values than min observations → NaN',
      values: [inf, 4],
      min: 2,
      expected: Number.NaN,
    },
    { name: 'enough observations', values: [4, 8], min: 2, expected: 6 }, // (4+8)/2
  ])('$name', ({ values, min, expected }) => {
    // Prepare: a missing key stands for NaN
    const samples = values.map((value, index) =>
      aSample(index * 1000, { v: Number.isNaN(value) ? {} : { OBSERVED_TPR: value } }),
    );
    // Act / Assess
    expect(metricAverage(samples, 'v', 'OBSERVED_TPR', min)).toBe(expected);
  });

  it('averages global metrics', () => {
    // (512 + 1024)/2 = 768; the empty sample contributes nothing
    const samples = [
      aSample(0),
      aSample(1, {}, { HEAP_MEMORY_USED: 512 }),
      aSample(2, {}, { HEAP_MEMORY_USED: 1024 }),
    ];
    expect(globalMetricAverage(samples, 'HEAP_MEMORY_USED')).toBe(768);
  });

  it('does not depend on the order of the samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(Number.NaN)), {
          maxLength: 30,
        }),
        fc.integer(),
        (values, seed) => {
          const samples = values.map((value, index) =>
            aSample(index, { v: Number.isNaN(value) ? {} : { LOAD: value } }),
          );
          const shuffled = [...samples].sort(
            (a, b) => ((a.tsMs * 7919 + seed) % 31) - ((b.tsMs * 7919 + seed) % 31),
          );
          const expected = metricAverage(samples, 'v', 'LOAD');
          const actual = metricAverage(shuffled, 'v', 'LOAD');
          if (Number.isFinite(expected)) expect(actual).toBeCloseTo(expected, 6);
          else expect(actual).toBe(expected);
        },
      ),
    );
  });
});

describe('roundHalfUpToDecimals fast path', () => {
  it('agrees with the exact decimal-text rounding for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 6 }), (x, places) => {
        expect(roundHalfUpToDecimals(x, places)).toBe(roundOnDecimalText(x, places));
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees on metric-like values near rounding boundaries', () => {
    // n / 10^k and n / 7: decimals that end right at, or just around, the half-way point.
    const values = fc.oneof(
      fc.tuple(fc.integer({ min: -1e10, max: 1e10 }), fc.integer({ min: 1, max: 6 })).map(([n, k]) => n / 10 ** k),
      fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 7),
      fc.integer({ min: 0, max: 1e6 }).map((n) => n + 0.0005),
    );
    fc.assert(
      fc.property(values, fc.integer({ min: 0, max: 4 }), (x, places) => {
        expect(roundHalfUpToDecimals(x, places)).toBe(roundOnDecimalText(x, places));
      }),
      { numRuns: 50_000 },
    );
  });

  it.each([
    [1.0005, 3, 1.001], // prints as 1.0005: half-up on the text, although 1.0005 × 1000 < 1000.5
    [2.675, 2, 2.68],
    [-2.675, 2, -2.68],
    [1234.56749, 3, 1234.567],
    [0.0004, 3, 0],
  ])('%d to %d places → %d', (x, places, expected) => {
    expect(roundHalfUpToDecimals(x, places)).toBe(expected);
  });
});
