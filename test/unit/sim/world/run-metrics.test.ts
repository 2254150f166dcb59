import { describe, expect, it } from 'vitest';
import { isConverged, runMetrics } from '../../../../sim/world/run-metrics.ts';
import { aRun, point, rescale, tick } from './world-run-builder.ts';

describe('runMetrics', () => {
  it('counts rescales to converge, after convergence, parallelism-hours and lag minutes', () => {
    // A decision at tick t shows in the parallelism from tick t + 1 (the operator rolls it out).
    // autoscaler: work 2 → 12 decided at minute 1 (overshoot), → 10 at minute 2; oracle 10 throughout
    // baseline: work 2 → 4 decided at minute 1, lags from minute 1 to 3
    const run = aRun(
      [
        tick(1, { src: point(1, 1, 2), work: point(2, 10, 2) }, 120, 120),
        tick(2, { src: point(1, 1, 4), work: point(12, 10, 4) }, 30, 200),
        tick(3, { src: point(1, 1, 4), work: point(10, 10, 4) }, 0, 300),
        tick(4, { src: point(1, 1, 4), work: point(10, 10, 4) }, 0, 0),
      ],
      [
        rescale(1, 'autoscaler', 'work', 2, 12),
        rescale(1, 'baseline', 'work', 2, 4),
        rescale(2, 'autoscaler', 'work', 12, 10),
      ],
    );
    const { autoscaler, baseline } = runMetrics(run);
    // minute 2: Σp 13 > 1.1 × 11 = 12.1 → not converged; minute 3: 11 ≤ 12.1 → converged after 2 rescales
    expect(autoscaler).toMatchObject({
      rescales: 2,
      rescalesToConverge: 2,
      convergedAtMs: 3 * 60_000,
      rescalesAfterConvergence: 0,
      finalParallelism: 11,
      finalOracle: 11,
      finalRatio: 1,
      minutesLagAboveTarget: 1,
      maxLagSeconds: 120,
    });
    // (3 + 13 + 11 + 11) parallelism-minutes = 38 / 60 h; oracle 4 × 11 = 44 minutes
    expect(autoscaler.parallelismHours).toBeCloseTo(38 / 60, 10);
    expect(autoscaler.oracleParallelismHours).toBeCloseTo(44 / 60, 10);
    expect(baseline).toMatchObject({
      rescales: 1,
      rescalesToConverge: undefined,
      convergedAtMs: undefined,
      finalParallelism: 8,
      minutesLagAboveTarget: 3,
    });
  });

  it('does not count a decision that changed nothing as a rescale', () => {
    const run = aRun(
      [tick(1, { src: point(1, 1), work: point(4, 4) })],
      [rescale(1, 'autoscaler', 'work', 4, 4)],
    );
    expect(runMetrics(run).autoscaler.rescales).toBe(0);
  });

  it.each([
    { p: [1, 10], oracle: [1, 10], converged: true },
    { p: [1, 11], oracle: [1, 10], converged: true }, // 12 ≤ 12.1
    { p: [2, 11], oracle: [1, 10], converged: false }, // 13 > 12.1
    { p: [1, 9], oracle: [1, 8], converged: false }, // 10 > 9.9
    { p: [2, 7], oracle: [1, 8], converged: false }, // work below the oracle
  ])('isConverged $p vs $oracle → $converged', ({ p, oracle, converged }) => {
    const t = tick(0, { src: point(p[0] ?? 0, oracle[0] ?? 0), work: point(p[1] ?? 0, oracle[1] ?? 0) });
    expect(isConverged(t, 'autoscaler')).toBe(converged);
  });
});

describe('runMetrics after the last load change', () => {
  it('measures convergence from the last change of the oracle, not from a balanced start', () => {
    // minutes 1–2 balanced at oracle 5; the load steps at minute 3 (oracle 10); the autoscaler
    // decides 5 → 8 at minute 3 and 8 → 10 at minute 4: converged at minute 5 after 2 rescales.
    const run = aRun(
      [
        tick(1, { work: point(5, 5) }),
        tick(2, { work: point(5, 5) }),
        tick(3, { work: point(5, 10, 5) }),
        tick(4, { work: point(8, 10, 5) }),
        tick(5, { work: point(10, 10, 5) }),
      ],
      [rescale(3, 'autoscaler', 'work', 5, 8), rescale(4, 'autoscaler', 'work', 8, 10)],
    );
    const metrics = runMetrics(run);
    expect(metrics.lastLoadChangeMs).toBe(3 * 60_000);
    expect(metrics.autoscaler).toMatchObject({
      rescalesToConverge: 2,
      convergedAtMs: 5 * 60_000,
      rescalesAfterConvergence: 0,
    });
    // the baseline stays at 5: converged before the change, never after it
    expect(metrics.baseline).toMatchObject({ rescalesToConverge: undefined, convergedAtMs: undefined });
  });
});
