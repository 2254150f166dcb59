/**
 * DynamoDB faults through the full handler wiring, injected by a proxy in front of a real dynalite:
 * throttling beyond the SDK's retries, conditional-check failures, and the DynamoDB server
 * stopped in the middle of a tick and restarted on the same data. After every tick the invariants
 * are checked: no state lost or corrupted, no patch without stored state, every failure an event
 * (a Kubernetes Event while DynamoDB is down) and a metric, and every job decides again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvariantChecker } from './support/invariants.ts';
import { type ReliabilityWorld, startReliabilityWorld } from './support/reliability-world.ts';

const JOBS = ['d-one', 'd-two', 'd-three'];
let world: ReliabilityWorld;
let invariants: InvariantChecker;

beforeAll(async () => {
  world = await startReliabilityWorld({ jobs: JOBS });
  invariants = new InvariantChecker(world, JOBS);
  for (let i = 0; i < 2; i++) await invariants.afterTick(await world.tick(), { healthy: JOBS });
});

afterAll(async () => {
  await world?.close();
});

/** Ticks (at most 6) until every job runs a full cycle again (after a rescale's restart). */
async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) {
    const tick = await world.tick();
    await invariants.afterTick(tick);
    if ([...tick.outcomes.values()].every((o) => o === 'decided')) return;
  }
}

describe('DynamoDB faults', () => {
  it.each([
    ['ThrottlingException on PutItem', 'PutItem', 'ThrottlingException'],
    ['ProvisionedThroughputExceededException on Query', 'Query', 'ProvisionedThroughputExceededException'],
    // No cycle updates an item in place any more (an event repeat writes nothing): the state put.
    ['InternalServerError on PutItem', 'PutItem', 'InternalServerError'],
  ])(
    '%s beyond the SDK retries: one job fails visibly, the others go on, the next tick recovers',
    async (_name, operation, errorType) => {
      await settle();
      const injectedBefore = world.dynamo.injectedErrors();
      // The SDK makes 2 attempts here: 2 injected errors exhaust them for one call.
      world.dynamo.inject({
        operation,
        times: 2,
        errorType,
        status: errorType === 'InternalServerError' ? 500 : 400,
      });
      const faulted = await world.tick();
      world.dynamo.clearFaults();
      await invariants.afterTick(faulted);
      const failed = faulted.results.filter((r) => r.result?.outcome === 'failed' || r.error !== undefined);
      expect(
        failed.length,
        JSON.stringify(faulted.results.map((r) => r.result?.reason ?? r.error)),
      ).toBeLessThanOrEqual(1);
      expect(world.dynamo.injectedErrors() - injectedBefore).toBe(2);
      expect(faulted.results.filter((r) => r.result?.outcome === 'decided').length).toBeGreaterThanOrEqual(
        JOBS.length - 1,
      );
      const recovered = await world.tick();
      await invariants.afterTick(recovered, { healthy: JOBS });
      expect([...recovered.outcomes.values()].filter((o) => o === 'failed' || o.startsWith('error'))).toEqual(
        [],
      );
      expect(invariants.violations).toEqual([]);
    },
  );

  it('a ConditionalCheckFailed answer (another writer) skips the cycle without writing or patching', async () => {
    await settle();
    // On the state writes, which are conditional: steady cycles write only their sample, so the
    // three faults are met over the ticks that change a state or refresh it (every 15 minutes).
    const injectedBefore = world.dynamo.injectedErrors();
    world.dynamo.inject({ operation: 'PutItem', conditional: true, times: 3, errorType: 'ConditionalCheckFailedException' });
    const skipped: string[] = [];
    for (let i = 0; i < 20 && world.dynamo.injectedErrors() - injectedBefore < 3; i++) {
      const tick = await world.tick();
      await invariants.afterTick(tick);
      for (const r of tick.results) if (r.result?.outcome === 'skipped') skipped.push(r.result.reason);
      expect(tick.results.filter((r) => r.result?.outcome === 'failed')).toEqual([]);
    }
    world.dynamo.clearFaults();
    expect(world.dynamo.injectedErrors() - injectedBefore).toBe(3);
    expect(skipped).toHaveLength(3);
    for (const reason of skipped) expect(reason).toMatch(/saved this job first/);
    expect(invariants.violations).toEqual([]);
  });

  it('the DynamoDB server restarted mid-tick: nothing lost, failures visible as Kubernetes Events, all jobs decide again', async () => {
    const before = await Promise.all(JOBS.map((job) => world.store.load(world.keyOf(job), { sinceMs: 0 })));
    // Let the first few requests of the tick through, then stop the server under the run.
    world.dynamo.inject({ times: 4 });
    world.dynamo.inject({ times: 1, before: () => world.dynamo.stop() });
    const down = await world.tick();
    world.dynamo.clearFaults();
    expect(world.dynamo.running).toBe(false);
    await invariants.afterTick(down, { storeDown: true });
    const failedJobs = down.results
      .filter((r) => r.result?.outcome === 'failed')
      .map((r) => r.job!.split('/').pop()!);
    expect(failedJobs.length).toBeGreaterThanOrEqual(1);
    for (const job of failedJobs) {
      const events = world.emulator
        .events('flink-jobs', job)
        .filter((e) => e['reason'] === 'AutoscalerError');
      expect(events.length, job).toBeGreaterThanOrEqual(1);
    }
    await world.dynamo.start();
    // Nothing stored before the restart is lost.
    for (const [index, job] of JOBS.entries()) {
      const after = await world.store.load(world.keyOf(job), { sinceMs: 0 });
      expect(after.discarded).toBeUndefined();
      expect(after.revision).toBeGreaterThanOrEqual(before[index]!.revision);
      expect(after.state.parallelismOverrides).toEqual(
        expect.objectContaining(before[index]!.state.parallelismOverrides),
      );
    }
    // Nothing is held across the outage (no lease): the next tick decides every job again.
    const next = await world.tick();
    await invariants.afterTick(next);
    const decidedAgain = [...next.outcomes].filter(([, outcome]) => outcome === 'decided').map(([job]) => job);
    expect(decidedAgain.sort()).toEqual([...JOBS].sort());
    expect(invariants.violations).toEqual([]);
  });

  it('every job was scaled across the faults and every invariant held', async () => {
    for (const job of JOBS) {
      const state = await world.store.load(world.keyOf(job), { sinceMs: 0 });
      expect(Math.max(0, ...Object.values(state.state.parallelismOverrides)), job).toBeGreaterThanOrEqual(2);
    }
    expect(world.dynamo.injectedErrors()).toBeGreaterThanOrEqual(7);
    expect(invariants.violations).toEqual([]);
  });
});
