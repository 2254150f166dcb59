import type { Command } from 'commander';

/** Adds every subcommand to the program. Each command lives in its own file in this folder. */
export function registerCommands(_program: Command): void {}
