import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalWorld, startLocalWorld } from '../../../sim/world/local-world.ts';
import { runMetrics } from '../../../sim/world/run-metrics.ts';
import { loadWorldScenario } from '../../../sim/world/world-scenario.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SCENARIOS = join(ROOT, 'sim', 'scenarios');
const OVERRIDES = 'pipeline.jobvertex-parallelism-overrides';

let world: LocalWorld | undefined;
let outDir: string | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  if (outDir) await rm(outDir, { recursive: true, force: true });
  outDir = undefined;
});

describe('the local world (simulator + emulator + dynalite + run-cycle on one virtual clock)', () => {
  it('scales an under-provisioned job end to end: decision → merge patch → operator rollout → simulator', async () => {
    // backlog.yaml is the scenario that starts under-provisioned (the others start balanced)
    const scenario = await loadWorldScenario(join(SCENARIOS, 'backlog.yaml'));
    world = await startLocalWorld({ scenario, store: 'dynamodb' });
    const run = await world.run(40 * 60_000);

    expect(run.problems).toEqual([]);
    expect(run.ticks).toHaveLength(40);
    // the window (15 min) fills after the stabilization interval (5 min): the first decision is a scale-up
    const scale = run.decisions.find((d) => d.actor === 'autoscaler' && d.action === 'scale');
    expect(scale?.changes.find((c) => c.vertex === 'work')).toMatchObject({ from: 4 });
    const workTarget = scale?.changes.find((c) => c.vertex === 'work')?.to ?? 0;
    // the decision is priced, its vertices labelled as events show them, and the run keeps the total
    expect(scale?.price?.deltaUsdPerHour).toBeGreaterThan(0);
    expect(scale?.changes.find((c) => c.vertex === 'work')?.label).toMatch(/^work \([0-9a-f]{8}\)$/);
    expect(run.costLedger?.savedUsd).toBeLessThan(0);
    expect(workTarget).toBeGreaterThanOrEqual(run.ticks.at(-1)?.vertices['work']?.oracle ?? Infinity);

    // the resource carries the overrides, and the simulated job runs with them
    const resource = world.emulator.get('FlinkDeployment', 'flink-jobs', world.key.name);
    const config = resource?.spec?.['flinkConfiguration'] as Record<string, string>;
    const workId = world.simulator.cluster.vertex('work')?.vertexId ?? '';
    expect(config[OVERRIDES]).toContain(`${workId}:${workTarget}`);
    expect(world.simulator.cluster.parallelismOf('work')).toBe(workTarget);
    // adaptive scheduler: rescaled in place, the job id is kept
    expect(world.emulator.events('flink-jobs', world.key.name).map((e) => e['reason'])).toContain('Scaling');

    // the same events went to Kubernetes and to the DynamoDB event log
    const stored = await world.store.listEvents(world.key);
    expect(stored.map((e) => e.reason)).toContain('ScalingReport');
    const kubeReasons = world.emulator.events('flink-jobs', world.key.name).map((e) => e['reason']);
    expect(kubeReasons).toContain('ScalingReport');
    // every tick: one cycle, decided or waiting for the job, never failed
    expect(run.ticks.every((t) => t.outcome === 'decided' || t.outcome === 'not-ready')).toBe(true);
  });

  it('linear: one scale-up after the load step, at most one catch-up settle, then ≤ 1.10 × the oracle', async () => {
    const scenario = await loadWorldScenario(join(SCENARIOS, 'linear.yaml'));
    world = await startLocalWorld({ scenario, store: 'memory' });
    const run = await world.run();
    expect(run.problems).toEqual([]);
    const scalings = run.decisions.filter((d) => d.actor === 'autoscaler' && d.action === 'scale');
    const ups = scalings.filter((d) => d.changes.some((c) => c.to > c.from));
    const downs = scalings.filter((d) => d.changes.some((c) => c.to < c.from));
    expect(ups).toHaveLength(1);
    // the step is at 45 min: nothing happens before it on the balanced job
    expect(ups[0]?.tMs).toBeGreaterThan(45 * 60_000);
    expect(downs.length).toBeLessThanOrEqual(1);
    for (const down of downs) expect(down.changes.map((c) => c.why).join(' ')).toContain('catch-up settle');
    const metrics = runMetrics(run).autoscaler;
    expect(metrics.finalRatio).toBeLessThanOrEqual(1.1);
    const last = run.ticks.at(-1);
    for (const point of Object.values(last?.vertices ?? {})) {
      expect(point.parallelism).toBeGreaterThanOrEqual(point.oracle);
    }
  });

  it('non-linear: the scale-up shortfall correction reaches the oracle that the band alone never reaches', async () => {
    const scenario = await loadWorldScenario(join(SCENARIOS, 'non-linear.yaml'));
    const runWith = async (enabled: boolean) => {
      world = await startLocalWorld({
        scenario,
        store: 'memory',
        flinkConfiguration: { 'job.autoscaler.scale-up.shortfall.enabled': String(enabled) },
      });
      const run = await world.run();
      await world.close();
      world = undefined;
      return run;
    };
    const corrected = await runWith(true);
    expect(corrected.problems).toEqual([]);
    const ups = corrected.decisions.filter(
      (d) => d.actor === 'autoscaler' && d.action === 'scale' && d.changes.some((c) => c.to > c.from),
    );
    // 6 → 14 sized linearly after the load step, then one correction at the measured rate
    expect(ups.map((d) => d.changes.find((c) => c.vertex === 'work')?.to)).toEqual([14, 18]);
    expect(ups[1]?.changes.find((c) => c.vertex === 'work')?.why).toContain('scale-up shortfall correction');
    const metrics = runMetrics(corrected).autoscaler;
    expect(metrics.finalRatio).toBeLessThanOrEqual(1.1);
    for (const point of Object.values(corrected.ticks.at(-1)?.vertices ?? {})) {
      expect(point.parallelism).toBeGreaterThanOrEqual(point.oracle);
    }

    // As the Flink operator: the first scale-up lands inside the band, below the oracle, and stays.
    const operatorLike = await runWith(false);
    expect(operatorLike.ticks.at(-1)?.vertices['work']).toMatchObject({ parallelism: 14, oracle: 18 });
  });

  it('keeps a right-sized job under steady load where it is', async () => {
    const scenario = await loadWorldScenario(join(SCENARIOS, 'steady.yaml'));
    world = await startLocalWorld({ scenario, store: 'memory' });
    const run = await world.run(90 * 60_000);
    expect(run.decisions.filter((d) => d.actor === 'autoscaler' && d.action === 'scale')).toEqual([]);
    expect(run.ticks.filter((t) => t.action === 'balanced').length).toBeGreaterThan(60);
    expect(world.simulator.cluster.parallelismOf('work')).toBe(6);
  });

  it('`fsa simulate` prints progress lines and writes report.html and summary.json', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'fsa-simulate-'));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'bin', 'fsa.js'),
        'simulate',
        '--scenario',
        join(SCENARIOS, 'backlog.yaml'),
        '--hours',
        '0.5',
        '--out',
        outDir,
        '--store',
        'memory',
      ],
      { cwd: ROOT, timeout: 60_000 },
    );
    // not a terminal: plain lines, no carriage returns or escape sequences
    expect(stdout.includes('\r')).toBe(false);
    expect(stdout.includes('\u001b')).toBe(false);
    expect(stdout).toContain('[00:15] load  3000 rec/s');
    expect(stdout).toMatch(/autoscaler scale: .*work 4→\d+/);
    // half an hour is too short to drain the backlog: the line says how long the run had
    expect(stdout).toMatch(/autoscaler +1 rescales, not converged in the 29 min after the oracle last changed \(at 0:01\)/);
    expect(stdout).toContain(`Report:  ${join(outDir, 'report.html')}`);
    const summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ scenario: 'backlog', cycles: 30, store: 'memory' });
    expect(summary.metrics.autoscaler.rescales).toBe(1);
    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain('Parallelism per vertex vs the oracle');
  });

  it('`fsa simulate` names the file and field of a bad scenario', async () => {
    const run = promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin', 'fsa.js'), 'simulate', '--scenario', join(ROOT, 'package.json')],
      { cwd: ROOT, timeout: 30_000 },
    );
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringContaining('package.json: Invalid simulator scenario'),
    });
  });
});
