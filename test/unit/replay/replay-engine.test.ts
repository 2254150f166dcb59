import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import { decide } from '../../../lib/decide/decide.ts';
import { emptyJobState, type JobState, type MetricSample } from '../../../lib/domain/index.ts';
import { predictedUtilization, REPLAY_CAVEAT, replayJob } from '../../../lib/replay/index.ts';
import { anObservationSeries } from '../../builders/observation-builders.ts';

/** A short window so a few observations fill it: 5 min window, 1 min stabilization. */
function optionsWith(extra: Record<string, string> = {}) {
  return resolveOptions({
    'job.autoscaler.metrics.window': '5 min',
    'job.autoscaler.stabilization.interval': '1 min',
    ...extra,
  }).options;
}

// 1800 rec/s into 4 subtasks of 500 rec/s: every vertex is 90 % busy.
const busyJob = { vertexCount: 3, parallelism: 4, sourceRatePerSecond: 1800, subtaskCapacityPerSecond: 500 };

describe('replayJob', () => {
  it('runs decide() step by step with the carried window and state, as a direct run of the core', () => {
    const options = optionsWith({ 'job.autoscaler.utilization.target': '0.5' });
    const observations = anObservationSeries({ ...busyJob, count: 12 });
    const result = replayJob({ options, observations, cadenceMs: 60_000 });

    let state: JobState = emptyJobState();
    let samples: MetricSample[] = [];
    const direct = observations.map((o) => {
      const out = decide({ options, raw: o.raw, samples, state, nowMs: o.atMs, cadenceMs: 60_000, memoryTuning: false });
      state = out.state;
      samples = out.samples;
      return {
        action: out.decision.action,
        recommended: o.raw.topology.vertices.map(
          (v) => out.decision.vertices.find((d) => d.vertexId === v.id)?.recommendedParallelism ?? v.parallelism,
        ),
      };
    });
    expect(result.steps.map((s) => ({ action: s.action, recommended: s.vertices.map((v) => v.recommendedParallelism) }))).toEqual(direct);
    // Not ready until the window is full, then a scale-up the real job never made.
    expect(result.steps[0]!.action).toBe('not-ready');
    const firstScale = result.steps.findIndex((s) => s.action === 'scale');
    expect(firstScale).toBeGreaterThan(0);
    expect(result.steps.slice(0, firstScale).every((s) => s.action === 'not-ready')).toBe(true);
  });

  it('holds the replayed scaling and compares rescales and parallelism-hours with the real series', () => {
    const result = replayJob({
      options: optionsWith({ 'job.autoscaler.utilization.target': '0.5' }),
      observations: anObservationSeries({ ...busyJob, count: 12 }),
    });
    const firstScale = result.steps.findIndex((s) => s.action === 'scale');
    const scaled = result.steps[firstScale]!;
    expect(scaled.vertices.every((v) => v.replayedParallelism > v.realParallelism)).toBe(true);
    expect(result.steps.at(-1)!.vertices.map((v) => v.replayedParallelism)).toEqual(
      scaled.vertices.map((v) => v.replayedParallelism),
    );
    expect(result.steps[firstScale - 1]!.vertices.every((v) => v.replayedParallelism === 4)).toBe(true);
    expect(result.totals).toMatchObject({ steps: 12, realRescales: 0, replayedRescales: 1 });
    // 11 intervals of 1 min at 3 × 4 = 12 parallelism-hours / 60 × 11.
    expect(result.totals.realParallelismHours).toBeCloseTo((12 * 11) / 60, 6);
    expect(result.totals.replayedParallelismHours).toBeGreaterThan(result.totals.realParallelismHours);
    expect(result.caveat).toBe(REPLAY_CAVEAT);
  });

  it('predicts utilization at the replayed parallelism and flags lag risk', () => {
    const result = replayJob({
      options: optionsWith({ 'job.autoscaler.utilization.target': '0.5' }),
      observations: anObservationSeries({ ...busyJob, count: 12 }),
    });
    const firstScale = result.steps.findIndex((s) => s.action === 'scale');
    const before = result.steps[firstScale]!.vertices[0]!;
    // Not-ready steps (window not full) predict nothing…
    expect(result.steps[firstScale - 1]!.vertices[0]!.predictedUtilization).toBeUndefined();
    // …and after the replayed scale-up the prediction is 0.9 × 4 / new parallelism.
    expect(before.predictedUtilization).toBeCloseTo((0.9 * 4) / before.replayedParallelism, 2);
    expect(before.realUtilization).toBeCloseTo(0.9, 2);
    // 0.9 is above the scale-up bound 0.5 + 0.3 = 0.8 only where nothing was scaled yet.
    expect(result.utilizationUpperBound).toBeCloseTo(0.8, 9);
    expect(result.steps.every((s) => !s.overloadRisk)).toBe(true);
    expect(result.totals.aboveMaxRiskSteps).toBe(0);
  });

  it('flags steps above the scale-up bound when the replayed settings would not scale', () => {
    const result = replayJob({
      options: optionsWith({ 'job.autoscaler.utilization.max': '0.85', 'job.autoscaler.scaling.enabled': 'false' }),
      observations: anObservationSeries({ ...busyJob, count: 12 }),
    });
    expect(result.totals.replayedRescales).toBe(0);
    expect(result.totals.aboveMaxRiskSteps).toBe(result.totals.decidedSteps);
    expect(result.totals.aboveMaxRiskSteps).toBeGreaterThan(0);
    expect(result.totals.overloadRiskSteps).toBe(0);
  });

  it('recommends a higher parallelism with a lower utilization target', () => {
    const observations = anObservationSeries({ ...busyJob, count: 12 });
    const last = (target: string) =>
      replayJob({ options: optionsWith({ 'job.autoscaler.utilization.target': target }), observations }).steps.at(-1)!
        .vertices[1]!.replayedParallelism;
    expect(last('0.5')).toBeGreaterThan(last('0.8'));
    expect(last('0.8')).toBe(4);
  });

  it('splits epochs on a new job id and counts the real rescale', () => {
    const result = replayJob({
      options: optionsWith(),
      observations: anObservationSeries({
        ...busyJob,
        count: 12,
        rescale: { atMs: 6.5 * 60_000, parallelism: 6, jobId: 'a'.repeat(32) },
      }),
    });
    expect(result.epochs.map((e) => [e.jobId, e.steps])).toEqual([
      [expect.stringMatching(/^b0c1/), 6],
      ['a'.repeat(32), 6],
    ]);
    expect(result.steps.map((s) => s.epoch)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(result.totals.realRescales).toBe(1);
    // The new attempt's window starts empty: not ready again right after the restart.
    expect(result.steps[6]!.action).toBe('not-ready');
  });

  it('uses the steps before reportFromMs as warm-up only', () => {
    const options = optionsWith({ 'job.autoscaler.utilization.target': '0.5' });
    const observations = anObservationSeries({ ...busyJob, count: 12 });
    const full = replayJob({ options, observations });
    const tail = replayJob({ options, observations, reportFromMs: observations[9]!.atMs });
    expect(tail.steps).toEqual(full.steps.slice(9));
    expect(tail.epochs).toEqual([{ ...full.epochs[0]!, fromMs: observations[9]!.atMs, steps: 3 }]);
    expect(tail.totals.steps).toBe(3);
    expect(tail.totals.realParallelismHours).toBeCloseTo((12 * 2) / 60, 6);
  });

  it('sorts observations by time and keeps the last of two at the same instant', () => {
    const observations = anObservationSeries({ ...busyJob, count: 4 });
    const result = replayJob({ options: optionsWith(), observations: [...observations].reverse().concat(observations[1]!) });
    expect(result.steps.map((s) => s.atMs)).toEqual(observations.map((o) => o.atMs));
    expect(result.cadenceMs).toBe(60_000);
  });
});

describe('predictedUtilization', () => {
  const evaluated = (tdr: number, tpr: number) => ({
    vertices: { v: { TARGET_DATA_RATE: { current: tdr, average: tdr }, TRUE_PROCESSING_RATE: { current: tpr, average: tpr } } },
    global: {},
    processingBacklog: false,
  });
  it('scales the per-subtask rate to the replayed parallelism', () => {
    expect(predictedUtilization(evaluated(1000, 500), 'v', 1, 2)).toBeCloseTo(1, 9);
    expect(predictedUtilization(evaluated(1000, 2000), 'v', 4, 8)).toBeCloseTo(0.25, 9);
  });
  it('is 0 for an idle vertex and absent without rates', () => {
    expect(predictedUtilization(evaluated(100, Number.POSITIVE_INFINITY), 'v', 2, 2)).toBe(0);
    expect(predictedUtilization(evaluated(Number.NaN, 100), 'v', 2, 2)).toBeUndefined();
    expect(predictedUtilization(undefined, 'v', 2, 2)).toBeUndefined();
  });
});
