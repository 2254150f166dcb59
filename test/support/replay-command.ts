/**
 * Runs `fsa replay` through its command module (commander, as the binary wires it) and returns
 * what it printed; a failing command rejects with the error it threw.
 */
import { Command } from 'commander';
import { vi } from 'vitest';
import { registerReplayCommand } from '../../bin/commands/replay.ts';

export async function runReplayCommand(...args: string[]): Promise<string> {
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((text: unknown) => void printed.push(String(text)));
  try {
    const program = new Command().exitOverride();
    registerReplayCommand(program);
    for (const command of program.commands) command.exitOverride().configureOutput({ writeErr: () => {} });
    await program.parseAsync(['node', 'fsa', 'replay', ...args]);
  } finally {
    log.mockRestore();
  }
  return printed.join('\n');
}
