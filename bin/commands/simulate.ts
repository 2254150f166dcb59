import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { formatDuration, parseDurationMs } from '../../lib/config/value-parsers.ts';
import { ScenarioError } from '../../sim/flink-simulator/parse-scenario.ts';
import type { ActorMetrics, RunMetrics } from '../../sim/world/run-metrics.ts';
import { REALISTIC_TIMING, type TickTiming, tickTimingNamed } from '../../sim/world/tick-timing.ts';
import { runWorldReport } from '../../sim/world/run-world-report.ts';
import { loadWorldScenario } from '../../sim/world/world-scenario.ts';
import { loadModulePolicyHook } from '../../lib/adapters/policy/module-policy-hook.ts';

/** Options shared by `fsa start` and `fsa simulate`. */
export interface SimulationOptions {
  readonly scenarioPath: string;
  readonly outDir: string;
  readonly hours?: number;
  readonly tickMs?: number;
  readonly store: 'dynamodb' | 'memory';
  /** Policy hook module (default export or `review`), as in `fsa run --policy-module`. */
  readonly policyModule?: string;
  /** When cycles start: `realistic` (late, missed, duplicate ticks; the default) or `exact`. */
  readonly timing?: TickTiming;
}

/** Help text of `--timing` (fsa simulate, fsa start). */
export const TIMING_HELP =
  'when cycles start: realistic (each 0.2–5 s after its tick, ~1 % of ticks missed, ~1 % delivered twice) or exact (on the tick); default: realistic';

export function parseHours(value: string): number {
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 14) {
    throw new InvalidArgumentError(`'${value}' is not a number of hours in (0, 336].`);
  }
  return hours;
}

export function parseTick(value: string): number {
  let ms: number;
  try {
    ms = parseDurationMs(value);
  } catch {
    throw new InvalidArgumentError(`'${value}' is not a duration (e.g. 1 min, 30 s).`);
  }
  if (ms < 1000) throw new InvalidArgumentError(`'${value}' is shorter than 1 s.`);
  return ms;
}

/** `--timing`: realistic (default) or exact. */
export function parseTiming(value: string): TickTiming {
  try {
    return tickTimingNamed(value);
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
}

export function parseStore(value: string): 'dynamodb' | 'memory' {
  if (value !== 'dynamodb' && value !== 'memory') {
    throw new InvalidArgumentError(`'${value}' must be dynamodb or memory.`);
  }
  return value;
}

/** "1 rescale", "2 rescales". */
function rescales(n: number): string {
  return `${n} rescale${n === 1 ? '' : 's'}`;
}

/**
 * Whether an actor converged after the oracle's last change. "Not converged" says how long the run
 * went on after that change: a load that falls shortly before the end leaves a scaler that waits
 * `scale-down.interval` (1 h by default) no time to follow it, which is not the same as never
 * following it.
 */
function convergence(m: ActorMetrics, lastLoadChangeMs: number, endMs: number): string {
  if (m.rescalesToConverge !== undefined) {
    return `converged after ${rescales(m.rescalesToConverge)} (at ${clockOf(m.convergedAtMs ?? endMs)})`;
  }
  const sinceMinutes = Math.round((endMs - lastLoadChangeMs) / 60_000);
  return `not converged in the ${sinceMinutes} min after the oracle last changed (at ${clockOf(lastLoadChangeMs)})`;
}

/** One actor's result line. */
function actorLine(label: string, m: ActorMetrics, lastLoadChangeMs: number, endMs: number): string {
  return `  ${label.padEnd(11)} ${String(m.rescales).padStart(2)} rescales, ${convergence(m, lastLoadChangeMs, endMs)}, final Σp ${m.finalParallelism} / oracle ${m.finalOracle}, ${m.parallelismHours.toFixed(1)} parallelism-hours (${m.parallelismHoursRatio.toFixed(2)}× oracle), ${m.minutesLagAboveTarget} min lag above target`;
}

/**
 * The closing line: the autoscaler's outcome in one sentence, against the oracle and the Managed
 * Flink rule (the baseline), e.g. "Result: after the last load change (3:00) the autoscaler
 * converged after 2 rescales (3:47): final Σp 16 = the oracle's 16; 71.0 parallelism-hours,
 * 0.29× the Managed Flink rule's 246.9."
 */
export function resultLine(metrics: RunMetrics, endMs: number): string {
  const a = metrics.autoscaler;
  const ratioToRule = a.parallelismHours / metrics.baseline.parallelismHours;
  const sigma =
    a.finalParallelism === a.finalOracle
      ? `final Σp ${a.finalParallelism} = the oracle's ${a.finalOracle}`
      : `final Σp ${a.finalParallelism} vs the oracle's ${a.finalOracle} (${a.finalRatio.toFixed(2)}×)`;
  return (
    `Result: after the last load change (${clockOf(metrics.lastLoadChangeMs)}) the autoscaler ` +
    `${convergence(a, metrics.lastLoadChangeMs, endMs)}: ${sigma}; ` +
    `${a.parallelismHours.toFixed(1)} parallelism-hours, ${Number.isFinite(ratioToRule) ? ratioToRule.toFixed(2) : '—'}× the Managed Flink rule's ${metrics.baseline.parallelismHours.toFixed(1)}.`
  );
}

/**
 * Runs a scenario in the local world (simulated Flink, Kubernetes emulator, DynamoDB on a
 * virtual clock), printing progress, and writes report.html + summary.json.
 */
export async function runSimulation(options: SimulationOptions): Promise<void> {
  let scenario: Awaited<ReturnType<typeof loadWorldScenario>>;
  try {
    scenario = await loadWorldScenario(options.scenarioPath);
  } catch (error) {
    if (error instanceof ScenarioError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${options.scenarioPath}: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
  const durationMs = options.hours !== undefined ? options.hours * 3_600_000 : scenario.world.durationMs;
  console.log(
    `Local world: ${scenario.simulator.name} for ${formatDuration(durationMs)} of simulated time` +
      ` (Flink simulator + Kubernetes emulator + ${options.store === 'dynamodb' ? 'DynamoDB (dynalite)' : 'in-memory state'}, virtual clock,` +
      ` ${(options.timing ?? REALISTIC_TIMING).mode === 'exact' ? 'cycles exactly on each tick' : 'cycles 0.2–5 s late, ~1 % of ticks missed or delivered twice'})`,
  );
  if (scenario.world.description) console.log(`  ${scenario.world.description}`);
  const result = await runWorldReport({
    scenario,
    outDir: options.outDir,
    durationMs,
    ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
    store: options.store,
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.policyModule ? { policy: await loadModulePolicyHook(options.policyModule) } : {}),
    print: (line) => console.log(line),
    tty: process.stdout.isTTY === true,
    writeRaw: (text) => process.stdout.write(text),
  });
  const { run, metrics } = result;
  console.log(
    `\nDone: ${run.ticks.length} cycles in ${(run.wallMs / 1000).toFixed(1)} s wall-clock (${(run.wallMs / Math.max(1, run.ticks.length)).toFixed(1)} ms per cycle).`,
  );
  const endMs = run.ticks.at(-1)?.tMs ?? 0;
  console.log(actorLine('autoscaler', metrics.autoscaler, metrics.lastLoadChangeMs, endMs));
  console.log(actorLine('baseline', metrics.baseline, metrics.lastLoadChangeMs, endMs));
  if (run.problems.length > 0) console.log(`  ${run.problems.length} problem(s) logged; see the report.`);
  console.log(`Report:  ${result.reportPath}\nSummary: ${result.summaryPath}`);
  console.log(resultLine(metrics, endMs));
}

/** `fsa simulate --scenario <file>`: any scenario in the local world. */
export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('Run a scenario in the local world and write report.html + summary.json')
    .requiredOption('--scenario <file>', 'scenario file (YAML or JSON; see sim/scenarios/)')
    .option('--hours <n>', 'simulated hours (default: the scenario’s duration)', parseHours)
    .option('--out <dir>', 'output directory', 'out')
    .option('--tick <duration>', 'virtual time between autoscaler cycles', parseTick, 60_000)
    .option('--store <kind>', 'state store: dynamodb (dynalite) or memory', parseStore, 'dynamodb')
    .option('--timing <mode>', TIMING_HELP, parseTiming)
    .option('--policy-module <file>', 'policy hook module reviewing every change (see examples/policy-hook/)')
    .action(
      async (opts: {
        scenario: string;
        hours?: number;
        out: string;
        tick: number;
        store: 'dynamodb' | 'memory';
        timing?: TickTiming;
        policyModule?: string;
      }) => {
        await runSimulation({
          scenarioPath: resolve(opts.scenario),
          outDir: resolve(opts.out),
          ...(opts.hours !== undefined ? { hours: opts.hours } : {}),
          tickMs: opts.tick,
          store: opts.store,
          ...(opts.timing ? { timing: opts.timing } : {}),
          ...(opts.policyModule ? { policyModule: opts.policyModule } : {}),
        });
      },
    );
}

/** Scenario time as h:mm. */
function clockOf(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
