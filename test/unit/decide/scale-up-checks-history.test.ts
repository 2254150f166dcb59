import { describe, expect, it } from 'vitest';
import { emptyJobState, type ScalingSummary } from '../../../lib/domain/index.ts';
import { decide } from '../../../lib/decide/decide.ts';
import { decideInput, MAP, MINUTE, T0 } from './decide-fixtures.ts';

describe('decide records and spends the catch-up part of scale-ups (catch-up settle)', () => {
  it('records target capacity − round(TDR / utilization.target) on every scale-up', () => {
    // The fixture's backlog grows 2000 rec/s: the scale-up's target capacity includes catch-up.
    const out = decide(decideInput());
    expect(out.decision.action).toBe('scale');
    for (const vertex of out.decision.vertices.filter((v) => v.changed)) {
      const entry = out.state.scalingHistory[vertex.vertexId]?.at(-1);
      const steady = Math.floor(vertex.targetDataRateAvg / 0.7 + 0.5);
      expect(entry?.catchUpCapacity).toBe(vertex.targetCapacity - steady);
      expect(entry?.catchUpCapacity).toBeGreaterThan(0);
    }
  });

  it('records nothing with catch-up.settle.enabled false (the operator)', () => {
    const out = decide(decideInput({ configuration: { 'job.autoscaler.catch-up.settle.enabled': 'false' } }));
    expect(out.decision.action).toBe('scale');
    const entries = Object.values(out.state.scalingHistory).flat();
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.catchUpCapacity === undefined)).toBe(true);
  });

  it('spends the one check when the drained job needs its parallelism: the entry loses its catch-up part', () => {
    // MAP scaled up 1 → 2 twenty minutes ago; no lag now. TPR = 3000 / 0.56 ≈ 5357 at 2 subtasks,
    // steady = round(3000 / 0.7) = 4286 → f = 0.8 → ⌈1.6⌉ = 2 = current → nothing to settle.
    const scaleUp: ScalingSummary = {
      tsMs: T0 - 20 * MINUTE,
      currentParallelism: 1,
      newParallelism: 2,
      metrics: { trueProcessingRateAvg: 2600, expectedProcessingRate: 5200, targetDataRateAvg: 3000 },
      catchUpCapacity: 700,
    };
    const state = { ...emptyJobState(), scalingHistory: { [MAP]: [scaleUp] } };
    const out = decide(decideInput({ state, lagGrowthPerSecond: 0, initialLag: 0 }));
    const map = out.decision.vertices.find((v) => v.vertexId === MAP);
    expect(map?.why).toContain('catch-up settle not needed');
    expect(map?.reasons).not.toContain('catch-up-settle');
    const { catchUpCapacity: _spent, ...withoutCatchUp } = scaleUp;
    expect(out.state.scalingHistory[MAP]?.at(-1)).toEqual(withoutCatchUp);
  });
});

describe('decide marks and spends the scale-up shortfall check', () => {
  it('marks every executed scale-up, and nothing with the shortfall and load-step corrections off', () => {
    const out = decide(decideInput());
    expect(out.decision.action).toBe('scale');
    const changed = out.decision.vertices.filter((v) => v.changed);
    expect(changed.length).toBeGreaterThan(0);
    for (const vertex of changed) {
      const entry = out.state.scalingHistory[vertex.vertexId]?.at(-1);
      expect(entry?.shortfallCheckDue).toBe(vertex.recommendedParallelism > vertex.currentParallelism ? true : undefined);
    }
    const off = decide(
      decideInput({
        configuration: {
          'job.autoscaler.scale-up.shortfall.enabled': 'false',
          'job.autoscaler.scale-up.load-step.enabled': 'false',
        },
      }),
    );
    expect(Object.values(off.state.scalingHistory).flat().every((e) => e.shortfallCheckDue === undefined)).toBe(true);
  });

  it('spends the one check when the scale-up reached its expected rate: the entry loses its mark', () => {
    // MAP scaled up 1 → 2 twenty minutes ago expecting 5200 rec/s; it reaches TPR ≈ 5357 now.
    const scaleUp: ScalingSummary = {
      tsMs: T0 - 20 * MINUTE,
      currentParallelism: 1,
      newParallelism: 2,
      metrics: { trueProcessingRateAvg: 2600, expectedProcessingRate: 5200, targetDataRateAvg: 3000 },
      shortfallCheckDue: true,
    };
    const state = { ...emptyJobState(), scalingHistory: { [MAP]: [scaleUp] } };
    const out = decide(decideInput({ state, lagGrowthPerSecond: 0, initialLag: 0 }));
    const map = out.decision.vertices.find((v) => v.vertexId === MAP);
    expect(map?.why).toContain('scale-up shortfall check');
    expect(map?.why).toContain('within 0.05 of the expected rate');
    expect(map?.reasons).not.toContain('shortfall-correction');
    const { shortfallCheckDue: _spent, ...withoutMark } = scaleUp;
    expect(out.state.scalingHistory[MAP]?.at(-1)).toEqual(withoutMark);
  });
});
