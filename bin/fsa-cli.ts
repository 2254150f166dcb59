import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';

const program = new Command();
program
  .name('fsa')
  .description('Flink Serverless Autoscaler: evaluate, simulate and operate autoscaling of Flink jobs on EKS')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else {
    console.error(`fsa: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
