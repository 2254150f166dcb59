import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScalingSummary } from '../../../lib/domain/index.ts';
import { pendingSettleScaleUp } from '../../../lib/scale/catch-up-settle.ts';
import { decideAfterScaleUp, MIN, T0 } from './after-scale-up-fixture.ts';

interface Case {
  /** Current parallelism (the scale-up's new parallelism unless `scaledTo` says otherwise). */
  cur: number;
  tpr: number;
  tdr: number;
  /** Minutes since the scale-up. */
  minutes?: number;
  drained?: boolean;
  backlog?: boolean;
  /** The history entry's catch-up capacity; undefined = an entry without one (older versions). */
  catchUp?: number | undefined;
  /** The scale-up's new parallelism when it differs from `cur`. */
  scaledTo?: number;
  /** The newest entry is a scale-down instead of a scale-up. */
  lastWasScaleDown?: boolean;
  config?: Record<string, string>;
}

function scaleUp(c: Case): ScalingSummary {
  const to = c.scaledTo ?? c.cur;
  const from = c.lastWasScaleDown ? to + 10 : 4;
  return {
    tsMs: T0,
    currentParallelism: from,
    newParallelism: to,
    metrics: {
      trueProcessingRateAvg: 2000,
      expectedProcessingRate: (2000 / from) * to,
      targetDataRateAvg: 4000,
    },
    ...('catchUp' in c
      ? c.catchUp === undefined
        ? {}
        : { catchUpCapacity: c.catchUp }
      : { catchUpCapacity: 4000 }),
  };
}

function run(c: Case) {
  return decideAfterScaleUp(c, [scaleUp(c)]);
}

describe('catch-up settle (computeVertexParallelism)', () => {
  it.each<{ name: string; c: Case; expected: number; settled: boolean; spent?: boolean; text: string }>([
    // steady = round(6000 / 0.7) = 8571; f = 8571 / 15000 = 0.571 → ⌈17.14⌉ = 18; 720 / 18 = 40 (divisor)
    // → 18 at once (the main path would only start the 1 h delayed scale-down)
    {
      name: 'settles to the steady-state target once drained, one window after the scale-up',
      c: { cur: 30, tpr: 15_000, tdr: 6000 },
      expected: 18,
      settled: true,
      text: 'catch-up settle: the scale-up 4 → 30',
    },
    // 14 min < metrics.window 15 min: rates may still include the old parallelism
    {
      name: 'waits for one metrics.window after the scale-up',
      c: { cur: 30, tpr: 15_000, tdr: 6000, minutes: 14 },
      expected: 30,
      settled: false,
      text: 'one metrics.window (15 min)',
    },
    {
      name: 'waits while the backlog is not drained',
      c: { cur: 30, tpr: 15_000, tdr: 6000, drained: false },
      expected: 30,
      settled: false,
      text: 'the backlog is not drained yet',
    },
    {
      name: 'never while the job processes backlog',
      c: { cur: 30, tpr: 15_000, tdr: 6000, backlog: true },
      expected: 30,
      settled: false,
      text: 'the backlog is not drained yet',
    },
    // steady = round(10000 / 0.7) = 14286; f = 0.952 → ⌈28.57⌉ = 29; BALANCED 29 → 30 (720/30 = 24) = cur
    {
      name: 'spends the check when the steady-state target needs the current parallelism',
      c: { cur: 30, tpr: 15_000, tdr: 10_000 },
      expected: 30,
      settled: false,
      spent: true,
      text: 'catch-up settle not needed',
    },
    // f = round(1000 / 0.7) / 15000 = 0.095 → limited to 1 − 0.6 = 0.4 → 12 (720/12 = 60)
    {
      name: 'is limited by scale-down.max-factor',
      c: { cur: 30, tpr: 15_000, tdr: 1000 },
      expected: 12,
      settled: true,
      text: 'limited by scale-down.max-factor 0.6',
    },
    // 18 raised to the lower limit min(30, vertex.min-parallelism 20) = 20 (720/20 = 36)
    {
      name: 'respects vertex.min-parallelism',
      c: { cur: 30, tpr: 15_000, tdr: 6000, config: { 'job.autoscaler.vertex.min-parallelism': '20' } },
      expected: 20,
      settled: true,
      text: 'raised to 20',
    },
    // Without a recorded catch-up part (history from an older version, vectors) it is the operator.
    {
      name: 'needs a recorded catch-up part',
      c: { cur: 30, tpr: 15_000, tdr: 6000, catchUp: undefined },
      expected: 30,
      settled: false,
      text: 'delayed by scale-down.interval',
    },
    {
      name: 'follows scale-ups only',
      c: { cur: 30, tpr: 15_000, tdr: 6000, lastWasScaleDown: true },
      expected: 30,
      settled: false,
      text: 'delayed by scale-down.interval',
    },
    {
      name: 'not when the parallelism changed since the scale-up',
      c: { cur: 30, tpr: 15_000, tdr: 6000, scaledTo: 24 },
      expected: 30,
      settled: false,
      text: 'delayed by scale-down.interval',
    },
    {
      name: 'is off with catch-up.settle.enabled false',
      c: { cur: 30, tpr: 15_000, tdr: 6000, config: { 'job.autoscaler.catch-up.settle.enabled': 'false' } },
      expected: 30,
      settled: false,
      text: 'delayed by scale-down.interval',
    },
  ])('$name', ({ c, expected, settled, spent, text }) => {
    const result = run(c);
    expect(result.change.newParallelism).toBe(expected);
    expect(result.decision.reasons.includes('catch-up-settle')).toBe(settled);
    // A settle must trigger a scaling on its own: it counts as outside the utilization bound.
    if (settled) expect(result.change.outsideUtilizationBound).toBe(true);
    expect(result.settleCheckSpent ?? false).toBe(spent ?? false);
    expect(result.decision.why).toContain(text);
  });
});

describe('pendingSettleScaleUp', () => {
  it('is the newest entry only: after a settle (a scale-down) nothing is pending', () => {
    const up = scaleUp({ cur: 30, tpr: 0, tdr: 0 });
    const settle: ScalingSummary = { ...up, tsMs: T0 + 20 * MIN, currentParallelism: 30, newParallelism: 18 };
    expect(pendingSettleScaleUp([up], 30)).toBe(up);
    expect(pendingSettleScaleUp([up, settle], 18)).toBeUndefined();
    expect(pendingSettleScaleUp([{ ...up, catchUpCapacity: 0 }], 30)).toBeUndefined();
  });
});

const settleCase = fc.record({
  cur: fc.integer({ min: 2, max: 300 }),
  perSubtask: fc.double({ min: 1, max: 10_000, noNaN: true }),
  tdr: fc.double({ min: 0, max: 1e6, noNaN: true }),
  minutes: fc.integer({ min: 0, max: 120 }),
  drained: fc.boolean(),
  backlog: fc.boolean(),
  minP: fc.integer({ min: 1, max: 50 }),
  maxDown: fc.double({ min: 0, max: 1, noNaN: true }),
  target: fc.double({ min: 0.05, max: 1, noNaN: true }),
});

describe('catch-up settle properties', () => {
  it('never settles while processing backlog, before the backlog is drained, or within one window', () => {
    fc.assert(
      fc.property(settleCase, (s) => {
        const result = run(caseOf(s));
        if (s.backlog || !s.drained || s.minutes < 15) {
          expect(result.decision.reasons).not.toContain('catch-up-settle');
        }
      }),
    );
  });

  it('never goes below the steady-state target or the lower limit, and always scales down', () => {
    fc.assert(
      fc.property(settleCase, (s) => {
        const result = run(caseOf(s));
        if (!result.decision.reasons.includes('catch-up-settle')) return;
        const p = result.change.newParallelism;
        const tpr = s.perSubtask * s.cur;
        const steady = Math.floor(s.tdr / s.target + 0.5);
        expect(p).toBeLessThan(s.cur);
        expect(p).toBeGreaterThanOrEqual(Math.min(s.cur, s.minP));
        // Linear expectation at p: TPR / cur × p ≥ steady-state target (relative rounding slack).
        expect((tpr / s.cur) * p).toBeGreaterThanOrEqual(steady * (1 - 1e-9));
        // and never more than scale-down.max-factor below the current parallelism
        expect(p).toBeGreaterThanOrEqual(Math.floor(s.cur * (1 - s.maxDown)));
      }),
    );
  });
});

type SettleCase = typeof settleCase extends fc.Arbitrary<infer T> ? T : never;

function caseOf(s: SettleCase): Case {
  return {
    cur: s.cur,
    tpr: s.perSubtask * s.cur,
    tdr: s.tdr,
    minutes: s.minutes,
    drained: s.drained,
    backlog: s.backlog,
    config: {
      'job.autoscaler.vertex.min-parallelism': String(s.minP),
      'job.autoscaler.scale-down.max-factor': String(s.maxDown),
      'job.autoscaler.utilization.target': String(s.target),
    },
  };
}
