import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { TickTiming } from '../../sim/world/tick-timing.ts';
import { parseHours, parseStore, parseTiming, runSimulation, TIMING_HELP } from './simulate.ts';

/** The bundled demo scenario (Kafka → parse → keyBy window → sink; ramp, spike, lull, a last peak held 2 h). */
export const DEFAULT_SCENARIO = join(import.meta.dirname, '..', '..', 'sim', 'scenarios', 'default.yaml');

/**
 * `fsa start` (= `npm start`): the local world with the default scenario — the Flink simulator,
 * the Kubernetes emulator, DynamoDB (dynalite) and the autoscaler's cycle on one virtual clock,
 * with live progress, out/report.html and out/summary.json.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Run the local world with the default scenario (5 simulated hours) and write out/report.html',
    )
    .option('--hours <n>', 'simulated hours (default 5, the scenario’s)', parseHours)
    .option('--out <dir>', 'output directory', 'out')
    .option('--store <kind>', 'state store: dynamodb (dynalite) or memory', parseStore, 'dynamodb')
    .option('--timing <mode>', TIMING_HELP, parseTiming)
    .option('--policy-module <file>', 'policy hook module reviewing every change (see examples/policy-hook/)')
    .action(
      async (opts: {
        hours?: number;
        out: string;
        store: 'dynamodb' | 'memory';
        timing?: TickTiming;
        policyModule?: string;
      }) => {
        await runSimulation({
          scenarioPath: DEFAULT_SCENARIO,
          outDir: resolve(opts.out),
          ...(opts.hours !== undefined ? { hours: opts.hours } : {}),
          store: opts.store,
          ...(opts.timing ? { timing: opts.timing } : {}),
          ...(opts.policyModule ? { policyModule: opts.policyModule } : {}),
        });
      },
    );
}
