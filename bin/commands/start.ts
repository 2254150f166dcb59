import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { decide } from '../../lib/executor/decide.ts';
import { parseDecideInputFile } from '../../lib/executor/decide-input-file.ts';
import { decisionText } from '../format/decision-text.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'decide-input.json');

/**
 * `fsa start` (= `npm start`): the local demo. Until the local world (Flink simulator, Kubernetes
 * emulator, embedded DynamoDB on a virtual clock) lands, it runs the decision core on the
 * bundled example and says so.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Run the local demo (currently: the decision core on examples/decide-input.json)')
    .action(async () => {
      console.log(
        'Local demo: the decision core (decide()) on examples/decide-input.json.\n' +
          'The full local world (simulated Flink cluster, Kubernetes API emulator, embedded DynamoDB) is not built yet.\n',
      );
      const input = parseDecideInputFile(JSON.parse(await readFile(EXAMPLE, 'utf8')));
      console.log(decisionText(decide(input)));
    });
}
