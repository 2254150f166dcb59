import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEventsCommand } from '../../../bin/commands/events.ts';
import { parseJobArgument, registerStateCommand } from '../../../bin/commands/state.ts';
import { DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { aFullSample, aFullState, vertexIds } from '../../contract/state-fixtures.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';

let dynalite: DynaliteHandle;
let tableName: string;
const job = 'prod/flink/FlinkDeployment/orders';
const ids = vertexIds(3);
const nowMs = Date.now();

beforeAll(async () => {
  dynalite = await startDynalite();
  const table = await createLocalStateTable(dynalite.endpoint);
  tableName = table.tableName;
  const store = new DynamoDbStateStore(table.doc, { tableName });
  const key = parseJobArgument(job);
  const loaded = await store.load(key, { sinceMs: 0 });
  await store.save(key, loaded, {
    state: aFullState(ids, 2, nowMs),
    sample: aFullSample(ids, nowMs),
    windowMs: 900_000,
  });
  await store.appendEvent(
    key,
    { reason: 'ScalingReport', type: 'Normal', message: 'Scaling vertices:\n v1 2 -> 4' },
    nowMs - 1000,
  );
  await store.appendEvent(
    key,
    { reason: 'AutoscalerError', type: 'Warning', message: 'REST timeout' },
    nowMs,
  );
});
afterAll(async () => {
  await dynalite?.close();
});

async function run(...args: string[]): Promise<string> {
  let text = '';
  const output = {
    write: (t: string) => {
      text += t;
    },
  };
  const program = new Command().exitOverride();
  registerStateCommand(program, output);
  registerEventsCommand(program, output);
  await program.parseAsync(['node', 'fsa', ...args, '--endpoint', dynalite.endpoint, '--table', tableName]);
  return text;
}

describe('fsa state / fsa events', () => {
  it('prints the state as a table', async () => {
    const text = await run('state', job);

    expect(text).toMatch(/^job\s+prod\/flink\/FlinkDeployment\/orders$/m);
    expect(text).toMatch(/^revision\s+1$/m);
    expect(text).toMatch(/^samples in window\s+1$/m);
    expect(text).toContain(`${ids[0]}`);
    expect(text).toContain('taskmanager.memory.process.size: 4 gb');
  });

  it('prints the state as JSON, keeping non-finite numbers visible', async () => {
    const parsed = JSON.parse(await run('state', job, '--json'));

    expect(parsed.revision).toBe(1);
    expect(parsed.state.parallelismOverrides).toEqual(aFullState(ids, 2, nowMs).parallelismOverrides);
    expect(parsed.state.memoryHistory.peaks).toEqual([1.5, 'NaN', 'Infinity', 0]);
    expect(parsed.samples).toHaveLength(1);
  });

  it('prints events newest first, as a table or JSON', async () => {
    const table = await run('events', job);
    const json = JSON.parse(await run('events', job, '--json', '--limit', '1'));

    const lines = table.trim().split('\n');
    expect(lines[0]).toMatch(/^FIRST\s+LAST\s+COUNT\s+TYPE\s+REASON\s+MESSAGE$/);
    expect(lines[1]).toMatch(/Warning\s+AutoscalerError\s+REST timeout$/);
    expect(lines[2]).toMatch(/Normal\s+ScalingReport\s+Scaling vertices:$/);
    expect(json).toEqual([expect.objectContaining({ reason: 'AutoscalerError', count: 1 })]);
  });

  it('names what is wrong with a bad job argument', async () => {
    await expect(run('state', 'prod/flink/orders')).rejects.toThrow(
      /<cluster>\/<namespace>\/<FlinkDeployment/,
    );
  });
});
