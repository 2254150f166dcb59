import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScalingSummary } from '../../../lib/domain/index.ts';
import { pendingShortfallCheck } from '../../../lib/scale/scale-up-shortfall.ts';
import { decideAfterScaleUp, MIN, T0 } from './after-scale-up-fixture.ts';
/** The scale-up 4 → 20 measured 2000 rec/s at 4 subtasks: expected 2000 / 4 × 20 = 10 000 rec/s. */
const FROM = 4;
const TPR_BEFORE = 2000;

interface Case {
  /** Current parallelism (the scale-up's new parallelism unless `scaledTo` says otherwise). */
  cur?: number;
  tpr: number;
  tdr: number;
  catchUpDataRate?: number;
  /** Minutes since the scale-up. */
  minutes?: number;
  drained?: boolean;
  backlog?: boolean;
  /** false = an entry without the mark (older versions, or the check already spent). */
  due?: boolean;
  /** The scale-up's new parallelism when it differs from `cur`. */
  scaledTo?: number;
  /** TARGET_DATA_RATE at the scale-up's decision. @default `tdr` (the load has not grown since) */
  decidedTdr?: number;
  /** Sources whose load still rises over the window. */
  risingSources?: readonly string[];
  config?: Record<string, string>;
}

function scaleUp(c: Case): ScalingSummary {
  const to = c.scaledTo ?? c.cur ?? 20;
  return {
    tsMs: T0,
    currentParallelism: FROM,
    newParallelism: to,
    metrics: {
      trueProcessingRateAvg: TPR_BEFORE,
      expectedProcessingRate: (TPR_BEFORE / FROM) * to,
      targetDataRateAvg: c.decidedTdr ?? c.tdr,
    },
    ...(c.due === false ? {} : { shortfallCheckDue: true }),
  };
}

function run(c: Case) {
  return decideAfterScaleUp({ ...c, cur: c.cur ?? 20 }, [scaleUp(c)]);
}

describe('scale-up shortfall correction (computeVertexParallelism)', () => {
  it.each<{
    name: string;
    c: Case;
    expected: number;
    corrected: boolean;
    spent?: boolean;
    text: string;
  }>([
    // 8000 < 10 000 × 0.95 and 6000 / 8000 = 0.75 > 0.7 × 1.05 = 0.735 → steady = round(6000 / 0.7) = 8571,
    // f = 8571 / 8000 = 1.071 → ⌈21.4⌉ = 22; BALANCED: ⌊720/22⌋ = 32, first p with ⌊720/p⌋ < 32 is 23
    {
      name: 'corrects a scale-up that fell short, one window after it, at the measured rate',
      c: { tpr: 8000, tdr: 6000 },
      expected: 23,
      corrected: true,
      text: 'scale-up shortfall correction: the scale-up 4 → 20',
    },
    {
      name: 'waits for one metrics.window after the scale-up',
      c: { tpr: 8000, tdr: 6000, minutes: 14 },
      expected: 20,
      corrected: false,
      text: 'one metrics.window (15 min)',
    },
    {
      name: 'waits while the backlog is not drained',
      c: { tpr: 8000, tdr: 6000, drained: false },
      expected: 20,
      corrected: false,
      text: 'the backlog is not drained yet',
    },
    {
      name: 'never while the job processes backlog',
      c: { tpr: 8000, tdr: 6000, backlog: true },
      expected: 20,
      corrected: false,
      text: 'the backlog is not drained yet',
    },
    // 9600 ≥ 10 000 × 0.95: the linear model held, and the load has not grown since
    {
      name: 'spends the check when the rate reached the expected one within the tolerance',
      c: { tpr: 9600, tdr: 7400 },
      expected: 20,
      corrected: false,
      spent: true,
      text: 'within 0.05 of the expected rate',
    },
    // 5600 / 8000 = 0.7: short of the expected rate, but the vertex meets its target
    {
      name: 'spends the check when the shortfall still meets the utilization target',
      c: { tpr: 8000, tdr: 5600 },
      expected: 20,
      corrected: false,
      spent: true,
      text: 'at or below utilization.target × (1 + 0.05) = 0.735',
    },
    // the correction is limited like any scale-up: alignment may not go above vertex.max-parallelism 22
    {
      name: 'respects vertex.max-parallelism',
      c: { tpr: 8000, tdr: 6000, config: { 'job.autoscaler.vertex.max-parallelism': '22' } },
      expected: 22,
      corrected: true,
      text: 'scale-up 20 → 22',
    },
    {
      name: 'needs the mark on the newest entry (older versions, or already checked)',
      c: { tpr: 8000, tdr: 6000, due: false },
      expected: 20,
      corrected: false,
      text: 'within [6000, 15000]',
    },
    {
      name: 'not when the parallelism changed since the scale-up',
      c: { tpr: 8000, tdr: 6000, scaledTo: 24 },
      expected: 20,
      corrected: false,
      text: 'within [6000, 15000]',
    },
    {
      name: 'is off with scale-up.shortfall.enabled and scale-up.load-step.enabled false',
      c: {
        tpr: 8000,
        tdr: 6000,
        decidedTdr: 4000,
        config: {
          'job.autoscaler.scale-up.shortfall.enabled': 'false',
          'job.autoscaler.scale-up.load-step.enabled': 'false',
        },
      },
      expected: 20,
      corrected: false,
      text: 'within [6000, 15000]',
    },
  ])('$name', ({ c, expected, corrected, spent, text }) => {
    const result = run(c);
    const executed = result.change.outsideUtilizationBound ? result.change.newParallelism : 20;
    expect(executed).toBe(expected);
    expect(result.decision.reasons.includes('shortfall-correction')).toBe(corrected);
    // A correction must trigger a scaling on its own: it counts as outside the utilization bound.
    if (corrected) expect(result.change.outsideUtilizationBound).toBe(true);
    expect(result.shortfallCheckSpent ?? false).toBe(spent ?? false);
    expect(result.decision.why).toContain(text);
    // No check due at all: the decision does not mention one.
    if (text.startsWith('within [')) expect(result.decision.why).not.toContain('shortfall');
  });

  describe('load-step correction', () => {
    // Decided for 4000 rec/s; the rate reached is as expected (9600 ≥ 10 000 × 0.95), but the load grew
    // to 7400 > 4000 × 1.05 and 7400 / 9600 = 0.77 > 0.735: steady = round(7400 / 0.7) = 10 571,
    // f = 10 571 / 9600 = 1.10 → ⌈22.02⌉ = 23 → BALANCED 24 (720 mod 24 = 0)
    const grown: Case = { tpr: 9600, tdr: 7400, decidedTdr: 4000 };

    it('scales once more to the current rate when the load grew after a scale-up that only partly saw it', () => {
      const result = run(grown);
      expect(result.change).toMatchObject({ newParallelism: 24, outsideUtilizationBound: true, noChange: false });
      expect(result.decision.reasons).toContain('load-step-correction');
      expect(result.decision.reasons).not.toContain('shortfall-correction');
      expect(result.decision.why).toContain(
        'load-step correction: the scale-up 4 → 20 at 2023-11-14T22:13:20.000Z expected 10000 rec/s for a target data rate of 4000 rec/s, which has grown to 7400 rec/s since',
      );
    });

    it('applies with the shortfall correction off, and is off with scale-up.load-step.enabled false', () => {
      const withoutShortfall = run({ ...grown, config: { 'job.autoscaler.scale-up.shortfall.enabled': 'false' } });
      expect(withoutShortfall.decision.reasons).toContain('load-step-correction');
      const off = run({ ...grown, config: { 'job.autoscaler.scale-up.load-step.enabled': 'false' } });
      expect(off.decision.reasons).not.toContain('load-step-correction');
      expect(off.shortfallCheckSpent).toBe(true);
      expect(off.decision.why).toContain('within 0.05 of the expected rate');
    });

    it('waits, check kept due, while the load still rises over the window (a ramp, not a step)', () => {
      const result = run({ ...grown, risingSources: ['src'] });
      expect(result.change.outsideUtilizationBound).toBe(false);
      expect(result.decision.reasons).not.toContain('load-step-correction');
      expect(result.shortfallCheckSpent ?? false).toBe(false);
      expect(result.decision.why).toContain('load-step correction waits');
      expect(result.decision.why).toContain('the load of src still rises over the window');
      // The load settled: the next cycle corrects.
      expect(run(grown).decision.reasons).toContain('load-step-correction');
    });

    it('does not correct a load that grew when the vertex still meets its target', () => {
      // 7400 / 12 000 = 0.62 ≤ 0.735
      const result = run({ tpr: 12_000, tdr: 7400, decidedTdr: 4000 });
      expect(result.decision.reasons).not.toContain('load-step-correction');
      expect(result.shortfallCheckSpent).toBe(true);
    });
  });

  it('takes the regular rule’s larger recommendation (restart catch-up included) and lets it through the band', () => {
    // capacity = 8571 + 2000 catch-up = 10 571 → f = 1.32 → ⌈26.4⌉ = 27 → BALANCED 28 (⌊720/28⌋ = 25 < 26)
    const result = run({ tpr: 8000, tdr: 6000, catchUpDataRate: 2000 });
    expect(result.change).toMatchObject({ newParallelism: 28, outsideUtilizationBound: true, noChange: false });
    expect(result.decision.reasons).toContain('shortfall-correction');
    expect(result.decision.why).toContain('the regular rule recommends more');
  });

  it('is blocked like any scale-up when the last scale-up was ineffective', () => {
    // 2000 → 2100 rec/s for an expected +8000: 1.25 % < scaling.effectiveness.threshold 10 %
    const result = run({
      tpr: 2100,
      tdr: 1800,
      config: { 'job.autoscaler.scaling.effectiveness.detection.enabled': 'true' },
    });
    expect(result.change.noChange).toBe(true);
    expect(result.decision.reasons).toEqual(expect.arrayContaining(['shortfall-correction', 'ineffective-scaling']));
    expect(result.events.map((e) => e.reason)).toContain('IneffectiveScaling');
  });
});

describe('pendingShortfallCheck', () => {
  it('is the newest entry only, a scale-up still at its parallelism', () => {
    const up = scaleUp({ tpr: 0, tdr: 0 });
    const later: ScalingSummary = { ...up, tsMs: T0 + 20 * MIN, currentParallelism: 20, newParallelism: 23 };
    expect(pendingShortfallCheck([up], 20)).toBe(up);
    expect(pendingShortfallCheck([up], 23)).toBeUndefined();
    const { shortfallCheckDue: _mark, ...laterUnmarked } = later;
    expect(pendingShortfallCheck([up, laterUnmarked], 23)).toBeUndefined();
    expect(pendingShortfallCheck([up, later], 23)).toBe(later);
    const down: ScalingSummary = { ...up, currentParallelism: 30, newParallelism: 20 };
    expect(pendingShortfallCheck([down], 20)).toBeUndefined();
  });
});

const shortfallCase = fc.record({
  cur: fc.integer({ min: 5, max: 300 }),
  reachedFraction: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
  utilization: fc.double({ min: 0.01, max: 1.5, noNaN: true }),
  minutes: fc.integer({ min: 0, max: 120 }),
  drained: fc.boolean(),
  backlog: fc.boolean(),
  tolerance: fc.double({ min: 0, max: 0.5, noNaN: true }),
  target: fc.double({ min: 0.1, max: 1, noNaN: true }),
});

describe('scale-up shortfall properties', () => {
  it('corrects only one window after the scale-up, drained, short of the expected rate and above the target', () => {
    fc.assert(
      fc.property(shortfallCase, (s) => {
        const expectedRate = (TPR_BEFORE / FROM) * s.cur;
        const tpr = expectedRate * s.reachedFraction;
        const result = run({
          cur: s.cur,
          tpr,
          tdr: tpr * s.utilization,
          minutes: s.minutes,
          drained: s.drained,
          backlog: s.backlog,
          config: {
            'job.autoscaler.scale-up.shortfall.tolerance': String(s.tolerance),
            'job.autoscaler.utilization.target': String(s.target),
          },
        });
        if (!result.decision.reasons.includes('shortfall-correction')) return;
        expect(s.minutes).toBeGreaterThanOrEqual(15);
        expect(s.drained && !s.backlog).toBe(true);
        expect(tpr).toBeLessThan(expectedRate * (1 - s.tolerance));
        expect(s.utilization).toBeGreaterThan(s.target * (1 + s.tolerance) * (1 - 1e-9));
        // always a scale-up that triggers on its own (unless an ineffective scale-up blocks it)
        if (!result.change.noChange) {
          expect(result.change.newParallelism).toBeGreaterThan(s.cur);
          expect(result.change.outsideUtilizationBound).toBe(true);
        }
      }),
    );
  });
});
