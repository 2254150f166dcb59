/**
 * `replayHistory` on history entries made by running the core live (as the cycle does) and
 * recording what it decided: each entry is replayed under its own configuration, a new store epoch
 * empties the window, and every step is compared with the recorded decision.
 */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import { decide } from '../../../lib/decide/decide.ts';
import {
  emptyJobState,
  type HistoryEntry,
  type JobState,
  type MetricSample,
  recordedDecisionOf,
} from '../../../lib/domain/index.ts';
import { historyOptionsResolver, replayHistory } from '../../../lib/replay/index.ts';
import { anObservationSeries } from '../../builders/observation-builders.ts';

const BASE = { 'job.autoscaler.metrics.window': '5 min', 'job.autoscaler.stabilization.interval': '1 min' };
// 1800 rec/s into 4 subtasks of 500 rec/s: every vertex is 90 % busy.
const busyJob = { vertexCount: 3, parallelism: 4, sourceRatePerSecond: 1800, subtaskCapacityPerSecond: 500 };

/**
 * Runs the core over the series as the cycle would, recording each cycle like the store: the
 * configuration changes at `configAt` (index), and the store's epoch changes at `epochAt`, which
 * makes the live load return no samples.
 */
function liveHistory(configs: { before: Record<string, string>; after: Record<string, string>; configAt: number }, epochAt?: number): HistoryEntry[] {
  const series = anObservationSeries({ ...busyJob, count: 16 });
  let state: JobState = emptyJobState();
  let samples: readonly MetricSample[] = [];
  return series.map(({ atMs, raw }, i) => {
    const configuration = i < configs.configAt ? configs.before : configs.after;
    const epoch = epochAt !== undefined && i >= epochAt ? 2 : 1;
    const loaded = epochAt === i ? [] : samples;
    const out = decide({
      options: resolveOptions(configuration).options,
      raw,
      samples: loaded,
      state,
      nowMs: atMs,
      cadenceMs: 60_000,
      memoryTuning: false,
    });
    state = out.state;
    samples = out.samples;
    return {
      sample: out.sample,
      epoch,
      decision: recordedDecisionOf(out.decision),
      context: { topology: raw.topology, configuration, cadenceMs: 60_000 },
    };
  });
}

describe('replayHistory', () => {
  it('replays each cycle under the configuration it ran with, so a configuration change is reproduced', () => {
    const before = { ...BASE, 'job.autoscaler.utilization.target': '0.95', 'job.autoscaler.utilization.max': '1' };
    const after = { ...BASE, 'job.autoscaler.utilization.target': '0.5' };
    const entries = liveHistory({ before, after, configAt: 10 });

    const same = replayHistory({ entries, optionsFor: historyOptionsResolver({}).optionsFor });
    const lastConfigEverywhere = replayHistory({
      entries,
      optionsFor: () => resolveOptions(after).options,
    });

    expect(entries.slice(0, 10).some((e) => e.decision.action === 'balanced')).toBe(true);
    expect(entries.slice(10).some((e) => e.decision.action === 'scale')).toBe(true);
    expect(same.steps.every((s) => s.matchesRecorded === true)).toBe(true);
    expect(same.totals).toMatchObject({ recordedSteps: 16, differingSteps: 0 });
    expect(lastConfigEverywhere.totals.differingSteps).toBeGreaterThan(0);
  });

  it('starts an empty window where the store started a new epoch, as the cycle loaded it', () => {
    const config = { ...BASE, 'job.autoscaler.utilization.target': '0.5' };
    const entries = liveHistory({ before: config, after: config, configAt: 0 }, 8);

    const replayed = replayHistory({ entries, optionsFor: historyOptionsResolver({}).optionsFor });
    const withoutEpochs = replayHistory({
      entries: entries.map((e) => ({ ...e, epoch: 1 })),
      optionsFor: historyOptionsResolver({}).optionsFor,
    });

    expect(entries[8]!.decision.action).toBe('not-ready');
    expect(replayed.totals.differingSteps).toBe(0);
    expect(withoutEpochs.steps[8]!.matchesRecorded).toBe(false);
  });

  it('applies the overrides on top of each configuration, and reports from reportFromMs', () => {
    const config = { ...BASE, 'job.autoscaler.utilization.target': '0.5' };
    const entries = liveHistory({ before: config, after: config, configAt: 0 });
    const resolver = historyOptionsResolver({ 'job.autoscaler.utilization.target': '0.95', 'job.autoscaler.utilization.max': '1' });

    const result = replayHistory({ entries, optionsFor: resolver.optionsFor, reportFromMs: entries[6]!.sample.tsMs });

    expect(result.steps).toHaveLength(10);
    expect(result.steps.filter((s) => s.recorded?.action === 'scale' && s.matchesRecorded === false).length).toBeGreaterThan(0);
    expect(result.utilizationUpperBound).toBe(1);
    expect(resolver.warnings()).toEqual([]);
  });

  it('warns once that the capacity guard is not replayed when a configuration enables it', () => {
    const resolver = historyOptionsResolver({ 'kubernetes.operator.cluster.resource-view.refresh-interval': '1 min' });
    resolver.optionsFor(BASE);
    resolver.optionsFor({ ...BASE, 'job.autoscaler.utilization.target': '0.6' });
    expect(resolver.warnings()).toEqual([expect.stringMatching(/^The capacity guard .* is not replayed/)]);
  });
});
