/**
 * `decideOnSample` (the core on a stored cycle) against `decide` (the core on the raw
 * observation): the live sample is already what the stores keep, so both entries see the same
 * numbers and reach the same decisions — the premise of an exact replay from the state table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storedSample } from '../../../lib/adapters/memory/stored-forms.ts';
import { decodeSampleBody, encodeSampleBody } from '../../../lib/adapters/dynamodb/sample-codec.ts';
import { computeSample } from '../../../lib/collect/index.ts';
import { resolveOptions } from '../../../lib/config/index.ts';
import { decide, type DecideOutput, decideOnSample } from '../../../lib/decide/decide.ts';
import { emptyJobState, type JobState, type MetricSample, type RawJobMetrics } from '../../../lib/domain/index.ts';
import { anObservationSeries } from '../../builders/observation-builders.ts';
import { syntheticRawMetrics, syntheticTopology } from '../../builders/synthetic-job.ts';

const OPTIONS = resolveOptions({
  'job.autoscaler.metrics.window': '5 min',
  'job.autoscaler.stabilization.interval': '1 min',
}).options;

/** The synthetic job's observation with the metrics scaled by arbitrary factors (many decimals). */
function perturbed(raw: RawJobMetrics, factors: readonly number[]): RawJobMetrics {
  const vertices = Object.fromEntries(
    Object.entries(raw.vertices).map(([id, metrics], i) => {
      const f = factors[i % factors.length]!;
      const busy = metrics.busyTimeMsPerSecond;
      return [
        id,
        {
          ...metrics,
          ...(busy ? { busyTimeMsPerSecond: Object.fromEntries(Object.entries(busy).map(([k, v]) => [k, v === undefined ? v : v * f])) } : {}),
          ...(metrics.numRecordsInPerSecond === undefined ? {} : { numRecordsInPerSecond: metrics.numRecordsInPerSecond * f }),
          ...(metrics.sourceNumRecordsInPerSecond === undefined ? {} : { sourceNumRecordsInPerSecond: metrics.sourceNumRecordsInPerSecond * f }),
          ...(metrics.pendingRecords === undefined ? {} : { pendingRecords: Math.round(metrics.pendingRecords * f) }),
        },
      ];
    }),
  );
  return { ...raw, vertices };
}

describe('decideOnSample', () => {
  it('the live sample is the stored one: both stores keep exactly what computeSample computed', () => {
    const topology = syntheticTopology({ vertexCount: 4, parallelism: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 3, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 60_000, max: 10_000_000 }),
        (factors, tsMs) => {
          const raw = perturbed(syntheticRawMetrics({ vertexCount: 4, parallelism: 3, lagRecords: 12_345 }, topology, tsMs), factors);
          const sample = computeSample(raw, [], OPTIONS);
          const ids = topology.vertices.map((v) => v.id);
          expect(storedSample(sample)).toEqual(sample);
          expect(decodeSampleBody(encodeSampleBody(sample, ids), sample.tsMs, ids)).toEqual(sample);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decides every cycle of a series as decide() does on the raw observations, across a rescale', () => {
    // A lagging job (2 000 rec/s into 2 × 500 rec/s subtasks) that really rescales at minute 12.
    const series = anObservationSeries({
      vertexCount: 3,
      parallelism: 2,
      sourceRatePerSecond: 2000,
      lagRecords: 50_000,
      count: 24,
      rescale: { atMs: 13 * 60_000, parallelism: 5, jobId: 'b'.repeat(32) },
    });
    let live = { samples: [] as readonly MetricSample[], state: emptyJobState() as JobState };
    let stored = { samples: [] as readonly MetricSample[], state: emptyJobState() as JobState };
    const actions: string[] = [];
    for (const [i, { atMs, raw }] of series.entries()) {
      // The busy time of the last vertex is missing at minute 8 and a required metric at minute 9.
      const observed: RawJobMetrics =
        i === 8
          ? { ...raw, vertices: { ...raw.vertices, [raw.topology.vertices[2]!.id]: { ...raw.vertices[raw.topology.vertices[2]!.id]!, busyTimeMsPerSecond: undefined } } }
          : i === 9
            ? { ...raw, missingRequired: ['taskSlotsTotal'] }
            : raw;
      const common = { options: OPTIONS, nowMs: atMs, cadenceMs: 60_000, memoryTuning: false } as const;
      const fromRaw: DecideOutput = decide({ ...common, raw: observed, samples: live.samples, state: live.state });
      const fromSample = decideOnSample({
        ...common,
        sample: fromRaw.sample,
        topology: observed.topology,
        ...(observed.missingRequired ? { missingRequired: observed.missingRequired } : {}),
        samples: stored.samples,
        state: stored.state,
      });
      expect(fromSample.decision).toEqual(fromRaw.decision);
      expect(fromSample.state).toEqual(fromRaw.state);
      expect(fromSample.samples).toEqual(fromRaw.samples);
      actions.push(fromRaw.decision.action);
      live = { samples: fromRaw.samples, state: fromRaw.state };
      stored = { samples: fromSample.samples, state: fromSample.state };
    }
    // The series exercises what matters: a filling window, decisions, the incomplete cycle.
    expect(actions[0]).toBe('not-ready');
    expect(actions[9]).toBe('not-ready');
    expect(actions).toContain('scale');
  });
});
