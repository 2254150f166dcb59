/**
 * Liveness through the real cycle (emulator + Flink simulator + the run record): a job that cannot
 * be evaluated yet says why and since when, a job evaluated again clears it, and one that stays
 * not ready past stabilization + window + a margin is stuck, as `fsa status` shows it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jobStatusOf } from '../../../lib/report/job-status.ts';
import { LOCAL_JOB_KEY as KEY, type MinuteCycleWorld, startMinuteCycleWorld } from '../../support/minute-cycle-world.ts';

const MIN = 60_000;
let current: MinuteCycleWorld | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** A cycle per simulated minute against the local servers; window 5 min, stabilization 1 min. */
async function world(): Promise<MinuteCycleWorld> {
  current = await startMinuteCycleWorld('liveness-test');
  return current;
}

describe('liveness', () => {
  it('a filling window is a not-ready spell with its start, cleared once the job is evaluated', async () => {
    const { store, minute } = await world();
    const first = await minute();
    const firstMs = (await store.lastRun(KEY))!.atMs;
    expect(first.notReady).toMatchObject({ sinceMs: firstMs, stuck: false });
    expect(['stabilizing', 'window']).toContain(first.notReady?.reason);
    let result = first;
    for (let i = 0; i < 10 && result.notReady; i++) {
      result = await minute();
      if (result.notReady) expect(result.notReady.sinceMs).toBe(firstMs); // the same spell goes on
    }
    expect(result.notReady).toBeUndefined();
    expect(result.decision?.action).not.toBe('not-ready');
    expect((await store.lastRun(KEY))!.notReady).toBeUndefined();
  });

  it('a job not ready for longer than it can be by design is stuck, and fsa status says so', async () => {
    const { store, clock, minute } = await world();
    // The previous run, 40 minutes ago, already found the job not ready (e.g. before a long outage
    // of its metrics): the spell continues from there.
    await store.recordRun(KEY, {
      atMs: clock.nowMs() - MIN,
      outcome: 'not-ready',
      reason: 'no metrics',
      notReady: { reason: 'metrics', sinceMs: clock.nowMs() - 40 * MIN, stuck: true },
    });
    const result = await minute();
    // window 5 min + stabilization 1 min + 3 min + 10 min margin < the 30-minute floor: 41 min > 30
    expect(result.notReady).toMatchObject({ sinceMs: clock.nowMs() - 41 * MIN, stuck: true });
    const status = jobStatusOf(KEY, (await store.load(KEY, { sinceMs: 0 })).state, await store.lastRun(KEY));
    expect(status.health).toMatch(/^not ready for 41 min: (stabilizing after a \(re\)start|metric window not full) — stuck/);
  });
});
