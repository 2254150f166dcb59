import { describe, expect, it } from 'vitest';
import { trimStateToFit } from '../../../../lib/adapters/state/state-trimming.ts';
import type { JobState, ScalingSummary } from '../../../../lib/domain/index.ts';

const summary = (tsMs: number): ScalingSummary => ({
  tsMs,
  currentParallelism: 1,
  newParallelism: 2,
  metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 2, targetDataRateAvg: 1 },
});

const state: JobState = {
  schemaVersion: 1,
  scalingHistory: { a: [summary(1), summary(4)], b: [summary(2), summary(3)] },
  scalingTracking: [{ startMs: 1 }, { startMs: 2 }, { startMs: 3 }],
  delayedScaleDown: { a: { firstTriggerTimeMs: 1, recommendations: [] } },
  parallelismOverrides: { a: 2, b: 2 },
  configOverrides: { overrides: {}, removals: [] },
  memoryHistory: { x: 1 },
};
// A size model that makes every part count: 10 bytes per entry/record/vertex, 5 for memory.
const measure = (s: JobState): number =>
  10 * Object.values(s.scalingHistory).flat().length +
  10 * s.scalingTracking.length +
  10 * Object.keys(s.delayedScaleDown).length +
  (s.memoryHistory === undefined ? 0 : 5);

describe('trimStateToFit', () => {
  it('leaves a state within the limit alone', () => {
    const result = trimStateToFit(state, measure, 1000);

    expect(result.state).toBe(state);
    expect(result.trimmed).toEqual({
      historyEntries: 0,
      trackingRecords: 0,
      delayedVertices: 0,
      memoryHistory: false,
    });
  });

  it('drops the globally oldest history entries first', () => {
    // 85 bytes → limit 65 needs 2 entries (20 bytes) gone: ts 1 and 2
    const result = trimStateToFit(state, measure, 65);

    expect(result.state.scalingHistory).toEqual({ a: [summary(4)], b: [summary(3)] });
    expect(result.trimmed.historyEntries).toBe(2);
    expect(result.state.scalingTracking).toHaveLength(3);
  });

  it('then tracking records (keeping the latest), memory history and delayed scale-downs', () => {
    const result = trimStateToFit(state, measure, 0);

    expect(result.state.scalingHistory).toEqual({});
    expect(result.state.scalingTracking).toEqual([{ startMs: 3 }]);
    expect(result.state.memoryHistory).toBeUndefined();
    expect(result.state.delayedScaleDown).toEqual({});
    expect(result.state.parallelismOverrides).toEqual({ a: 2, b: 2 });
    expect(result.trimmed).toEqual({
      historyEntries: 4,
      trackingRecords: 2,
      delayedVertices: 1,
      memoryHistory: true,
    });
    expect(result.bytes).toBe(10);
  });
});
