import type { Command } from 'commander';
import { registerCostCommand } from './cost.ts';
import { registerDoctorCommand } from './doctor.ts';
import { registerEvaluateCommand } from './evaluate.ts';
import { registerEventsCommand } from './events.ts';
import { registerRecommendCommand } from './recommend.ts';
import { registerRecordCommand } from './record.ts';
import { registerRedeployFromSavepointCommand } from './redeploy-from-savepoint.ts';
import { registerReplayCommand } from './replay.ts';
import { registerResetCommand } from './reset.ts';
import { registerRunCommand } from './run.ts';
import { registerSandboxCommand } from './sandbox.ts';
import { registerSimulateCommand } from './simulate.ts';
import { registerStartCommand } from './start.ts';
import { registerStateCommand } from './state.ts';
import { registerStatusCommand } from './status.ts';

/** Adds every subcommand to the program. Each command lives in its own file in this folder. */
export function registerCommands(program: Command): void {
  registerEvaluateCommand(program);
  registerStartCommand(program);
  registerSimulateCommand(program);
  registerStateCommand(program);
  registerStatusCommand(program);
  registerEventsCommand(program);
  registerRecordCommand(program);
  registerReplayCommand(program);
  registerRedeployFromSavepointCommand(program);
  registerResetCommand(program);
  registerRunCommand(program);
  registerRecommendCommand(program);
  registerSandboxCommand(program);
  registerDoctorCommand(program);
  registerCostCommand(program);
}
