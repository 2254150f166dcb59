import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../sim/flink-simulator/parse-scenario.ts';
import { oracleParallelism, totalParallelism } from '../../../../sim/world/oracle.ts';

const pipeline = (load: number, extra: Record<string, unknown> = {}) =>
  parseScenario({
    name: 'oracle-test',
    job: {
      maxParallelism: 120,
      vertices: [
        {
          id: 'src',
          parallelism: 1,
          costMsPerRecord: 0.1,
          source: { partitions: 24, load: { type: 'constant', recordsPerSecond: load } },
        },
        { id: 'work', parallelism: 1, costMsPerRecord: 1, ...extra },
        { id: 'sink', parallelism: 1, costMsPerRecord: 0.05 },
      ],
      edges: [
        { from: 'src', to: 'work', shipStrategy: 'HASH' },
        { from: 'work', to: 'sink', shipStrategy: 'REBALANCE' },
      ],
    },
  });

describe('oracleParallelism', () => {
  it.each([
    // work: 6000 / (0.7 × 1000) = 8.57 → 9; BALANCED over 120 key groups: ⌊120/9⌋ = 13, first p with ⌊120/p⌋ < 13 is 10
    { load: 6000, work: 10 },
    // 4000 / 700 = 5.71 → 6, which divides 120
    { load: 4000, work: 6 },
    // 700 / 700 = 1 exactly (at, not above, the target)
    { load: 700, work: 1 },
  ])(
    'sizes a linear vertex at the utilization target and aligns it ($load rec/s → $work)',
    ({ load, work }) => {
      const result = oracleParallelism(pipeline(load), 0, { utilizationTarget: 0.7 });
      expect(result.parallelism).toEqual({ src: 1, work, sink: 1 });
      expect(result.requiredRate['work']).toBe(load);
      expect(result.infeasible).toEqual([]);
    },
  );

  it('accounts for key skew through the true capacity of the hottest subtask', () => {
    // skew 1.8: capacity(p) = 1000 × p / 1.8 for p ≥ 2; 4000 ≤ 0.7 × 1000 p / 1.8 ⇔ p ≥ 10.3 → 11 → aligned 12
    const result = oracleParallelism(pipeline(4000, { keySkew: 1.8 }), 0, { utilizationTarget: 0.7 });
    expect(result.parallelism['work']).toBe(12);
  });

  it('propagates selectivity downstream and follows the load profile in time', () => {
    const scenario = parseScenario({
      name: 'steps',
      job: {
        maxParallelism: 120,
        vertices: [
          {
            id: 'src',
            parallelism: 1,
            costMsPerRecord: 0.1,
            source: {
              partitions: 24,
              load: {
                type: 'steps',
                steps: [
                  { atMs: 0, recordsPerSecond: 1000 },
                  { atMs: '1 h', recordsPerSecond: 10000 },
                ],
              },
            },
          },
          { id: 'filter', parallelism: 1, costMsPerRecord: 0.1, selectivity: 0.5 },
          { id: 'sink', parallelism: 1, costMsPerRecord: 2 },
        ],
        edges: [
          { from: 'src', to: 'filter', shipStrategy: 'REBALANCE' },
          { from: 'filter', to: 'sink', shipStrategy: 'REBALANCE' },
        ],
      },
    });
    // at 1 h: sink gets 5000 rec/s, 500 per subtask → 5000 / (0.7 × 500) = 14.3 → 15 (no key groups: not aligned)
    expect(oracleParallelism(scenario, 3_600_000, { utilizationTarget: 0.7 }).parallelism['sink']).toBe(15);
    // before: 500 / 350 = 1.43 → 2
    expect(oracleParallelism(scenario, 0, { utilizationTarget: 0.7 }).parallelism['sink']).toBe(2);
  });

  it('flags a load no parallelism can carry and returns the best it can do', () => {
    // the source is capped by 2 partitions: at most 2 × 10 000 rec/s
    const scenario = parseScenario({
      name: 'capped',
      job: {
        vertices: [
          {
            id: 'src',
            parallelism: 1,
            costMsPerRecord: 0.1,
            source: { partitions: 2, load: { type: 'constant', recordsPerSecond: 50000 } },
          },
        ],
        edges: [],
      },
    });
    const result = oracleParallelism(scenario, 0, { utilizationTarget: 0.7, searchLimit: 16 });
    expect(result.infeasible).toEqual(['src']);
    expect(result.parallelism['src']).toBe(2);
  });

  it('sums a parallelism map', () => {
    expect(totalParallelism({ a: 1, b: 10, c: 2 })).toBe(13);
  });
});
