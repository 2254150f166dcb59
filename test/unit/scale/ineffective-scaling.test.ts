import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../../lib/config/index.ts';
import type { ScalingSummary } from '../../../lib/domain/index.ts';
import { detectIneffectiveScaleUp, formatJavaDouble } from '../../../lib/scale/ineffective-scaling.ts';

function summary(cur: number, next: number, tpr: number, epr: number): ScalingSummary {
  return {
    tsMs: 0,
    currentParallelism: cur,
    newParallelism: next,
    metrics: { trueProcessingRateAvg: tpr, expectedProcessingRate: epr, targetDataRateAvg: Number.NaN },
  };
}

const options = (enabled: boolean, threshold = 0.1) => ({
  ...defaultOptions(),
  scalingEffectivenessDetectionEnabled: enabled,
  scalingEffectivenessThreshold: threshold,
});

describe('detectIneffectiveScaleUp', () => {
  it.each<{
    name: string;
    cur: number;
    tpr: number;
    history: ScalingSummary[];
    enabled: boolean;
    expected: { checked: boolean; ineffective: boolean; blockScaleUp: boolean };
  }>([
    // expected +90 (180−90), actual +4 (94−90): 4/90 = 0.044 < 0.1
    {
      name: 'ineffective, blocking',
      cur: 20,
      tpr: 94,
      history: [summary(10, 20, 90, 180)],
      enabled: true,
      expected: { checked: true, ineffective: true, blockScaleUp: true },
    },
    {
      name: 'ineffective, not blocking',
      cur: 20,
      tpr: 90,
      history: [summary(10, 20, 90, 180)],
      enabled: false,
      expected: { checked: true, ineffective: true, blockScaleUp: false },
    },
    // +40 of +50 expected = 0.8 ≥ 0.1
    {
      name: 'effective',
      cur: 10,
      tpr: 90,
      history: [summary(5, 10, 50, 100)],
      enabled: true,
      expected: { checked: true, ineffective: false, blockScaleUp: false },
    },
    // current 10 ≠ last new 20: manual rescale, not judged
    {
      name: 'manual rescale',
      cur: 10,
      tpr: 90,
      history: [summary(10, 20, 90, 180)],
      enabled: true,
      expected: { checked: false, ineffective: false, blockScaleUp: false },
    },
    // last summary was a scale-down
    {
      name: 'last was a scale-down',
      cur: 5,
      tpr: 10,
      history: [summary(10, 5, 90, 45)],
      enabled: true,
      expected: { checked: false, ineffective: false, blockScaleUp: false },
    },
    {
      name: 'no history',
      cur: 5,
      tpr: 10,
      history: [],
      enabled: true,
      expected: { checked: false, ineffective: false, blockScaleUp: false },
    },
    // expected increase 0 and actual 0: 0/0 = NaN → ineffective (as in Java)
    {
      name: 'NaN ratio counts as ineffective',
      cur: 20,
      tpr: 90,
      history: [summary(10, 20, 90, 90)],
      enabled: true,
      expected: { checked: true, ineffective: true, blockScaleUp: true },
    },
  ])('$name', ({ cur, tpr, history, enabled, expected }) => {
    const result = detectIneffectiveScaleUp({
      vertexId: 'v1',
      currentParallelism: cur,
      trueProcessingRateAvg: tpr,
      history,
      options: options(enabled),
    });
    expect(result).toMatchObject(expected);
    expect(result.events).toHaveLength(expected.ineffective ? 1 : 0);
  });

  it('writes the IneffectiveScaling event with the operator text and key (docs/algorithm.md §4.5)', () => {
    const result = detectIneffectiveScaleUp({
      vertexId: 'v1',
      currentParallelism: 20,
      trueProcessingRateAvg: 94,
      history: [summary(5, 10, 50, 100), summary(10, 20, 90, 180)],
      options: options(true),
    });
    expect(result.events).toEqual([
      {
        reason: 'IneffectiveScaling',
        type: 'Normal',
        message:
          'Ineffective scaling detected for v1 (expected increase: 90.0, actual increase 4.0). ' +
          'Blocking of ineffective scaling decisions is enabled',
        messageKey: 'ineffectivev190.0',
        dedupeIntervalMs: 30 * 60_000,
      },
    ]);
  });
});

describe('formatJavaDouble', () => {
  it.each([
    [90, '90.0'],
    [4.5, '4.5'],
    [-3, '-3.0'],
    [-0, '-0.0'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
  ])('%d → %s', (value, expected) => {
    expect(formatJavaDouble(value)).toBe(expected);
  });
});
