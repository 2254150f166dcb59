/**
 * A steady cycle writes only its sample (issue #16): the state is written when the decision
 * changes something, and otherwise once per refresh interval (15 minutes), while the loaded state
 * still reports every cycle's evaluation time and the cost ledger as of it. Through the real cycle
 * against the local servers (emulator + Flink simulator) and the world's state store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { defaultItemLimits } from '../../../lib/adapters/state/save-window.ts';
import type { SaveResult, StateStore } from '../../../lib/ports/state-store.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';
import { LOCAL_JOB_KEY as KEY, type MinuteCycleWorld, startMinuteCycleWorld } from '../../support/minute-cycle-world.ts';

let current: MinuteCycleWorld | undefined;
let dynalite: DynaliteHandle | undefined;
afterEach(async () => {
  await current?.close();
  await dynalite?.close();
  current = undefined;
  dynalite = undefined;
});

/** The world's default store (in memory), or DynamoDB on dynalite. */
async function storeOf(kind: string): Promise<StateStore | undefined> {
  if (kind !== 'dynamodb') return undefined;
  dynalite = await startDynalite();
  const table = await createLocalStateTable(dynalite.endpoint);
  return new DynamoDbStateStore(table.doc, { tableName: table.tableName });
}

describe.each(['memory', 'dynamodb'])('state writes of steady cycles (%s store)', (kind) => {
  it('a balanced job writes its state once per refresh interval, and loads as of its last evaluation', async () => {
    const chosenStore = await storeOf(kind);
    current = await startMinuteCycleWorld(`steady-state-writes-${kind}`, chosenStore ? { store: chosenStore } : {});
    const { store, clock, minute } = current;
    const saves: SaveResult[] = [];
    const save = store.save.bind(store);
    store.save = async (key, loaded, request) => {
      const result = await save(key, loaded, request);
      saves.push(result);
      return result;
    };

    // Through the first rescale until balanced: the scale changes the overrides, so it is written.
    const results = [await minute()];
    for (let i = 0; i < 40 && results.at(-1)?.decision?.action !== 'balanced'; i++) results.push(await minute());
    expect(results.some((r) => r.decision?.action === 'scale')).toBe(true);
    expect(results.at(-1)?.decision?.action).toBe('balanced');

    // 30 balanced minutes: one sample each, the state refreshed every 15 minutes at most.
    saves.length = 0;
    const steady = [];
    for (let i = 0; i < 30; i++) steady.push(await minute());
    expect(steady.every((r) => r.decision?.action === 'balanced')).toBe(true);
    expect(saves).toHaveLength(30);
    const refreshMinutes = defaultItemLimits().stateRefreshMs / 60_000;
    const written = saves.filter((s) => s.stateWritten).length;
    expect(written).toBeGreaterThanOrEqual(Math.floor(30 / refreshMinutes) - 1);
    expect(written).toBeLessThanOrEqual(Math.ceil(30 / refreshMinutes));
    // Each stretch of unwritten saves is shorter than the refresh interval.
    let run = 0;
    for (const s of saves) {
      run = s.stateWritten ? 0 : run + 1;
      expect(run).toBeLessThan(refreshMinutes);
    }

    // The load reports the last cycle's evaluation and its running total, as if written each cycle.
    const loaded = await store.load(KEY, { sinceMs: clock.nowMs() - 15 * 60_000 });
    expect(loaded.state.lastEvaluationMs).toBeGreaterThanOrEqual(clock.nowMs() - 5_000);
    const last = steady.at(-1)!.costLedger!;
    expect(loaded.state.costLedger?.savedUsd).toBeCloseTo(last.savedUsd, 9);
    expect(loaded.state.costLedger?.currentTaskManagers).toBe(last.currentTaskManagers);
  });
});
