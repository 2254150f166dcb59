import { afterEach, describe, expect, it } from 'vitest';
import { collectStatus, formatStatus } from '../../../bin/commands/status.ts';
import { parseWorldScenario } from '../../../sim/world/world-scenario.ts';
import { type LocalWorld, startLocalWorld } from '../../../sim/world/local-world.ts';
import type { DecisionLogEntry, WorldRun } from '../../../sim/world/world-timeline.ts';

/**
 * Rollback of an unhealthy rescale (docs/algorithm.md §13) in the local world: the real cycle
 * through the real handlers, the Kubernetes emulator (operator model, TaskManager pods under a node
 * budget), the Flink simulator (a job that cannot run above a parallelism) and dynalite.
 */

const OVERRIDES = 'pipeline.jobvertex-parallelism-overrides';

/** An under-provisioned job: `work` needs about 5 subtasks for 3000 records/s; short windows. */
function scenario(extra: string, configuration: Record<string, string> = {}): string {
  const config = Object.entries({
    'job.autoscaler.metrics.window': '5 min',
    'job.autoscaler.stabilization.interval': '1 min',
    ...configuration,
  })
    .map(([k, v]) => `    ${k}: "${v}"`)
    .join('\n');
  return `
name: rollback
world:
  description: "an under-provisioned job whose scale-up cannot stand"
  durationMs: 40 min
  flinkConfiguration:
${config}
metricsDelayMs: 10 s
restart: { downtimeMs: 30 s, mode: in-place }
${extra}
job:
  maxParallelism: 120
  vertices:
    - { id: src, parallelism: 2, costMsPerRecord: 0.05, source: { partitions: 24, load: { type: constant, recordsPerSecond: 3000 } } }
    - { id: work, parallelism: 2, costMsPerRecord: 1 }
    - { id: sink, parallelism: 1, costMsPerRecord: 0.05 }
  edges:
    - { from: src, to: work, shipStrategy: HASH }
    - { from: work, to: sink, shipStrategy: REBALANCE }
`;
}

let world: LocalWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function overridesOf(w: LocalWorld): string {
  const resource = w.emulator.get('FlinkDeployment', 'flink-jobs', w.key.name);
  return (resource?.spec?.['flinkConfiguration'] as Record<string, string>)[OVERRIDES] ?? '';
}

function workParallelismIn(w: LocalWorld, overrides: string): number | undefined {
  const workId = w.simulator.cluster.vertex('work')?.vertexId ?? '';
  const entry = overrides.split(',').find((e) => e.startsWith(`${workId}:`));
  return entry ? Number(entry.split(':')[1]) : undefined;
}

const autoscalerEntries = (run: WorldRun, action: string): DecisionLogEntry[] =>
  run.decisions.filter((d) => d.actor === 'autoscaler' && d.action === action);

/** Ticks until `until` holds (at most `maxTicks`), returning the number of ticks run. */
async function tickUntil(w: LocalWorld, until: () => boolean, maxTicks: number): Promise<number> {
  for (let i = 1; i <= maxTicks; i++) {
    await w.tick();
    if (until()) return i;
  }
  throw new Error(`condition not reached within ${maxTicks} ticks`);
}

/** A user's own edit of the spec, as `kubectl patch --type merge` sends it. */
async function userPatch(w: LocalWorld, flinkConfiguration: Record<string, string>): Promise<void> {
  const path = `/apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments/${w.key.name}`;
  const response = await fetch(`${w.emulator.url}${path}`, {
    method: 'PATCH',
    headers: { authorization: 'Bearer local-world-token', 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ spec: { flinkConfiguration } }),
  });
  expect(response.status).toBe(200);
}

describe('rollback of an unhealthy rescale (local world)', () => {
  it('rolls back a scale-up whose TaskManager pods cannot be scheduled, once, within the limit, keeping the user’s own change', async () => {
    const sinkId = parseWorldScenario(scenario('')).simulator.vertices.find((v) => v.key === 'sink')?.vertexId ?? '';
    world = await startLocalWorld({
      scenario: parseWorldScenario(scenario('', { 'job.autoscaler.vertex.exclude.ids': sinkId })),
      store: 'dynamodb',
      // room for 2 TaskManagers of 2 slots: parallelism 4 at most
      taskManagerNodeBudget: 2,
    });
    const w = world;
    await tickUntil(w, () => autoscalerEntries(w.record(), 'scale').length > 0, 20);
    const scale = autoscalerEntries(w.record(), 'scale')[0];
    const scaledTo = scale?.changes.find((c) => c.vertex === 'work')?.to ?? 0;
    expect(scaledTo).toBeGreaterThan(4);
    await w.tick(); // the operator observes the new spec and asks for the TaskManagers
    const pending = w.emulator.list('Pod').filter((p) => (p.status as { phase: string }).phase === 'Pending');
    expect(pending.length).toBeGreaterThan(0);

    // Meanwhile the user sets the parallelism of the sink, a vertex excluded from autoscaling.
    const ours = overridesOf(w);
    await userPatch(w, { [OVERRIDES]: `${ours},${sinkId}:2` });

    await tickUntil(w, () => autoscalerEntries(w.record(), 'rollback').length > 0, 12);
    const rollback = autoscalerEntries(w.record(), 'rollback')[0];
    // rollback.unschedulable.timeout (5 min) plus at most two ticks of observation
    expect((rollback?.tMs ?? Infinity) - (scale?.tMs ?? 0)).toBeLessThanOrEqual(7 * 60_000);
    expect(rollback?.changes.find((c) => c.vertex === 'work')).toMatchObject({ from: scaledTo, to: 2 });
    expect(rollback?.summary).toContain('unschedulable');

    // the known-good overrides are back, the user's sink entry is kept, every pod is placed
    const restored = overridesOf(w);
    expect(workParallelismIn(w, restored)).toBe(2);
    expect(restored).toContain(`${sinkId}:2`);
    await w.run(15 * 60_000);
    const run = w.record();
    expect(w.emulator.list('Pod').every((p) => (p.status as { phase: string }).phase === 'Running')).toBe(true);
    expect(w.simulator.cluster.state).toBe('RUNNING');
    expect(w.simulator.cluster.parallelismOf('sink')).toBe(2);

    // exactly one rollback and one ScalingRolledBack event, in the event log and on the resource
    expect(autoscalerEntries(run, 'rollback')).toHaveLength(1);
    const stored = (await w.store.listEvents(w.key)).filter((e) => e.reason === 'ScalingRolledBack');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.message).toContain('TaskManager pod(s) unschedulable');
    const kube = w.emulator.events('flink-jobs', w.key.name).filter((e) => e['reason'] === 'ScalingRolledBack');
    expect(kube).toHaveLength(1);
    // during the cool-down the same scale-up is blocked, never applied again
    const later = autoscalerEntries(run, 'scale').filter((d) => d.tMs > (rollback?.tMs ?? 0));
    for (const d of later) expect(d.changes.find((c) => c.vertex === 'work')?.to ?? 0).toBeLessThan(scaledTo);
    expect(run.problems.filter((p) => !p.includes('rolled back an unhealthy change'))).toEqual([]);
  }, 120_000);

  it('rolls back a job that cannot run above a parallelism and does not try that parallelism during the cool-down', async () => {
    world = await startLocalWorld({
      scenario: parseWorldScenario(
        scenario('failure: { aboveParallelism: 4, state: RESTARTING }', { 'job.autoscaler.rollback.timeout': '4 min' }),
      ),
      store: 'dynamodb',
    });
    const w = world;
    await tickUntil(w, () => autoscalerEntries(w.record(), 'scale').length > 0, 20);
    const scale = autoscalerEntries(w.record(), 'scale')[0];
    const scaledTo = scale?.changes.find((c) => c.vertex === 'work')?.to ?? 0;
    expect(scaledTo).toBeGreaterThan(4);
    await w.tick();
    expect(w.simulator.cluster.state).toBe('RESTARTING');

    await tickUntil(w, () => autoscalerEntries(w.record(), 'rollback').length > 0, 8);
    const rollback = autoscalerEntries(w.record(), 'rollback')[0];
    // rollback.timeout (4 min) plus at most two ticks
    expect((rollback?.tMs ?? Infinity) - (scale?.tMs ?? 0)).toBeLessThanOrEqual(6 * 60_000);
    expect(rollback?.summary).toContain('RESTARTING');

    // an hour-long cool-down (the default): 20 more minutes never apply `work` ≥ the rolled-back value
    const applied: number[] = [];
    for (let i = 0; i < 20; i++) {
      await w.tick();
      applied.push(workParallelismIn(w, overridesOf(w)) ?? 0);
    }
    expect(Math.max(...applied)).toBeLessThan(scaledTo);
    expect(w.simulator.cluster.state).toBe('RUNNING');
    const run = w.record();
    expect(autoscalerEntries(run, 'rollback')).toHaveLength(1);
    const blocked = autoscalerEntries(run, 'blocked').filter((d) => d.tMs > (rollback?.tMs ?? 0));
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked[0]?.summary).toContain('rollback-cool-down');
    const stored = (await w.store.listEvents(w.key)).filter((e) => e.reason === 'ScalingRolledBack');
    expect(stored).toHaveLength(1);

    // `fsa status` shows the rollback with its evidence and the cool-down still in force
    const [status] = await collectStatus(w.store, undefined, w.clock.nowMs());
    expect(status?.rollback).toMatch(/^rolled back .* \(not-running\): the job is RESTARTING/);
    expect(status?.rollback).toContain(`blocked until`);
    expect(formatStatus(status ? [status] : [], w.clock.nowMs())).toContain('ROLLBACK');
  }, 120_000);

  it('rolls back a scale-up of a sink whose capacity collapses when scaled, at the first full window after it', async () => {
    const collapsing = `
name: rollback-collapse
world:
  description: "a sink that collapses above 2 writers"
  durationMs: 40 min
  flinkConfiguration:
    job.autoscaler.metrics.window: "5 min"
    job.autoscaler.stabilization.interval: "1 min"
metricsDelayMs: 10 s
restart: { downtimeMs: 30 s, mode: in-place }
job:
  maxParallelism: 120
  vertices:
    - { id: src, parallelism: 2, costMsPerRecord: 0.05, source: { partitions: 24, load: { type: constant, recordsPerSecond: 3000 } } }
    - { id: sink, parallelism: 2, costMsPerRecord: 1, collapse: { aboveParallelism: 2, capacityFactor: 0.1 } }
  edges:
    - { from: src, to: sink, shipStrategy: REBALANCE }
`;
    world = await startLocalWorld({ scenario: parseWorldScenario(collapsing), store: 'memory' });
    const w = world;
    await tickUntil(w, () => autoscalerEntries(w.record(), 'scale').length > 0, 20);
    const scale = autoscalerEntries(w.record(), 'scale')[0];
    expect(scale?.changes.find((c) => c.vertex === 'sink')?.to ?? 0).toBeGreaterThan(2);
    await tickUntil(w, () => autoscalerEntries(w.record(), 'rollback').length > 0, 12);
    const rollback = autoscalerEntries(w.record(), 'rollback')[0];
    expect(rollback?.summary).toContain('(throughput)');
    expect(rollback?.changes.find((c) => c.vertex === 'sink')?.to).toBe(2);
    await w.run(10 * 60_000);
    expect(w.simulator.cluster.parallelismOf('sink')).toBe(2);
    expect(autoscalerEntries(w.record(), 'rollback')).toHaveLength(1);
  }, 120_000);
});
