import { describe, expect, it } from 'vitest';
import { emptyJobState, type ScalingSummary } from '../../../lib/domain/index.ts';
import { decide } from '../../../lib/executor/decide.ts';
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
