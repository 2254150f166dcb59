import { describe, expect, it } from 'vitest';
import {
  type BaselineState,
  MANAGED_FLINK_RULE,
  maxCpuFromBusyTime,
  stepBaseline,
} from '../../../../sim/world/managed-flink-baseline.ts';

const MIN = 60_000;

/** Feeds one CPU value per minute from t = 0 and returns the minutes at which it rescaled, with the targets. */
function feed(
  cpu: (minute: number) => number | undefined,
  minutes: number,
  start: BaselineState,
  rule = MANAGED_FLINK_RULE,
) {
  let state = start;
  const rescales: Array<[number, number]> = [];
  for (let m = 0; m < minutes; m++) {
    const step = stepBaseline(state, { nowMs: m * MIN, maxCpu: cpu(m) }, rule);
    state = step.state;
    if (step.rescaleTo !== undefined) rescales.push([m, step.rescaleTo]);
  }
  return { state, rescales };
}

describe('the AWS Managed Flink rule', () => {
  it('doubles after 15 consecutive minutes at or above 75 % CPU, not after 14', () => {
    // minutes 0..14 are the 15 datapoints: the rule fires on the 15th (minute 14)
    expect(feed(() => 0.75, 14, { parallelism: 4 }).rescales).toEqual([]);
    expect(feed(() => 0.75, 15, { parallelism: 4 }).rescales).toEqual([[14, 8]]);
  });

  it('starts counting again after a dip, a restart gap or a rescale', () => {
    // a dip at minute 10: the new run starts at 11 and its 15th datapoint is minute 25
    const dip = feed((m) => (m === 10 ? 0.5 : 0.9), 26, { parallelism: 2 });
    expect(dip.rescales).toEqual([[25, 4]]);
    // no observation at minute 5 (restarting): the run starts at 6, fires at 20
    const gap = feed((m) => (m === 5 ? undefined : 0.9), 21, { parallelism: 2 });
    expect(gap.rescales).toEqual([[20, 4]]);
    const twice = feed(() => 0.9, 30, { parallelism: 2 });
    expect(twice.rescales).toEqual([
      [14, 4],
      [29, 8],
    ]);
  });

  it('halves after 6 hours below 10 %, never below the configured parallelism', () => {
    const down = feed(() => 0.05, 6 * 60, { parallelism: 8 });
    expect(down.rescales).toEqual([[359, 4]]);
    const floor = feed(() => 0.05, 6 * 60, { parallelism: 8 }, { ...MANAGED_FLINK_RULE, minParallelism: 8 });
    expect(floor.rescales).toEqual([]);
  });

  it('stops at the maximum (64 KPUs)', () => {
    expect(feed(() => 1, 15, { parallelism: 64 }).rescales).toEqual([]);
    expect(feed(() => 1, 15, { parallelism: 40 }).rescales).toEqual([[14, 64]]);
  });

  it('uses the busiest subtask as the maximum CPU', () => {
    expect(
      maxCpuFromBusyTime([
        [100, 900],
        [Number.NaN, 300],
      ]),
    ).toBe(0.9);
    expect(maxCpuFromBusyTime([])).toBe(0);
  });
});
