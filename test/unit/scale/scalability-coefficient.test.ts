import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../../lib/config/index.ts';
import type { ScalingSummary } from '../../../lib/domain/index.ts';
import {
  ceilToHundredths,
  observedScalabilityCoefficient,
} from '../../../lib/scale/scalability-coefficient.ts';

/** History entries (oldest first) from [parallelism before the scaling, TPR average] pairs. */
function history(points: ReadonlyArray<readonly [number, number]>): ScalingSummary[] {
  return points.map(([p, r], i) => ({
    tsMs: i * 60_000,
    currentParallelism: p,
    newParallelism: p * 2,
    metrics: { trueProcessingRateAvg: r, expectedProcessingRate: Number.NaN, targetDataRateAvg: Number.NaN },
  }));
}

const defaults = defaultOptions();
const options = (minObservations = 3, coefficientMin = 0.5) => ({
  ...defaults,
  observedScalabilityMinObservations: minObservations,
  observedScalabilityCoefficientMin: coefficientMin,
});

describe('observedScalabilityCoefficient', () => {
  it.each<{ name: string; points: [number, number][]; min?: number; coefMin?: number; expected: number }>([
    // β = 100/2 = 50; Σ P·R = 800+200+3200 = 4200; Σ P² = 84; α = 4200/(84·50) = 1
    {
      name: 'linear',
      points: [
        [4, 200],
        [2, 100],
        [8, 400],
      ],
      expected: 1,
    },
    // β = 96/2 = 48; 2752/(84·48) = 0.6825 → ceil → 0.69
    {
      name: 'sharp diminishing',
      points: [
        [4, 160],
        [2, 96],
        [8, 240],
      ],
      expected: 0.69,
    },
    // β = 50 (P = 1); (50+160+400)/(1+4+16)/50 = 610/1050 = 0.581 → 0.59
    {
      name: 'baseline from parallelism 1',
      points: [
        [1, 50],
        [2, 80],
        [4, 100],
      ],
      expected: 0.59,
    },
    // β = 40; 560/(20·40) = 0.7 exactly: must stay 0.70, not 0.71
    {
      name: 'exact hundredth stays',
      points: [
        [2, 80],
        [4, 100],
      ],
      min: 1,
      expected: 0.7,
    },
    // fewer entries than min-observations (3) → 1
    {
      name: 'too few observations',
      points: [
        [2, 80],
        [4, 100],
      ],
      expected: 1,
    },
    { name: 'empty history', points: [], min: 1, expected: 1 },
    // NaN rate → 1
    {
      name: 'NaN rate',
      points: [
        [4, Number.NaN],
        [2, 96],
        [8, 240],
      ],
      expected: 1,
    },
    // β = 100; (100·1 + 8·110)/(1+64)/100 = 980/6500 = 0.151 → clamped to 0.5
    {
      name: 'clamped at coefficient-min',
      points: [
        [1, 100],
        [8, 110],
      ],
      min: 1,
      expected: 0.5,
    },
    // super-linear (α > 1) is clamped to 1
    {
      name: 'clamped at 1',
      points: [
        [2, 100],
        [4, 300],
      ],
      min: 1,
      expected: 1,
    },
    // equal smallest parallelism: the newest wins (β = 120/2 = 60); (240+120+480)/(4+4+16)/60 = 840/1440 = 0.583 → 0.59
    {
      name: 'newest of equal smallest',
      points: [
        [2, 60],
        [2, 120],
        [4, 120],
      ],
      expected: 0.59,
    },
  ])('$name → $expected', ({ points, min, coefMin, expected }) => {
    expect(observedScalabilityCoefficient(history(points), options(min, coefMin))).toBe(expected);
  });

  it('always lies in [coefficient-min, 1] with at most 2 decimals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.1, max: 1e6, noNaN: true })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (points, coefMin) => {
          const alpha = observedScalabilityCoefficient(history(points), options(1, coefMin));
          expect(alpha).toBeGreaterThanOrEqual(ceilToHundredths(coefMin) - 1e-12);
          expect(alpha).toBeLessThanOrEqual(1);
          expect(Math.abs(alpha * 100 - Math.round(alpha * 100))).toBeLessThan(1e-6);
        },
      ),
    );
  });
});

describe('ceilToHundredths', () => {
  it.each([
    [0.7, 0.7],
    [0.6825, 0.69],
    [0.581, 0.59],
    [1, 1],
    [0.01, 0.01],
    [0.001, 0.01],
    [0.29, 0.29], // 0.29 × 100 = 28.999999999999996 in binary
    [0.57, 0.57], // 0.57 × 100 = 56.99999999999999
  ])('%d → %d', (value, expected) => {
    expect(ceilToHundredths(value)).toBe(expected);
  });
});
