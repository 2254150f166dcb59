import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cycleStartsOfTick,
  EXACT_TIMING,
  REALISTIC_TIMING,
  tickTimingNamed,
} from '../../../../sim/world/tick-timing.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 4, 12);

function startsOf(ticks: number, timing = REALISTIC_TIMING) {
  return Array.from({ length: ticks }, (_, i) => cycleStartsOfTick(timing, i, T0 + i * MINUTE));
}

describe('cycleStartsOfTick', () => {
  it('exact timing: one cycle at every tick', () => {
    expect(startsOf(5, EXACT_TIMING)).toEqual([0, 1, 2, 3, 4].map((i) => [T0 + i * MINUTE]));
  });

  it('realistic timing: every cycle 0.2–5 s after its tick, duplicates after the first delivery', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat({ max: 100_000 }), (seed, tickIndex) => {
        const tickMs = T0 + tickIndex * MINUTE;
        const starts = cycleStartsOfTick({ ...REALISTIC_TIMING, seed }, tickIndex, tickMs);
        expect(starts.length).toBeLessThanOrEqual(2);
        if (starts[0] !== undefined) {
          expect(starts[0] - tickMs).toBeGreaterThanOrEqual(200);
          expect(starts[0] - tickMs).toBeLessThanOrEqual(5_000);
        }
        if (starts[1] !== undefined) {
          expect(starts[1]).toBeGreaterThan(starts[0]!);
          expect(starts[1] - starts[0]!).toBeLessThanOrEqual(10_001);
        }
      }),
    );
  });

  it('misses about 1 % of ticks and delivers about 1 % twice, over a simulated week', () => {
    const week = startsOf(7 * 24 * 60);
    const missed = week.filter((s) => s.length === 0).length / week.length;
    const twice = week.filter((s) => s.length === 2).length / week.length;
    // 10,080 ticks: a 1 % rate lands within ±0.35 % with overwhelming probability (σ ≈ 0.1 %).
    expect(missed).toBeGreaterThan(0.0065);
    expect(missed).toBeLessThan(0.0135);
    expect(twice).toBeGreaterThan(0.0065);
    expect(twice).toBeLessThan(0.0135);
    // Delays spread over the whole range, not bunched at one value.
    const delays = week.flatMap((s, i) => (s[0] === undefined ? [] : [s[0] - (T0 + i * MINUTE)]));
    expect(Math.min(...delays)).toBeLessThan(300);
    expect(Math.max(...delays)).toBeGreaterThan(4_900);
  });

  it('is a pure function of (seed, tick): reproducible, independent of other draws', () => {
    expect(startsOf(50)).toEqual(startsOf(50));
    expect(cycleStartsOfTick(REALISTIC_TIMING, 42, T0)).toEqual(cycleStartsOfTick(REALISTIC_TIMING, 42, T0));
    expect(startsOf(50, { ...REALISTIC_TIMING, seed: 7 })).not.toEqual(startsOf(50));
  });

  it('names the allowed timings when another is asked for', () => {
    expect(tickTimingNamed('exact')).toBe(EXACT_TIMING);
    expect(tickTimingNamed('realistic', 3).seed).toBe(3);
    expect(() => tickTimingNamed('jittery')).toThrow("timing must be 'realistic' or 'exact', got 'jittery'");
  });
});
