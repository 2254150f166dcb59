import { afterEach, describe, expect, it } from 'vitest';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/index.ts';
import { resolveOptions } from '../../../lib/config/index.ts';
import { emptyJobState, type JobState, type MetricSample } from '../../../lib/domain/index.ts';
import { decide } from '../../../lib/decide/index.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import { MetricsNotReadyError } from '../../../lib/ports/metrics-source.ts';

let sim: FlinkSimulator | undefined;
let source: FlinkRestMetricsSource | undefined;
afterEach(async () => {
  await source?.close();
  await sim?.close();
});

describe('collector + decide() on the simulator (closed loop over HTTP)', () => {
  it('an under-provisioned linear job scales up once, settles once its lag is drained, then stays put', async () => {
    sim = await startFlinkSimulator({
      scenario: {
        name: 'closed-loop',
        metricsDelayMs: '10 s',
        restart: { downtimeMs: '1 min' },
        job: {
          vertices: [
            {
              id: 'src',
              parallelism: 1,
              costMsPerRecord: 0.1,
              source: { partitions: 24, load: { type: 'constant', recordsPerSecond: 6000 } },
            },
            { id: 'work', parallelism: 2, costMsPerRecord: 2, maxParallelism: 120 },
            { id: 'sink', parallelism: 1, costMsPerRecord: 0.05 },
          ],
          edges: [
            { from: 'src', to: 'work', shipStrategy: 'HASH' },
            { from: 'work', to: 'sink', shipStrategy: 'REBALANCE' },
          ],
        },
      },
    });
    const options = resolveOptions({
      'job.autoscaler.metrics.window': '5 min',
      'job.autoscaler.stabilization.interval': '1 min',
    }).options;
    source = new FlinkRestMetricsSource();
    let state: JobState = emptyJobState();
    let samples: MetricSample[] = [];
    const actions: string[] = [];
    const scalings: { cycle: number; reasons: string[] }[] = [];
    for (let cycle = 0; cycle < 40; cycle++) {
      sim.advance(60_000);
      try {
        const raw = await source.collect({ restBaseUrl: sim.url }, options, sim.nowMs());
        const output = decide({ options, raw, samples, state, nowMs: sim.nowMs() });
        state = output.state;
        samples = output.samples;
        actions.push(output.decision.action);
        if (output.decision.action === 'scale') {
          scalings.push({
            cycle,
            reasons: output.decision.vertices.filter((v) => v.changed).flatMap((v) => v.reasons),
          });
          sim.applyParallelism(output.decision.parallelismOverrides);
        }
      } catch (error) {
        if (!(error instanceof MetricsNotReadyError)) throw error;
        actions.push(`collector:${error.reason}`);
      }
    }
    // work needs 6000 / 500 = 12 subtasks at 100 % busy; with the utilization target and the
    // backlog to catch up the scale-up must be at least that, within max parallelism. Once the
    // backlog is drained, one catch-up settle hands back the catch-up part (and nothing else).
    expect(scalings).toHaveLength(2);
    expect(scalings[0]?.reasons).toContain('scale-up');
    expect(scalings[1]?.reasons).toContain('catch-up-settle');
    expect(sim.cluster.parallelismOf('work')).toBeGreaterThanOrEqual(6000 / sim.trueCapacity('work', 1));
    expect(sim.cluster.parallelismOf('work')).toBeLessThanOrEqual(120);
    expect(sim.cluster.lagOf('src')).toBe(0);
    expect(actions.slice(-5)).toEqual(['balanced', 'balanced', 'balanced', 'balanced', 'balanced']);
    // The restart is seen by the collector as "metrics not reported yet", never as an error.
    expect(actions).toContain('collector:metrics-not-reported');
  });
});
