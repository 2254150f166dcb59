import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import { emptyJobState, type MetricSample, type RawJobMetrics } from '../../../lib/domain/index.ts';
import { type DecideInput, decide } from '../../../lib/decide/decide.ts';
import { computeSample } from '../../../lib/collect/index.ts';
import { MAP, MINUTE, rawAt, SINK, SOURCE, T0 } from './decide-fixtures.ts';

/** The minute the source's consumption steps from 3000 to 9000 rec/s (the backlog keeps growing 2000/s). */
const STEP_MINUTE = 8;

/** The fixture's job, with the consumed counters and gauges following the step. */
function steppedRawAt(minute: number): RawJobMetrics {
  const raw = rawAt(minute);
  const s = minute * 60 + 36_000;
  const sStep = STEP_MINUTE * 60 + 36_000;
  const consumed = 3000 * Math.min(s, sStep) + 9000 * Math.max(0, s - sStep);
  const rate = minute >= STEP_MINUTE ? 9000 : 3000;
  const v = raw.vertices;
  return {
    ...raw,
    vertices: {
      [SOURCE]: { ...v[SOURCE], sourceNumRecordsIn: consumed, sourceNumRecordsInPerSecond: rate, writeRecords: consumed },
      [MAP]: { ...v[MAP], numRecordsInPerSecond: rate, readRecords: consumed, writeRecords: consumed },
      [SINK]: { ...v[SINK], numRecordsInPerSecond: rate, readRecords: consumed },
    },
  };
}

function steppedInput(configuration: Record<string, string> = {}): DecideInput {
  const options = resolveOptions({ 'taskmanager.numberOfTaskSlots': '1', ...configuration }).options;
  const samples: MetricSample[] = [];
  for (let m = 0; m < 15; m++) samples.push(computeSample(steppedRawAt(m), samples, options));
  return { options, raw: steppedRawAt(15), samples, state: emptyJobState(), nowMs: T0 + 15 * MINUTE };
}

describe('decide with a load step in the window (step-aware target rate)', () => {
  // Window 0 … 15 min: consumed (8 × 3000 + 7 × 9000) / 15 = 5800/s, + lag 2000/s → TDR 7800.
  // Recent half (minutes 8 … 15): 9000 + 2000 = 11000 > 7800 × 1.1 = 8580 → a step.
  // The source (TPR fixed by its busy time) needs 6 for 7800 rec/s but 12 for 11000 (aligned to
  // the 12 partitions); map and sink land on the same aligned parallelism either way.
  const stepped = decide(steppedInput());
  const operator = decide(steppedInput({ 'job.autoscaler.target-data-rate.step-aware.enabled': 'false' }));
  const vertexOf = (out: typeof stepped, id: string) => out.decision.vertices.find((v) => v.vertexId === id);

  it('sizes the scale-up for the recent rate', () => {
    expect(stepped.decision.action).toBe('scale');
    const source = vertexOf(stepped, SOURCE);
    expect(source?.reasons).toContain('step-target-rate');
    expect(source?.recommendedParallelism).toBe(12);
    expect(source?.targetDataRateAvg).toBe(11000);
    expect(source?.why).toContain('step-aware target rate 11000 rec/s instead of 7800');
    // The history records the rate the scale-up was sized for.
    expect(stepped.state.scalingHistory[SOURCE]?.at(-1)?.metrics.targetDataRateAvg).toBe(11000);
    // Downstream, the step rate reaches map and sink (ratio 1) and says why it is not used there.
    expect(stepped.report.evaluated?.stepTargetDataRates?.[SINK]?.rate).toBe(11000);
    expect(vertexOf(stepped, MAP)?.why).toContain('step-aware target rate 11000 rec/s');
    expect(vertexOf(stepped, MAP)?.recommendedParallelism).toBe(vertexOf(operator, MAP)?.recommendedParallelism);
  });

  it('leaves the operator behaviour untouched when disabled', () => {
    expect(operator.decision.action).toBe('scale');
    expect(vertexOf(operator, SOURCE)?.reasons).not.toContain('step-target-rate');
    expect(vertexOf(operator, SOURCE)?.recommendedParallelism).toBe(6);
    expect(vertexOf(operator, SOURCE)?.targetDataRateAvg).toBe(7800);
    expect(operator.report.evaluated?.stepTargetDataRates).toBeUndefined();
  });
});
