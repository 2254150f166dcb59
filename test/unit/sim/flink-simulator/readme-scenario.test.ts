import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRateAt, parseScenario } from '../../../../sim/flink-simulator/index.ts';

describe('simulator README', () => {
  it('its scenario example is valid and uses every load component', () => {
    const readme = readFileSync(
      join(import.meta.dirname, '../../../../sim/flink-simulator/README.md'),
      'utf8',
    );
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const scenario = parseScenario(yaml!);
    expect(scenario.vertices.map((v) => v.key)).toEqual(['orders', 'enrich']);
    const load = scenario.vertices[0]!.source!.load;
    expect(load.map((c) => c.type)).toEqual(['constant', 'steps', 'diurnal', 'spikes']);
    // at 2 h 1 min: 2000 + 1500 + 800·cos(2π(2h − 14h)/24h) + 5000 = 8500 − 800
    expect(loadRateAt(load, 2 * 3_600_000 + 60_000)).toBeCloseTo(
      2000 + 1500 + 800 * Math.cos((2 * Math.PI * (-12 * 60 + 1)) / (24 * 60)) + 5000,
      6,
    );
  });
});
