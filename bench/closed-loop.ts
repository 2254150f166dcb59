/**
 * Decision quality on the simulator (docs/design.md §8): every bundled benchmark scenario runs in the
 * local world (the autoscaler's real cycle over HTTP against the Flink simulator and the
 * Kubernetes emulator), with the AWS Managed Flink CPU rule on a copy of the same job, both
 * measured against the oracle.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalWorld, startLocalWorld } from '../sim/world/local-world.ts';
import { type ActorMetrics, type RunMetrics, runMetrics } from '../sim/world/run-metrics.ts';
import { loadWorldScenario } from '../sim/world/world-scenario.ts';
import type { WorldRun } from '../sim/world/world-timeline.ts';
import { REALISTIC_TIMING, type TickTiming } from '../sim/world/tick-timing.ts';
import type { BenchTable } from './bench-table.ts';

/** The scenario files of the suite, in table order (the default demo is `npm start`'s). */
export const BENCH_SCENARIOS = [
  'linear',
  'non-linear',
  'skew',
  'join',
  'few-partitions',
  'diurnal',
  'spikes',
  'steady',
  'backlog',
  'slow-restarts',
  'late-step',
] as const;

const SCENARIO_DIR = join(import.meta.dirname, '..', 'sim', 'scenarios');

/** One scenario's outcome with the pass/fail of the "done" criteria. */
export interface ClosedLoopResult {
  readonly name: string;
  readonly run: WorldRun;
  readonly metrics: RunMetrics;
  /** Criteria that failed (empty = all met). */
  readonly failures: readonly string[];
}

/**
 * The acceptance criteria for one run: linear → the oracle in 1 rescale; others at most the
 * scenario's `maxRescalesToConverge` (3 unless it says less: `late-step` 2) rescales to converge; final parallelism ≤ 1.10 × oracle; steady → 0 rescales after
 * convergence; fewer parallelism-hours than the baseline whenever the baseline holds the lag target.
 */
export function closedLoopFailures(run: WorldRun, metrics: RunMetrics): string[] {
  const a = metrics.autoscaler;
  const b = metrics.baseline;
  const failures: string[] = [];
  const maxRescales = run.maxRescalesToConverge;
  if (a.rescalesToConverge === undefined) failures.push('never converged');
  else if (a.rescalesToConverge > maxRescales)
    failures.push(`${a.rescalesToConverge} rescales to converge > ${maxRescales}`);
  if (!(a.finalRatio <= 1.1)) failures.push(`final ${a.finalRatio.toFixed(2)} × oracle > 1.10`);
  if (run.steady && a.rescalesAfterConvergence > 0)
    failures.push(`${a.rescalesAfterConvergence} rescales under steady load`);
  if (b.minutesLagAboveTarget === 0 && !(a.parallelismHours < b.parallelismHours)) {
    failures.push('not fewer parallelism-hours than the baseline');
  }
  return failures;
}

async function runOne(name: string, timing: TickTiming): Promise<ClosedLoopResult> {
  const scenario = await loadWorldScenario(join(SCENARIO_DIR, `${name}.yaml`));
  // The in-memory store keeps the suite fast; it stores the very items the DynamoDB adapter
  // writes (`npm start` and the integration test run the same cycle on dynalite).
  let world: LocalWorld | undefined;
  try {
    world = await startLocalWorld({ scenario, store: 'memory', timing });
    const run = await world.run();
    const metrics = runMetrics(run);
    return { name, run, metrics, failures: closedLoopFailures(run, metrics) };
  } finally {
    await world?.close();
  }
}

/** Runs the suite, `concurrency` worlds at a time (each is I/O-bound on loopback). */
export async function runClosedLoopSuite(
  names: readonly string[] = BENCH_SCENARIOS,
  concurrency = 4,
  timing: TickTiming = REALISTIC_TIMING,
): Promise<ClosedLoopResult[]> {
  const results: ClosedLoopResult[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const index = next++;
      results[index] = await runOne(names[index] ?? '', timing);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return results;
}

const pair = (a: string, b: string) => `${a} / ${b}`;
const ratio = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '—');
const converge = (m: ActorMetrics) =>
  m.rescalesToConverge === undefined ? 'never' : String(m.rescalesToConverge);

/** The suite as a bench table: autoscaler / baseline side by side per figure. */
export function closedLoopTable(
  results: readonly ClosedLoopResult[],
  wallMs: number,
  timing: TickTiming = REALISTIC_TIMING,
): BenchTable {
  const rows = results.map(({ name, run, metrics, failures }) => {
    const a = metrics.autoscaler;
    const b = metrics.baseline;
    return [
      `${name} (${run.durationMs / 3_600_000} h)`,
      pair(String(a.rescales), String(b.rescales)),
      pair(converge(a), converge(b)),
      pair(String(a.rescalesAfterConvergence), String(b.rescalesAfterConvergence)),
      pair(`${a.finalParallelism}/${a.finalOracle} = ${ratio(a.finalRatio)}`, ratio(b.finalRatio)),
      pair(ratio(a.parallelismHoursRatio), ratio(b.parallelismHoursRatio)),
      pair(String(a.minutesLagAboveTarget), String(b.minutesLagAboveTarget)),
      failures.length === 0 ? 'met' : failures.join('; '),
    ];
  });
  const cycles = results.reduce((sum, r) => sum + r.run.ticks.length, 0);
  return {
    title:
      timing.mode === 'realistic'
        ? 'Decision quality on the simulator, realistic timing (cycles 0.2–5 s late, ~1 % of ticks missed, ~1 % delivered twice): autoscaler / AWS Managed Flink rule (each vs the oracle)'
        : 'Decision quality on the simulator, exact timing (every cycle on its tick, for comparison): autoscaler / AWS Managed Flink rule (each vs the oracle)',
    headers: [
      'scenario',
      'rescales',
      'rescales to converge',
      'rescales after convergence',
      'final Σp / oracle',
      'parallelism-hours / oracle',
      'min lag > target',
      'criteria',
    ],
    rows,
    notes: [
      'Each scenario runs the autoscaler’s real cycle (run-cycle over the Flink REST and Kubernetes adapters, against the Flink simulator and the Kubernetes emulator on 127.0.0.1) once per simulated minute, each cycle timed as the title says (sim/world/tick-timing.ts, seed ' +
        `${timing.seed}); the baseline (×2 after 15 min at ≥ 75 % CPU, ÷2 after 6 h below 10 %, CPU = busiest subtask’s busy time) runs on a copy of the same simulated job in the same process. ` +
        'The oracle is the smallest aligned per-vertex parallelism at ≤ the utilization target from the simulator’s true capacities. Converged = no vertex below the oracle and Σp ≤ 1.10 × Σ oracle, measured from the last change of the oracle (the scenarios start balanced and change load after the first window; `backlog` and `steady` never change it). Lag target = `catch-up.duration`.',
      `${results.length} scenarios, ${cycles} cycles in ${(wallMs / 1000).toFixed(1)} s wall-clock (in-memory state store; \`npm start\` runs the same on dynalite).`,
    ],
  };
}

/** Bench entry point: the suite under `timing` (realistic by default, as deployed). */
export async function benchClosedLoop(timing: TickTiming = REALISTIC_TIMING): Promise<BenchTable> {
  const started = performance.now();
  const results = await runClosedLoopSuite(BENCH_SCENARIOS, 4, timing);
  return closedLoopTable(results, performance.now() - started, timing);
}

/** Scenario files present but not in the suite (a forgotten bench case shows up here). */
export function unlistedScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.replace(/\.yaml$/, ''))
    .filter((name) => name !== 'default' && !(BENCH_SCENARIOS as readonly string[]).includes(name));
}
