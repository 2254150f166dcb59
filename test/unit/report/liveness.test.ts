import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../lib/domain/index.ts';
import { jobStatusOf } from '../../../lib/report/job-status.ts';
import {
  notReadySpell,
  STUCK_LIMIT_WITHOUT_OPTIONS_MS,
  stuckLimitMs,
} from '../../../lib/report/liveness.ts';
import { emptyJobState } from '../../../lib/domain/index.ts';
import { runTotalsOf } from '../../../functions/scale-job/scale-job-handler.ts';

const MIN = 60_000;

describe('stuckLimitMs', () => {
  it.each([
    // 5 min stabilization + 15 min window + 3 × 1 min cadence + 10 min margin = 33 min
    { options: { stabilizationIntervalMs: 5 * MIN, metricsWindowMs: 15 * MIN }, cadenceMs: MIN, limit: 33 * MIN },
    // a short window never goes below the 30-minute floor
    { options: { stabilizationIntervalMs: MIN, metricsWindowMs: 5 * MIN }, cadenceMs: MIN, limit: 30 * MIN },
    // a 5-minute cadence: 5 + 60 + 15 + 10 = 90 min
    { options: { stabilizationIntervalMs: 5 * MIN, metricsWindowMs: 60 * MIN }, cadenceMs: 5 * MIN, limit: 90 * MIN },
    { options: undefined, cadenceMs: MIN, limit: STUCK_LIMIT_WITHOUT_OPTIONS_MS },
  ])('$limit ms for $options at cadence $cadenceMs', ({ options, cadenceMs, limit }) => {
    expect(stuckLimitMs(options, cadenceMs)).toBe(limit);
  });
});

describe('notReadySpell', () => {
  const notReadyRun = (sinceMs: number): RunRecord => ({
    atMs: sinceMs + 10 * MIN,
    outcome: 'decided',
    reason: 'Not ready',
    notReady: { reason: 'window', sinceMs, stuck: false },
  });

  it('starts now after a ready cycle, continues after a not-ready one', () => {
    const ready: RunRecord = { atMs: 0, outcome: 'decided', reason: 'Balanced' };
    expect(notReadySpell('window', ready, 100 * MIN, 30 * MIN)).toEqual({
      reason: 'window',
      sinceMs: 100 * MIN,
      stuck: false,
    });
    expect(notReadySpell('metrics', notReadyRun(60 * MIN), 100 * MIN, 30 * MIN)).toEqual({
      reason: 'metrics',
      sinceMs: 60 * MIN,
      stuck: true, // 40 min > 30 min
    });
    expect(notReadySpell('window', undefined, 5, 30 * MIN).sinceMs).toBe(5);
  });
});

describe('fsa status health', () => {
  it('says for how long and why a job is not ready, and when it is stuck', () => {
    const key = { cluster: 'c', namespace: 'ns', kind: 'FlinkDeployment' as const, name: 'job' };
    const run = (stuck: boolean): RunRecord => ({
      atMs: 60 * MIN,
      outcome: 'decided',
      action: 'not-ready',
      reason: 'Not ready: the metric window is not full yet.',
      notReady: { reason: 'window', sinceMs: 13 * MIN, stuck },
    });
    expect(jobStatusOf(key, emptyJobState(), run(false)).health).toBe(
      'not ready for 47 min: metric window not full',
    );
    expect(jobStatusOf(key, emptyJobState(), run(true)).health).toBe(
      'not ready for 47 min: metric window not full — stuck: longer than stabilization + metric window + a margin',
    );
    expect(jobStatusOf(key, emptyJobState(), { atMs: 0, outcome: 'decided', reason: 'ok' }).health).toBe('ok');
  });
});

describe('worker run totals', () => {
  it('counts only full-window evaluations as evaluated, not-ready cycles by reason, stuck jobs', () => {
    const totals = runTotalsOf(
      [
        { messageId: '1', deadLetter: false, result: { outcome: 'decided', reason: 'Balanced', decision: { action: 'balanced', vertices: [], guards: [], parallelismOverrides: {}, summary: '' } } },
        {
          messageId: '2',
          deadLetter: false,
          result: {
            outcome: 'decided',
            reason: 'Not ready',
            decision: { action: 'not-ready', vertices: [], guards: [], parallelismOverrides: {}, summary: '' },
            notReady: { reason: 'window', sinceMs: 0, stuck: true },
          },
        },
        { messageId: '3', deadLetter: false, result: { outcome: 'not-ready', reason: 'x', notReady: { reason: 'resource', sinceMs: 0, stuck: false } } },
        { messageId: '4', deadLetter: false, result: { outcome: 'failed', reason: 'boom' } },
        { messageId: '5', deadLetter: false, result: { outcome: 'skipped', reason: 'another run saved this job first' } },
      ],
      1200,
    );
    expect(totals).toEqual({
      durationMs: 1200,
      jobsEvaluated: 1,
      notReadyByReason: { window: 1, resource: 1 },
      stuckJobs: 1,
      errors: 1,
    });
  });
});
