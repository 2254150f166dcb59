import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, SimulatedFlinkCluster, trueCapacity } from '../../../../sim/flink-simulator/index.ts';
import type { FlinkSimulatorScenario, ScenarioVertex } from '../../../../sim/flink-simulator/scenario.ts';

/** Failure modes of the simulator used by the rollback tests (docs/algorithm.md §12). */
function scenario(sink: Partial<ScenarioVertex> = {}, extra: Partial<FlinkSimulatorScenario> = {}): FlinkSimulatorScenario {
  return {
    name: 'failure-modes',
    restart: { downtimeMs: '10 s', mode: 'in-place' },
    job: {
      vertices: [
        { id: 'src', parallelism: 2, costMsPerRecord: 0.1, source: { partitions: 8, load: { type: 'constant', recordsPerSecond: 2000 } } },
        { id: 'sink', parallelism: 2, costMsPerRecord: 0.5, ...sink },
      ],
      edges: [{ from: 'src', to: 'sink' }],
    },
    ...extra,
  };
}

describe('simulator failure modes', () => {
  it('a sink whose capacity collapses above a parallelism', () => {
    const parsed = parseScenario(scenario({ collapse: { aboveParallelism: 3, capacityFactor: 0.1 } }));
    const sink = parsed.vertices.find((v) => v.key === 'sink');
    if (!sink) throw new Error('no sink');
    expect(trueCapacity(sink, 3)).toBeCloseTo(6000);
    expect(trueCapacity(sink, 4)).toBeCloseTo(800);
    const cluster = new SimulatedFlinkCluster(parsed);
    cluster.applyParallelism({ sink: 4 });
    cluster.advance(120_000);
    // back-pressure throttles the source to the collapsed sink: lag grows
    expect(cluster.lagOf('src')).toBeGreaterThan(100_000);
  });

  it('a job that stays RESTARTING above a parallelism and recovers when set below it', () => {
    const cluster = new SimulatedFlinkCluster(parseScenario(scenario({}, { failure: { aboveParallelism: 4 } })));
    cluster.applyParallelism({ sink: 5 });
    cluster.advance(10 * 60_000);
    expect(cluster.state).toBe('RESTARTING');
    expect(cluster.metricsReported()).toBe(false);
    cluster.applyParallelism({ sink: 4 });
    cluster.advance(11_000);
    expect(cluster.state).toBe('RUNNING');
  });

  it('a job that ends FAILED above a parallelism; the scenario rejects a bad failure mode by field', () => {
    const cluster = new SimulatedFlinkCluster(
      parseScenario(scenario({}, { failure: { aboveParallelism: 2, state: 'FAILED' } })),
    );
    cluster.applyParallelism({ src: 3 });
    cluster.advance(60_000);
    expect(cluster.state).toBe('FAILED');
    expect(() => parseScenario(scenario({ collapse: { aboveParallelism: 3, capacityFactor: 0 } }))).toThrow(ScenarioError);
    expect(() => parseScenario(scenario({}, { failure: { aboveParallelism: 0 } }))).toThrow(/failure/);
  });
});
