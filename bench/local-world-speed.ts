/**
 * How fast the local world runs (`npm start` must finish in under 60 s): the default scenario's
 * the scenario's 5 simulated hours at 1-minute cycles (realistic timing), on dynalite and on the in-memory store.
 */
import { join } from 'node:path';
import { startLocalWorld } from '../sim/world/local-world.ts';
import { loadWorldScenario } from '../sim/world/world-scenario.ts';
import { type BenchTable, median } from './bench-table.ts';

const DEFAULT_SCENARIO = join(import.meta.dirname, '..', 'sim', 'scenarios', 'default.yaml');

async function measure(store: 'dynamodb' | 'memory'): Promise<string[]> {
  const scenario = await loadWorldScenario(DEFAULT_SCENARIO);
  const started = performance.now();
  const world = await startLocalWorld({ scenario, store });
  const startupMs = performance.now() - started;
  try {
    const run = await world.run();
    const cycles = run.ticks.map((t) => t.cycleWallMs).sort((a, b) => a - b);
    const p95 = cycles[Math.floor(cycles.length * 0.95)] ?? 0;
    return [
      store === 'dynamodb' ? 'DynamoDB (dynalite)' : 'in-memory',
      String(run.ticks.length),
      (startupMs / 1000).toFixed(2),
      (run.wallMs / 1000).toFixed(1),
      (run.wallMs / run.ticks.length).toFixed(1),
      median(cycles).toFixed(1),
      p95.toFixed(1),
    ];
  } finally {
    await world.close();
  }
}

/** Bench entry point. */
export async function benchLocalWorldSpeed(): Promise<BenchTable> {
  return {
    title:
      'Local world speed: default scenario, 5 simulated hours at 1-minute cycles, realistic timing (budget: `npm start` < 60 s)',
    headers: [
      'state store',
      'cycles',
      'start-up (s)',
      'run (s)',
      'ms per tick',
      'cycle median (ms)',
      'cycle p95 (ms)',
    ],
    rows: [await measure('dynamodb'), await measure('memory')],
    notes: [
      'A tick moves the virtual clock of the simulator, the Kubernetes emulator and the cycle by one minute, steps the baseline job and evaluates the oracle; the cycle is run-cycle over HTTP (Flink REST through the emulator’s service proxy, Kubernetes API, DynamoDB).',
    ],
  };
}
