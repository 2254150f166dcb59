import { describe, expect, it } from 'vitest';
import {
  loadRateAt,
  parseScenario,
  SimulatedFlinkCluster,
  subtaskShares,
  trueCapacity,
} from '../../../../sim/flink-simulator/index.ts';
import type {
  FlinkSimulatorScenario,
  ScenarioVertex,
} from '../../../../sim/flink-simulator/scenario.ts';

function pipeline(middle: Partial<ScenarioVertex> = {}, extra: Partial<FlinkSimulatorScenario> = {}) {
  return parseScenario({
    name: 'unit',
    job: {
      vertices: [
        {
          id: 'src',
          parallelism: 4,
          costMsPerRecord: 0.1,
          source: { partitions: 8, load: { type: 'constant', recordsPerSecond: 3000 } },
        },
        { id: 'mid', parallelism: 2, costMsPerRecord: 1, ...middle },
      ],
      edges: [{ from: 'src', to: 'mid', shipStrategy: 'HASH' }],
    },
    ...extra,
  } satisfies FlinkSimulatorScenario);
}

describe('capacity model', () => {
  it('linear capacity: p × 1000 / cost', () => {
    const mid = pipeline().vertices[1]!;
    expect(trueCapacity(mid, 1)).toBeCloseTo(1000, 9);
    expect(trueCapacity(mid, 4)).toBeCloseTo(4000, 9);
  });

  it('key skew limits capacity by the hottest subtask', () => {
    const mid = pipeline({ keySkew: 2 }).vertices[1]!;
    // hottest share = 2/4 → 1000 / 0.5 = 2000 rec/s instead of 4000
    expect(trueCapacity(mid, 4)).toBeCloseTo(2000, 9);
    expect(subtaskShares(mid, 4)).toEqual([0.5, 1 / 6, 1 / 6, 1 / 6]);
  });

  it('non-linear scaling: exponent and coordination overhead', () => {
    const exponent = pipeline({ scalabilityExponent: 0.5 }).vertices[1]!;
    expect(trueCapacity(exponent, 4)).toBeCloseTo(1000 * 4 ** 0.5, 9); // 2000
    const overhead = pipeline({ coordinationOverhead: 0.1 }).vertices[1]!;
    expect(trueCapacity(overhead, 4)).toBeCloseTo((4 * 1000) / 1.3, 9);
  });

  it('Kafka partitions: round-robin shares cap source parallelism', () => {
    const src = pipeline().vertices[0]!;
    expect(subtaskShares(src, 3)).toEqual([3 / 8, 3 / 8, 2 / 8]);
    // beyond 8 partitions extra subtasks are idle: capacity stops growing
    expect(trueCapacity(src, 16)).toBeCloseTo(trueCapacity(src, 8), 9);
  });
});

describe('load profiles', () => {
  it('sums constant, steps, diurnal and spikes, never negative', () => {
    const load = parseScenario({
      job: {
        vertices: [
          {
            id: 's',
            parallelism: 1,
            costMsPerRecord: 1,
            source: {
              load: [
                { type: 'constant', recordsPerSecond: 100 },
                { type: 'steps', steps: [{ atMs: '1 min', recordsPerSecond: 50 }] },
                { type: 'diurnal', meanRecordsPerSecond: 0, amplitudeRecordsPerSecond: 40, periodMs: '1 h' },
                { type: 'spikes', spikes: [{ atMs: '2 min', durationMs: '1 min', recordsPerSecond: 1000 }] },
                { type: 'constant', recordsPerSecond: -10 },
              ],
            },
          },
        ],
      },
    }).vertices[0]!.source!.load;
    expect(loadRateAt(load, 0)).toBeCloseTo(100 + 40 - 10, 9);
    expect(loadRateAt(load, 30 * 60_000)).toBeCloseTo(100 + 50 - 40 - 10, 9);
    expect(loadRateAt(load, 150_000)).toBeCloseTo(
      100 + 50 + 40 * Math.cos((2 * Math.PI * 150_000) / 3_600_000) + 1000 - 10,
      6,
    );
    expect(loadRateAt([{ type: 'constant', recordsPerSecond: -5 }], 0)).toBe(0);
  });

  it('holds a diurnal rate from holdFromMs on (a night after a compressed day)', () => {
    const load = parseScenario({
      job: {
        vertices: [
          {
            id: 's',
            parallelism: 1,
            costMsPerRecord: 1,
            source: {
              load: {
                type: 'diurnal',
                meanRecordsPerSecond: 4000,
                amplitudeRecordsPerSecond: 3000,
                periodMs: '6 h',
                peakAtMs: '3 h',
                holdFromMs: '6 h',
              },
            },
          },
        ],
      },
    }).vertices[0]!.source!.load;
    const hourMs = 3_600_000;
    expect(loadRateAt(load, 3 * hourMs)).toBeCloseTo(7000, 9);
    expect(loadRateAt(load, 4.5 * hourMs)).toBeCloseTo(4000, 6);
    // The trough at 6 h, then held instead of rising again.
    expect(loadRateAt(load, 6 * hourMs)).toBeCloseTo(1000, 9);
    expect(loadRateAt(load, 7.5 * hourMs)).toBeCloseTo(1000, 9);
    expect(loadRateAt(load, 9 * hourMs)).toBeCloseTo(1000, 9);
  });
});

describe('SimulatedFlinkCluster', () => {
  it('under capacity: no lag, idle time, no back-pressure', () => {
    const cluster = new SimulatedFlinkCluster(pipeline({ parallelism: 4 }));
    cluster.advance(60_000);
    expect(cluster.lagOf('src')).toBe(0);
    const mid = cluster.flow('mid')!;
    expect(mid.inputRate).toBeCloseTo(3000, 6);
    expect(mid.busyMsPerSecond).toEqual([750, 750, 750, 750]);
    expect(mid.backPressuredMsPerSecond).toEqual([0, 0, 0, 0]);
    expect(cluster.counters('mid').recordsIn).toBeCloseTo(180_000, 3);
    expect(cluster.counters('mid').busyMs).toBeCloseTo(4 * 750 * 60, 3);
  });

  it('over capacity: the bottleneck saturates, the source is back-pressured, lag grows', () => {
    const cluster = new SimulatedFlinkCluster(pipeline());
    cluster.advance(100_000);
    // mid capacity 2000 < 3000 arriving → lag += 1000 rec/s
    expect(cluster.lagOf('src')).toBeCloseTo(100_000, 3);
    expect(cluster.flow('mid')?.busyMsPerSecond).toEqual([1000, 1000]);
    const src = cluster.flow('src')!;
    expect(src.inputRate).toBeCloseTo(2000, 6);
    expect(src.backPressuredMsPerSecond[0]).toBeCloseTo(1000 - src.busyMsPerSecond[0]!, 9);
    expect(src.idleMsPerSecond[0]).toBe(0);
  });

  it('rescale: downtime grows lag, new job id, RUNNING timestamp moves, then catches up', () => {
    const cluster = new SimulatedFlinkCluster(pipeline());
    cluster.advance(10_000);
    const firstJob = cluster.jobId;
    const lagBefore = cluster.lagOf('src');
    const { jobId, runningAtMs } = cluster.applyParallelism({ mid: 6 });
    expect(jobId).not.toBe(firstJob);
    expect(cluster.state).toBe('INITIALIZING');
    expect(runningAtMs).toBe(cluster.nowMs + 30_000);
    cluster.advance(30_000);
    expect(cluster.state).toBe('RUNNING');
    expect(cluster.timestamps['RUNNING']).toBe(runningAtMs);
    expect(cluster.lagOf('src')).toBeCloseTo(lagBefore + 30 * 3000, 3);
    expect(cluster.counters('mid').recordsIn).toBe(0);
    cluster.advance(600_000);
    expect(cluster.lagOf('src')).toBe(0);
    expect(cluster.parallelismOf('mid')).toBe(6);
  });

  it('broadcast edges multiply input by the downstream parallelism; global sends all to subtask 0', () => {
    const scenario = parseScenario({
      job: {
        vertices: [
          {
            id: 's',
            parallelism: 1,
            costMsPerRecord: 0.01,
            source: { load: { type: 'constant', recordsPerSecond: 100 } },
          },
          { id: 'b', parallelism: 3, costMsPerRecord: 1 },
          { id: 'g', parallelism: 2, costMsPerRecord: 1 },
        ],
        edges: [
          { from: 's', to: 'b', shipStrategy: 'BROADCAST' },
          { from: 's', to: 'g', shipStrategy: 'GLOBAL' },
        ],
      },
    });
    const cluster = new SimulatedFlinkCluster(scenario);
    cluster.advance(1000);
    expect(cluster.flow('b')?.inputRate).toBeCloseTo(300, 9);
    expect(cluster.flow('g')?.busyMsPerSecond).toEqual([100, 0]);
  });

  it('the virtual clock only moves on request', () => {
    const cluster = new SimulatedFlinkCluster(pipeline({}, { startTimeMs: 5_000 }));
    expect(cluster.nowMs).toBe(5_000);
    cluster.setTime(65_000);
    expect(cluster.nowMs).toBe(65_000);
    expect(() => cluster.setTime(1)).toThrow(RangeError);
    expect(() => cluster.advance(-1)).toThrow(RangeError);
    expect(() => cluster.applyParallelism({ mid: 999 })).toThrow(/1\.\.128/);
    expect(() => cluster.applyParallelism({ nope: 1 })).toThrow(/unknown vertex/);
  });

  it('metrics appear after metricsDelayMs; pendingRecords only after the first record', () => {
    const cluster = new SimulatedFlinkCluster(pipeline({}, { metricsDelayMs: '10 s' }));
    expect(cluster.vertexMetrics('src').size).toBe(0);
    cluster.advance(10_000);
    const ids = [...cluster.vertexMetrics('src').keys()];
    expect(ids).toContain('Source__src.pendingRecords');
    expect(ids).toContain('Source__src.KafkaSourceReader.topic.src.partition.7.currentOffset');
    expect(ids.filter((id) => id.endsWith('.currentOffset'))).toHaveLength(8);
  });
});
