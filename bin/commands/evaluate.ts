import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { decide } from '../../lib/decide/decide.ts';
import { parseDecideInputFile } from '../../lib/decide/decide-input-file.ts';
import { decisionText } from '../format/decision-text.ts';
import { toJsonText } from '../format/json-text.ts';

/** `fsa evaluate --input <file>`: runs the pure decision core on a file and prints the decision. */
export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('Run the decision core (decide()) on an input file and print the decision with its reasons')
    .requiredOption(
      '-i, --input <file>',
      'decide() input as JSON (format: README "fsa evaluate input format")',
    )
    .option('--json', 'print the full output (decision, new state, report) as JSON')
    .action(async (opts: { input: string; json?: boolean }) => {
      let text: string;
      try {
        text = await readFile(opts.input, 'utf8');
      } catch (error) {
        throw new Error(
          `cannot read --input ${opts.input}: ${(error as NodeJS.ErrnoException).code ?? error}`,
          { cause: error },
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new Error(`--input ${opts.input} is not valid JSON: ${(error as Error).message}`, {
          cause: error,
        });
      }
      const output = decide(parseDecideInputFile(json));
      console.log(opts.json ? toJsonText(output) : decisionText(output));
    });
}
