import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, SimulatedFlinkCluster } from '../../../../sim/flink-simulator/index.ts';

/** Random three-vertex diamond-ish graph: src → a → c and src → b → c. */
const scenarioArbitrary = fc.record({
  arrival: fc.integer({ min: 0, max: 20_000 }),
  partitions: fc.integer({ min: 1, max: 16 }),
  srcP: fc.integer({ min: 1, max: 8 }),
  aP: fc.integer({ min: 1, max: 8 }),
  bP: fc.integer({ min: 1, max: 8 }),
  cP: fc.integer({ min: 1, max: 8 }),
  costA: fc.double({ min: 0.01, max: 5, noNaN: true }),
  costB: fc.double({ min: 0.01, max: 5, noNaN: true }),
  costC: fc.double({ min: 0.01, max: 5, noNaN: true }),
  skew: fc.double({ min: 1, max: 4, noNaN: true }),
  selectivity: fc.double({ min: 0, max: 3, noNaN: true }),
  strategy: fc.constantFrom('HASH', 'REBALANCE', 'BROADCAST', 'GLOBAL', 'FORWARD') as fc.Arbitrary<
    'HASH' | 'REBALANCE' | 'BROADCAST' | 'GLOBAL' | 'FORWARD'
  >,
});

describe('flow model invariants (property-based)', () => {
  it('time splits into busy + back-pressured + idle, capacity and lag bounds hold', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (s) => {
        const scenario = parseScenario({
          job: {
            vertices: [
              {
                id: 'src',
                parallelism: s.srcP,
                costMsPerRecord: 0.05,
                source: { partitions: s.partitions, load: { type: 'constant', recordsPerSecond: s.arrival } },
              },
              {
                id: 'a',
                parallelism: s.aP,
                costMsPerRecord: s.costA,
                keySkew: s.skew,
                selectivity: s.selectivity,
              },
              { id: 'b', parallelism: s.bP, costMsPerRecord: s.costB },
              { id: 'c', parallelism: s.cP, costMsPerRecord: s.costC, keySkew: s.skew },
            ],
            edges: [
              { from: 'src', to: 'a', shipStrategy: 'HASH' },
              { from: 'src', to: 'b', shipStrategy: s.strategy },
              { from: 'a', to: 'c', shipStrategy: 'HASH' },
              { from: 'b', to: 'c', shipStrategy: 'REBALANCE' },
            ],
          },
        });
        const cluster = new SimulatedFlinkCluster(scenario);
        let previousLag = 0;
        for (let step = 0; step < 5; step++) {
          cluster.advance(1000);
          for (const key of ['src', 'a', 'b', 'c']) {
            const flow = cluster.flow(key)!;
            flow.busyMsPerSecond.forEach((busy, i) => {
              expect(busy).toBeGreaterThanOrEqual(0);
              expect(busy).toBeLessThanOrEqual(1000 + 1e-6);
              const total = busy + flow.backPressuredMsPerSecond[i]! + flow.idleMsPerSecond[i]!;
              expect(total).toBeCloseTo(1000, 6);
            });
            // No vertex processes more than its true capacity.
            expect(flow.inputRate).toBeLessThanOrEqual(cluster.trueCapacity(key) * (1 + 1e-6) + 1e-9);
          }
          const lag = cluster.lagOf('src');
          expect(lag).toBeGreaterThanOrEqual(0);
          // Lag grows by at most the arrivals of one step.
          expect(lag).toBeLessThanOrEqual(previousLag + s.arrival + 1e-6);
          previousLag = lag;
        }
      }),
      { numRuns: 200 },
    );
  });
});
