import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCH_SCENARIOS, unlistedScenarios } from '../../../../bench/closed-loop.ts';
import { ScenarioError } from '../../../../sim/flink-simulator/parse-scenario.ts';
import { loadWorldScenario, parseWorldScenario } from '../../../../sim/world/world-scenario.ts';

const DIR = join(import.meta.dirname, '..', '..', '..', '..', 'sim', 'scenarios');
const FILES = readdirSync(DIR).filter((file) => file.endsWith('.yaml'));

describe('world scenarios', () => {
  it.each(FILES)('bundled scenario %s parses', async (file) => {
    const scenario = await loadWorldScenario(join(DIR, file));
    expect(scenario.simulator.vertices.length).toBeGreaterThan(0);
    expect(scenario.world.description).not.toBe('');
    // Bench time: the longest is diurnal's compressed day (6 h) plus its night (3 h).
    expect(scenario.world.durationMs).toBeLessThanOrEqual(9 * 3_600_000);
  });

  it('every bundled scenario but the demo is in the benchmark suite', () => {
    expect(unlistedScenarios()).toEqual([]);
    expect(FILES.sort()).toEqual([...BENCH_SCENARIOS, 'default'].map((n) => `${n}.yaml`).sort());
  });

  it('applies defaults and stringifies configuration values as Kubernetes stores them', () => {
    const scenario = parseWorldScenario(`
name: tiny
world: { flinkConfiguration: { job.autoscaler.utilization.target: 0.6, job.autoscaler.memory.tuning.enabled: true } }
job: { vertices: [{ id: src, parallelism: 1, costMsPerRecord: 1, source: { partitions: 1, load: { type: constant, recordsPerSecond: 1 } } }], edges: [] }
`);
    expect(scenario.world).toEqual({
      description: '',
      durationMs: 6 * 3_600_000,
      linear: false,
      steady: false,
      maxRescalesToConverge: 3,
      flinkConfiguration: {
        'job.autoscaler.utilization.target': '0.6',
        'job.autoscaler.memory.tuning.enabled': 'true',
      },
      taskManagerMemory: '4g',
    });
  });

  it.each([
    { text: 'world: { hours: 2 }\njob: { vertices: [], edges: [] }', field: 'world.hours' },
    { text: 'world: { durationMs: "-1 h" }\njob: { vertices: [], edges: [] }', field: '' },
    { text: 'world: { linear: "yes" }\njob: { vertices: [], edges: [] }', field: 'world.linear' },
    { text: '- not an object', field: '' },
  ])('rejects a bad world block ($field)', ({ text, field }) => {
    let caught: unknown;
    try {
      parseWorldScenario(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    expect((caught as ScenarioError).field).toBe(field);
  });
});
