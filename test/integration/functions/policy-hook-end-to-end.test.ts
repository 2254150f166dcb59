/**
 * The policy hook end to end in the local world (simulator + emulator + dynalite + both
 * handlers): allow, deny (reported once per `scaling.event.interval`), modify (restricted to our
 * keys), a hook that times out (fail-closed and fail-open) and a patch outside our keys.
 */
import type { CycleResult } from '../../../lib/cycle/cycle-result.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionPolicyHook, type PolicyReviewFunction } from '../../../lib/adapters/policy/module-policy-hook.ts';
import type { ScalingProposal } from '../../../lib/ports/policy-hook.ts';
import {
  type HandlerWorld,
  OVERRIDES_KEY,
  startHandlerWorld,
  WORLD_KEY,
} from '../../support/handler-world.ts';

let world: HandlerWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A policy that records every proposal and answers with `answer`. */
function recordingPolicy(
  answer: PolicyReviewFunction,
  options: ConstructorParameters<typeof FunctionPolicyHook>[2] = {},
) {
  const proposals: ScalingProposal[] = [];
  const hook = new FunctionPolicyHook(
    'test-policy',
    (proposal) => {
      proposals.push(proposal);
      return answer(proposal);
    },
    options,
  );
  return { hook, proposals };
}

const resultOf = (tick: { results: readonly { result?: unknown }[] }) =>
  tick.results[0]?.result as CycleResult | undefined;

describe('policy hook', () => {
  it('allow: the proposal carries identity, decision, spec excerpt and the exact patch, which is applied', async () => {
    const { hook, proposals } = recordingPolicy(() => ({ verdict: 'allow' }));
    world = await startHandlerWorld({ policy: hook });

    const ticks = await world.tickUntilScale();
    const result = resultOf(ticks.at(-1)!);

    expect(result?.decision?.action).toBe('scale');
    expect(result?.policy).toMatchObject({ verdict: 'allow', hook: 'test-policy' });
    expect(proposals).toHaveLength(1);
    const proposal = proposals[0]!;
    expect(proposal.resource).toMatchObject({
      cluster: 'local',
      namespace: 'flink-jobs',
      name: 'orders-enrichment',
    });
    expect(proposal.current.jobParallelism).toBe(4);
    expect(proposal.upgradePath).toBe('in-place');
    expect(proposal.decision.vertices.length).toBeGreaterThanOrEqual(1);
    expect(proposal.decision.vertices[0]!.newParallelism).toBeGreaterThan(
      proposal.decision.vertices[0]!.currentParallelism,
    );
    // The patch the hook saw is the patch that reached the resource.
    const proposed = (proposal.patch['spec'] as { flinkConfiguration: Record<string, string> })
      .flinkConfiguration[OVERRIDES_KEY];
    expect(result?.realized?.outcome).toBe('patched');
    expect(result?.realized?.patch).toEqual(proposal.patch);
    expect(
      Object.entries(world.overrides())
        .map(([v, p]) => `${v}:${p}`)
        .join(','),
    ).toBe(proposed);
  });

  it('deny: nothing is applied or stored as executed, and the veto is reported once per event interval', async () => {
    const { hook, proposals } = recordingPolicy(() => ({ verdict: 'deny', reason: 'change freeze' }));
    world = await startHandlerWorld({ policy: hook });

    const ticks = await world.tickUntilScale();
    const first = resultOf(ticks.at(-1)!);
    const second = resultOf(await world.tick());

    for (const result of [first, second]) {
      expect(result?.outcome).toBe('decided');
      expect(result?.policy).toMatchObject({ verdict: 'deny', reason: 'change freeze' });
      expect(result?.decision?.action).toBe('blocked');
      expect(result?.decision?.guards.at(-1)).toMatchObject({ guard: 'policy', passed: false });
      expect(result?.realized).toBeUndefined();
    }
    expect(proposals).toHaveLength(2); // asked again: the change is still wanted
    expect(world.overrides()).toEqual({});
    const loaded = await world.store.load(WORLD_KEY, { sinceMs: 0 });
    expect(loaded.state.parallelismOverrides).toEqual({});
    expect(loaded.state.scalingTracking).toEqual([]);
    const events = await world.store.listEvents(WORLD_KEY);
    const vetoes = events.filter((e) => e.reason === 'ScalingVetoed');
    expect(vetoes).toHaveLength(1);
    // The second veto repeats the first within the event interval and writes nothing.
    expect(vetoes[0]).toMatchObject({ count: 1, type: 'Warning' });
    expect(vetoes[0]!.message).toMatch(/denied the change: change freeze/);
    expect(events.map((e) => e.reason)).not.toContain('ScalingReport');
    expect((await world.store.lastRun(WORLD_KEY))?.policy).toEqual({
      verdict: 'deny',
      reason: 'change freeze',
    });
  });

  it('modify: the capped patch is applied and stored, and the next cycle sees no drift to re-propose', async () => {
    const { hook, proposals } = recordingPolicy((proposal) => {
      const spec = proposal.patch['spec'] as { flinkConfiguration: Record<string, string> };
      const capped = spec.flinkConfiguration[OVERRIDES_KEY]!.split(',')
        .map((entry) => entry.replace(/:\d+$/, ':2'))
        .join(',');
      return {
        verdict: 'modify',
        reason: 'ceiling 2',
        patch: { spec: { flinkConfiguration: { [OVERRIDES_KEY]: capped } } },
      };
    });
    world = await startHandlerWorld({ policy: hook });

    const ticks = await world.tickUntilScale();
    const result = resultOf(ticks.at(-1)!);
    await world.advance(60_000);

    expect(result?.policy).toMatchObject({ verdict: 'modify', reason: 'ceiling 2' });
    expect(result?.realized?.outcome).toBe('patched');
    expect(Object.values(world.overrides())).toEqual(expect.arrayContaining(['2']));
    expect(Object.values(world.overrides()).every((p) => p === '2')).toBe(true);
    expect(world.sim.cluster.parallelismOf('src')).toBe(2);
    const loaded = await world.store.load(WORLD_KEY, { sinceMs: 0 });
    expect(Object.values(loaded.state.parallelismOverrides).every((p) => p === 2)).toBe(true);
    const events = await world.store.listEvents(WORLD_KEY);
    expect(events.find((e) => e.reason === 'ScalingLimited')?.message).toMatch(
      /modified the change: ceiling 2/,
    );
    // Stored overrides equal the resource: the following cycles propose nothing for re-apply.
    const before = proposals.length;
    const next = resultOf(await world.tick());
    expect(next?.policy).toBeUndefined();
    expect(proposals.length).toBe(before);
  });

  it('a hook that times out fails closed by default: nothing applied, a Warning names the timeout', async () => {
    const { hook } = recordingPolicy(() => new Promise(() => {}), { timeoutMs: 50 });
    world = await startHandlerWorld({ policy: hook });

    const result = resultOf((await world.tickUntilScale()).at(-1)!);

    expect(result?.policy).toMatchObject({ verdict: 'deny' });
    expect(result?.policy?.failure).toMatch(/did not answer within 50 ms/);
    expect(world.overrides()).toEqual({});
    const veto = (await world.store.listEvents(WORLD_KEY)).find((e) => e.reason === 'ScalingVetoed');
    expect(veto?.message).toMatch(/fail-closed/);
  });

  it('a hook that times out with fail-open applies the proposal and reports the failure', async () => {
    const { hook } = recordingPolicy(() => new Promise(() => {}), {
      timeoutMs: 50,
      failureMode: 'fail-open',
    });
    world = await startHandlerWorld({ policy: hook });

    const result = resultOf((await world.tickUntilScale()).at(-1)!);

    expect(result?.policy).toMatchObject({ verdict: 'allow' });
    expect(result?.realized?.outcome).toBe('patched');
    expect(Object.keys(world.overrides()).length).toBeGreaterThan(0);
    const error = (await world.store.listEvents(WORLD_KEY)).find((e) => e.reason === 'AutoscalerError');
    expect(error?.message).toMatch(/failed; applied anyway \(fail-open\)/);
  });

  it('a modified patch outside our keys is rejected by field and handled as a failure (fail-closed)', async () => {
    const { hook } = recordingPolicy(() => ({
      verdict: 'modify',
      patch: { spec: { job: { parallelism: 64 } } },
    }));
    world = await startHandlerWorld({ policy: hook });

    const result = resultOf((await world.tickUntilScale()).at(-1)!);

    expect(result?.policy?.verdict).toBe('deny');
    expect(result?.policy?.failure).toMatch(/patch\.spec\.job is not a field the autoscaler owns/);
    const resource = world.emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment') as unknown as {
      spec: { job: { parallelism: number } };
    };
    expect(resource.spec.job.parallelism).toBe(4);
  });
});
