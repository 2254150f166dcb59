/**
 * Opt-out and deletion end to end in the local world: the dispatcher finds a job that still has
 * state but is no longer listed, the worker cleans it up exactly once (state items removed, an
 * event kept), and the overrides we wrote stay (default) or are removed (`on-disable: restore`).
 */
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerStatusCommand } from '../../../bin/commands/status.ts';
import { flinkResourcePath } from '../../../lib/adapters/kubernetes/resource-names.ts';
import type { CycleResult } from '../../../lib/cycle/cycle-result.ts';
import { type HandlerWorld, startHandlerWorld, WORLD_JOB, WORLD_KEY } from '../../support/handler-world.ts';

let world: HandlerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const resultOf = (tick: { results: readonly { result?: unknown }[] }) =>
  tick.results[0]?.result as CycleResult | undefined;

/** Ticks until the job scaled and the patch is in the spec. */
async function scaled(w: HandlerWorld): Promise<Record<string, string>> {
  const ticks = await w.tickUntilScale();
  expect(resultOf(ticks.at(-1)!)?.realized?.outcome).toBe('patched');
  const overrides = w.overrides();
  expect(Object.keys(overrides).length).toBeGreaterThan(0);
  return overrides;
}

describe('opt-out and clean-up', () => {
  it('opt-out keeps our overrides by default, removes the state once and records an event', async () => {
    world = await startHandlerWorld();
    const applied = await scaled(world);

    world.relabel({});
    const cleanup = await world.tick();
    const after = await world.tick();

    expect(cleanup.summary.cleanups).toBe(1);
    const result = resultOf(cleanup);
    expect(result?.outcome).toBe('gone');
    expect(result?.cleanup?.resource).toBe('kept');
    expect(result?.cleanup?.itemsDeleted).toBeGreaterThan(2); // state, samples, run record, registry
    expect(world.overrides()).toEqual(applied); // no surprise redeploy
    expect(await world.store.listJobKeys()).toEqual([]);
    expect((await world.store.load(WORLD_KEY, { sinceMs: 0 })).revision).toBe(0);
    expect(await world.store.lastRun(WORLD_KEY)).toBeUndefined();
    // Once: the next tick has nothing to clean up and dispatches nothing.
    expect(after.summary).toMatchObject({ dispatched: 0, cleanups: 0 });
    const events = await world.store.listEvents(WORLD_KEY);
    const disabled = events.filter((e) => e.reason === 'AutoscalerDisabled');
    expect(disabled).toHaveLength(1);
    expect(disabled[0]!.message).toMatch(/no longer carries flink-serverless-autoscaler\/enabled=true.*Kept/);
    expect(events.map((e) => e.reason)).toContain('ScalingReport'); // the history stays readable
  });

  it('opt-out with on-disable: restore removes our overrides so the spec parallelism returns', async () => {
    world = await startHandlerWorld({ annotations: { 'flink-serverless-autoscaler/on-disable': 'restore' } });
    await scaled(world);

    world.relabel({}, { 'flink-serverless-autoscaler/on-disable': 'restore' });
    const result = resultOf(await world.tick());
    await world.advance(60_000);

    expect(result?.cleanup?.resource).toBe('restored');
    expect(world.overrides()).toEqual({});
    const resource = world.emulator.get('FlinkDeployment', 'flink-jobs', WORLD_JOB) as unknown as {
      spec: { flinkConfiguration: Record<string, string> };
    };
    expect(resource.spec.flinkConfiguration).not.toHaveProperty('pipeline.jobvertex-parallelism-overrides');
    const disabled = (await world.store.listEvents(WORLD_KEY)).find((e) => e.reason === 'AutoscalerDisabled');
    expect(disabled?.message).toMatch(/Restored: .*overrides were removed/);
  });

  it('deletion removes the state and records the clean-up; the resource is not recreated', async () => {
    world = await startHandlerWorld();
    await scaled(world);

    await world.client.request('DELETE', flinkResourcePath('FlinkDeployment', 'flink-jobs', WORLD_JOB));
    const result = resultOf(await world.tick());

    expect(result?.outcome).toBe('gone');
    expect(result?.cleanup?.resource).toBe('deleted');
    expect(world.emulator.get('FlinkDeployment', 'flink-jobs', WORLD_JOB)).toBeUndefined();
    expect(await world.store.listJobKeys()).toEqual([]);
    const disabled = (await world.store.listEvents(WORLD_KEY)).find((e) => e.reason === 'AutoscalerDisabled');
    expect(disabled?.message).toMatch(/^The resource was deleted; .*removed its stored state/);
  });

  it('fsa status shows mode, last evaluation, last decision and health from the run record', async () => {
    world = await startHandlerWorld();
    await scaled(world);
    const output: string[] = [];
    const status = async (...args: string[]) => {
      const program = new Command().exitOverride();
      registerStatusCommand(program, { write: (text) => output.push(text) }, () => world!.clock.nowMs());
      await program.parseAsync([
        'node',
        'fsa',
        'status',
        ...args,
        '--endpoint',
        world!.dynamoEndpoint,
        '--table',
        world!.tableName,
      ]);
      return output.pop() ?? '';
    };

    const run = await world.store.lastRun(WORLD_KEY);
    const json = JSON.parse(await status('flink-jobs/orders-enrichment', '--json'));
    const table = await status();
    const none = await status('flink-jobs/other');

    expect(json).toEqual([
      expect.objectContaining({
        job: 'local/flink-jobs/FlinkDeployment/orders-enrichment',
        mode: 'active',
        lastEvaluationMs: world.clock.nowMs(),
        // 1 → 2 TaskManagers of 2 vCPU and 4 GiB at the Fargate defaults
        lastDecision: 'scale, patched in-place (+1 TM +$0.0987/h, +$72.08/month)',
        costVsSpec: expect.objectContaining({ specTaskManagers: 1, currentTaskManagers: 1, savedUsd: 0 }),
        health: 'ok',
      }),
    ]);
    expect(table).toMatch(/^JOB\s+MODE\s+LAST EVALUATION\s+LAST DECISION\s+PENDING SCALE-DOWN\s+COST VS SPEC\s+HEALTH/);
    expect(table).toMatch(
      /orders-enrichment\s+active\s+\S+ \(0s ago\)\s+scale, patched in-place \(\+1 TM \+\$0\.0987\/h, \+\$72\.08\/month\)\s+–\s+saved \$0\.00 since .+ UTC \(1 TM vs 1 in the spec: \$0\.00\/h\)\s+ok/,
    );
    expect(none).toBe('no managed jobs with stored state\n');

    expect(run).toMatchObject({
      outcome: 'decided',
      mode: 'active',
      action: 'scale',
      realized: 'patched',
      upgradePath: 'in-place',
    });
    expect(run?.atMs).toBe(world.clock.nowMs());
  });
});
