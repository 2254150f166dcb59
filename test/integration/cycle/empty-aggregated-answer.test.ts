/**
 * An empty aggregated metric answer through the real cycle (emulator + Flink simulator over HTTP):
 * Flink answers `[]` as a whole when one requested metric has no values
 * (`AbstractAggregatingMetricsHandler.getAggregatedMetricValues`). The cycle must call that
 * "not ready" and name the metric, never read it as zeros (LAG 0, idle vertex), and recover by
 * itself once the metric is reported again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jobStatusOf } from '../../../lib/report/job-status.ts';
import { LOCAL_JOB_KEY as KEY, type MinuteCycleWorld, startMinuteCycleWorld } from '../../support/minute-cycle-world.ts';

let current: MinuteCycleWorld | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function world(): Promise<MinuteCycleWorld> {
  current = await startMinuteCycleWorld('empty-aggregate-test');
  return current;
}

describe('an empty aggregated answer in the cycle', () => {
  it('is not-ready naming the metric, shown by fsa status, and clears once the metric is back', async () => {
    const { sim, store, minute } = await world();
    const first = await minute(); // lists every vertex; the sink's listing is kept for the attempt
    expect(first.reason).not.toMatch(/no values/);
    const sink = sim.cluster.scenario.vertices.find((vertex) => vertex.key === 'sink')!;

    // The sink stops reporting its busy time: the kept listing still names it, Flink answers [].
    sim.withholdMetric({ id: 'busyTimeMsPerSecond', vertex: 'sink' });
    const empty = await minute();
    expect(empty.outcome).toBe('not-ready');
    expect(empty.notReady?.reason).toBe('metrics');
    expect(empty.reason).toContain(`busyTimeMsPerSecond of vertex 'sink' (${sink.vertexId})`);
    const status = jobStatusOf(KEY, (await store.load(KEY, { sinceMs: 0 })).state, await store.lastRun(KEY));
    expect(status.health).toMatch(/^not ready/);
    expect((await store.lastRun(KEY))?.reason).toContain('busyTimeMsPerSecond');

    // The kept listing was dropped: the next cycle lists the sink again and no longer asks Flink
    // for a metric it does not have (the observation is incomplete, which decide never scales on).
    const sinkListings = () =>
      sim.requests.filter((r) => r.endsWith(`/vertices/${sink.vertexId}/subtasks/metrics`)).length;
    const listedBefore = sinkListings();
    const relisted = await minute();
    expect(sinkListings()).toBe(listedBefore + 1);
    expect(relisted.reason).not.toContain('no values');
    expect(relisted.decision?.action ?? 'not-ready').toBe('not-ready');

    sim.reportAllMetrics();
    let result = await minute();
    for (let i = 0; i < 10 && result.outcome === 'not-ready'; i++) {
      expect(result.reason).not.toContain('busyTimeMsPerSecond');
      result = await minute();
    }
    expect(result.outcome).not.toBe('not-ready');
  });
});
