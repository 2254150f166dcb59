/**
 * A worker killed between persist and realize (a realizer wrapper that dies after the state was
 * saved), duplicate and out-of-order SQS deliveries, and two workers on one job at once. The
 * invariants are checked after every run: no lost decision, no double rescale, one writer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobMessage } from '../../lib/ports/job-queue.ts';
import type { ScalingRealizer } from '../../lib/ports/scaling-realizer.ts';
import { InvariantChecker } from './support/invariants.ts';
import {
  MINUTE,
  type ReliabilityWorld,
  startReliabilityWorld,
  type TickResult,
} from './support/reliability-world.ts';

const CRASH = 'c-crash';
const OTHER = 'c-other';
const JOBS = [CRASH, OTHER];
let world: ReliabilityWorld;
let invariants: InvariantChecker;

beforeAll(async () => {
  world = await startReliabilityWorld({ jobs: JOBS });
  invariants = new InvariantChecker(world, JOBS);
});

afterAll(async () => {
  await world?.close();
});

/** Builds a tick result from worker results (for runs outside `world.tick`). */
function asTick(results: TickResult['results'], from: number): TickResult {
  const outcomes = new Map<string, string>();
  for (const r of results) {
    const name = r.job?.split('/').pop();
    if (name) outcomes.set(name, r.result?.outcome ?? `error:${r.error}`);
  }
  return { tickMs: world.clock.nowMs(), results, outcomes, patches: world.patchesSince(from) };
}

/** A minute on, the same tick of OTHER run by two workers at once; with what the round needs to check. */
async function twoWorkersAtOnce(requestId: string) {
  await world.advance(MINUTE);
  const message: JobMessage = { key: world.keyOf(OTHER), tickMs: world.clock.nowMs() };
  const from = world.emulator.requests.length;
  const before = await world.store.load(world.keyOf(OTHER), { sinceMs: 0 });
  const [a, b] = await Promise.all([
    world.runWorker([message], `${requestId}-a`),
    world.runWorker([message], `${requestId}-b`),
  ]);
  const results = [...a!, ...b!];
  return { from, before, results, summary: JSON.stringify(results.map((r) => r.result)) };
}

describe('a worker killed between persist and realize', () => {
  it('the next run applies the stored decision exactly once: no lost decision, no double rescale', async () => {
    let kills = 0;
    world.wrapRealizer = (real: ScalingRealizer): ScalingRealizer => ({
      realize: async (key, plan, options) => {
        if (key.name !== CRASH) return real.realize(key, plan, options);
        kills += 1;
        throw new Error('worker killed after persist, before realize');
      },
    });
    // Bounded: the first scale-up comes within 8 ticks.
    let storedAtCrash: Record<string, number> | undefined;
    for (let i = 0; i < 8 && storedAtCrash === undefined; i++) {
      const tick = await world.tick();
      await invariants.afterTick(tick, { healthy: [OTHER] });
      const state = await world.store.load(world.keyOf(CRASH), { sinceMs: 0 });
      if (Object.keys(state.state.parallelismOverrides).length > 0) {
        storedAtCrash = { ...state.state.parallelismOverrides };
        expect(tick.patches.filter((p) => p.job === CRASH)).toEqual([]);
        expect(tick.outcomes.get(CRASH)).toBe('failed');
      }
    }
    expect(storedAtCrash, 'a scale-up decision was persisted').toBeDefined();
    expect(kills).toBeGreaterThanOrEqual(1);
    world.wrapRealizer = undefined;

    // Three normal runs: the first reconciles, the later ones find nothing to change.
    const patches = [];
    for (let i = 0; i < 3; i++) {
      const tick = await world.tick();
      await invariants.afterTick(tick, { healthy: JOBS });
      patches.push(...tick.patches.filter((p) => p.job === CRASH));
    }
    expect(patches).toHaveLength(1);
    const applied = Object.fromEntries(
      patches[0]!.overrides!.split(',').map((entry) => {
        const [vertex, parallelism] = entry.split(':');
        return [vertex, Number(parallelism)];
      }),
    );
    expect(applied).toEqual(storedAtCrash);
    expect(world.sims.get(CRASH)!.cluster.parallelismOf('src')).toBe(
      Math.max(...Object.values(storedAtCrash!)),
    );
    expect(invariants.violations).toEqual([]);
  });
});

describe('SQS deliveries', () => {
  it('a duplicate in the same batch and a late older tick are skipped without writing', async () => {
    await world.advance(MINUTE);
    const older: JobMessage = { key: world.keyOf(OTHER), tickMs: world.clock.nowMs() - 1 };
    await world.advance(MINUTE);
    const current: JobMessage = { key: world.keyOf(OTHER), tickMs: world.clock.nowMs() };
    const from = world.emulator.requests.length;
    const before = await world.store.load(world.keyOf(OTHER), { sinceMs: 0 });
    // One batch: the message twice (SQS at-least-once), run with concurrency 4.
    const batch = await world.runWorker([current, current], 'dup-batch');
    const outcomes = batch.map((r) => r.result?.outcome).sort();
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'skipped')).toHaveLength(1);
    const afterBatch = await world.store.load(world.keyOf(OTHER), { sinceMs: 0 });
    // The older tick arrives late (out of order): nothing to do.
    const late = await world.runWorker([older], 'late');
    expect(late[0]?.result?.outcome).toBe('skipped');
    expect(late[0]?.result?.reason).toMatch(/duplicate or late delivery/);
    // The same message redelivered after a visibility timeout: skipped too.
    const redelivered = await world.runWorker([current], 'redelivered');
    expect(redelivered[0]?.result?.outcome).toBe('skipped');
    const after = await world.store.load(world.keyOf(OTHER), { sinceMs: 0 });
    expect(afterBatch.revision - before.revision).toBeLessThanOrEqual(1);
    expect(after.revision).toBe(afterBatch.revision);
    await invariants.afterTick(asTick([...batch, ...late, ...redelivered], from));
    expect(invariants.violations).toEqual([]);
  });

  // What FIFO message groups rule out in AWS, and what `fsa run` next to a deployment can still do:
  // of two runs that loaded the same state, at most one writes the state or the resource. A steady
  // cycle (only bookkeeping changed) records just its sample, without a revision check, so both may
  // record it; a cycle that changes the state makes the conditional write (persist before realize).
  it('two workers on one job at once: at most one writes the state or the resource', async () => {
    let bothSteady = 0;
    for (let round = 0; round < 5; round++) {
      const { from, before, results, summary } = await twoWorkersAtOnce(`worker-${round}`);
      const acted = results.filter((r) => r.result?.outcome !== 'skipped');
      const after = await world.store.load(world.keyOf(OTHER), { sinceMs: 0 });
      expect(after.revision - before.revision).toBeLessThanOrEqual(1);
      expect(world.patchesSince(from).length, summary).toBeLessThanOrEqual(1);
      if (acted.length === 2) {
        // Both steady: neither wrote the state nor the resource.
        bothSteady += 1;
        expect(after.revision, summary).toBe(before.revision);
        expect(world.patchesSince(from), summary).toEqual([]);
      } else {
        expect(acted, summary).toHaveLength(1);
        const loser = results.find((r) => r.result?.outcome === 'skipped');
        expect(loser?.result?.reason).toMatch(/duplicate|saved this job first/);
      }
      await invariants.afterTick(asTick(results, from), { healthy: [OTHER] });
    }
    expect(bothSteady).toBeGreaterThanOrEqual(1);
    expect(invariants.violations).toEqual([]);
  });

  // A steady cycle whose realize must still write the resource (overrides someone removed from the
  // spec while the job kept running) first makes the state write it left out, conditional on the
  // revision: the realizer here asks for that write as the Kubernetes realizer does before a PATCH.
  it('two steady workers that both must write the resource: the deferred state write lets exactly one', async () => {
    world.wrapRealizer = (real: ScalingRealizer): ScalingRealizer => ({
      realize: async (key, plan, options) => {
        await options?.beforeWrite?.();
        return real.realize(key, plan, options);
      },
    });
    try {
      for (let round = 0; round < 3; round++) {
        const { from, before, results, summary } = await twoWorkersAtOnce(`guard-${round}`);
        const reachedRealize = results.filter((r) => r.result?.realized !== undefined);
        expect(reachedRealize, summary).toHaveLength(1);
        const after = await world.store.load(world.keyOf(OTHER), { sinceMs: 0 });
        expect(after.revision - before.revision, summary).toBe(1);
        const loser = results.find((r) => r.result?.outcome === 'skipped');
        expect(loser?.result?.reason, summary).toMatch(/duplicate|saved this job first/);
        await invariants.afterTick(asTick(results, from), { healthy: [OTHER] });
      }
    } finally {
      world.wrapRealizer = undefined;
    }
    expect(invariants.violations).toEqual([]);
  });
});
