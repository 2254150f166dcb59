/**
 * The run record costs a write only when the cycle ends differently from the recorded run (or did
 * not save the state): steady cycles leave it, and `fsa status` takes their time from the state.
 * Through the real cycle against the local servers (emulator + Flink simulator).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../lib/domain/index.ts';
import { jobStatusOf } from '../../../lib/report/job-status.ts';
import { LOCAL_JOB_KEY as KEY, type MinuteCycleWorld, startMinuteCycleWorld } from '../../support/minute-cycle-world.ts';

let current: MinuteCycleWorld | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('run record writes', () => {
  it('a cycle that repeats the recorded run writes no run record; status shows its time all the same', async () => {
    current = await startMinuteCycleWorld('run-record-test');
    const { store, clock, minute } = current;
    const written: RunRecord[] = [];
    const record = store.recordRun.bind(store);
    store.recordRun = async (key, run) => {
      written.push(run);
      return record(key, run);
    };

    // Through its first rescale until the job is balanced: each change of how cycles end (a
    // not-ready spell, the scale, the restart, the next spell) is written once, and a cycle that
    // stopped before loading the state (nothing saved) always writes.
    const results = [await minute()];
    for (let i = 0; i < 40 && results.at(-1)?.decision?.action !== 'balanced'; i++) results.push(await minute());
    expect(results.at(-1)?.decision?.action).toBe('balanced');
    expect(results.some((r) => r.decision?.action === 'scale')).toBe(true);
    const endOf = (r: (typeof results)[number]) =>
      JSON.stringify([r.outcome, r.reason, r.decision?.action, r.notReady?.reason, r.notReady?.sinceMs]);
    const expectedWrites = results.filter(
      (r, i) => i === 0 || r.outcome === 'not-ready' || endOf(r) !== endOf(results[i - 1]!),
    ).length;
    expect(written).toHaveLength(expectedWrites);
    expect(results.length - written.length).toBeGreaterThanOrEqual(5); // repeats left unwritten
    expect(written.at(-1)).toMatchObject({ outcome: 'decided', action: 'balanced', atMs: clock.nowMs() });

    // Three more steady cycles: nothing is written, and status reads the latest time from the state.
    for (let i = 0; i < 3; i++) expect((await minute()).decision?.action).toBe('balanced');
    expect(written.at(-1)?.atMs).toBe(clock.nowMs() - 3 * 60_000);
    const loaded = await store.load(KEY, { sinceMs: 0 });
    const status = jobStatusOf(KEY, loaded.state, await store.lastRun(KEY));
    expect(status.lastRun?.atMs).toBe(clock.nowMs());
    expect(status.health).toBe('ok');
    expect(status.lastDecision).toMatch(/^balanced/);
  });
});
