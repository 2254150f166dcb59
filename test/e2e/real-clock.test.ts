/**
 * End to end on the REAL clock: `fsa sandbox` serves the Flink simulators, the Kubernetes API
 * emulator (with the operator's behaviour) and dynalite on 127.0.0.1, with virtual time following
 * the wall clock; the real `fsa` binary runs as separate processes against it, as a user would:
 * first one `fsa run --once` process per tick, then one long-running `fsa run --interval 3s`.
 *
 * Settings are compressed so that the whole file takes well under 3 minutes: a 20 s metric window,
 * 5 s stabilization, 5 s restart time, a tick every 3 s (`--interval 3s`, so the window's
 * look-back matches the cadence), a 2 s operator rollout and 2 s job restarts.
 *
 * Jobs (test/e2e/scenarios): e2e-under (source at 1, oracle 4), e2e-right (at the oracle),
 * e2e-stateless (under-provisioned, upgradeMode stateless with in-place scaling disabled, so the
 * rescale would be a stateless full upgrade) and e2e-late (like e2e-under, opted out until the
 * long-running phase starts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  kubectlAvailable,
  type LongRunningFsa,
  mergePatchFlinkDeployment,
  opensslAvailable,
  runFsa,
  runKubectl,
  type SandboxInfo,
  type SandboxJobStatus,
  sandboxStatus,
  sleep,
  startFsa,
  startSandboxProcess,
  withinOracle,
} from './support/fsa-processes.ts';

const SCENARIOS = join(import.meta.dirname, 'scenarios');
const OPT_IN = 'flink-serverless-autoscaler/enabled';
const TICK_MS = 3_000;

interface CycleLine {
  readonly job: string;
  readonly result: {
    readonly outcome: string;
    readonly reason: string;
    readonly decision?: { readonly action: string };
    readonly realized?: { readonly outcome: string; readonly upgradePath: string; readonly reason: string };
  };
}

const nameOf = (jobKey: string) => jobKey.split('/').at(-1) ?? jobKey;
// kubectl sends its token only over HTTPS, for which the sandbox needs openssl.
const hasOpenssl = opensslAvailable();
const hasKubectl = hasOpenssl && kubectlAvailable();
if (!hasKubectl) {
  console.log(
    `real-clock e2e: ${hasOpenssl ? 'kubectl not found on the PATH' : 'no openssl (sandbox on plain HTTP)'}, skipping the kubectl checks`,
  );
}

describe('real clock: fsa sandbox + the fsa binary, end to end', () => {
  let dir: string;
  let sandbox: LongRunningFsa;
  let info: SandboxInfo;
  const cycles: CycleLine[] = [];
  const t0 = performance.now();

  const tableArgs = () => ['--table', info.table, '--endpoint', info.dynamoEndpoint];
  const status = async (name: string): Promise<SandboxJobStatus> => {
    const job = (await sandboxStatus(info)).get(name);
    if (!job) throw new Error(`the sandbox has no job ${name}`);
    return job;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fsa-e2e-'));
    const started = await startSandboxProcess([
      '--scenario', join(SCENARIOS, 'under-provisioned.yaml'),
      '--scenario', join(SCENARIOS, 'right-sized.yaml'),
      '--scenario', join(SCENARIOS, 'stateless.yaml'),
      '--scenario', `e2e-late=${join(SCENARIOS, 'under-provisioned.yaml')}`,
      '--upgrade-mode', 'e2e-stateless:stateless',
      '--set', 'e2e-stateless:kubernetes.operator.job.upgrade.inplace-scaling.enabled=false',
      '--set', 'job.autoscaler.metrics.window=20s',
      '--set', 'job.autoscaler.stabilization.interval=5s',
      '--set', 'job.autoscaler.restart.time=5s',
      '--set', 'kubernetes.operator.reconcile.interval=3s',
      '--operator-delay', '2s',
      '--table', 'fsa-e2e',
      '--kubeconfig-out', join(dir, 'sandbox.kubeconfig'),
      ...(hasOpenssl ? [] : ['--plain-http']),
    ]); // prettier-ignore
    sandbox = started.process;
    info = started.info;
    // e2e-late waits, opted out, for the long-running phase.
    await mergePatchFlinkDeployment(info, 'e2e-late', { metadata: { labels: { [OPT_IN]: 'false' } } });
  });

  afterAll(async () => {
    const exit = await sandbox?.stop('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
    console.log(`real-clock e2e: ${((performance.now() - t0) / 1000).toFixed(1)} s in all`);
    // SIGTERM shuts the sandbox down cleanly.
    expect(exit?.code).toBe(0);
    expect(exit?.stderr).toContain('SIGTERM, shutting down');
  });

  it('prints the URLs, a kubeconfig and the jobs as one JSON line', () => {
    expect(info.kubernetesUrl).toMatch(hasOpenssl ? /^https:\/\/127\.0\.0\.1:\d+$/ : /^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.jobs).toEqual([
      'sandbox/flink-jobs/FlinkDeployment/e2e-under',
      'sandbox/flink-jobs/FlinkDeployment/e2e-right',
      'sandbox/flink-jobs/FlinkDeployment/e2e-stateless',
      'sandbox/flink-jobs/FlinkDeployment/e2e-late',
    ]);
  });

  it('fsa run --once per tick: scales the under-provisioned job to the oracle, leaves the right-sized one, refuses the stateless restart', async () => {
    const deadline = Date.now() + 80_000;
    let evaluatedRight = 0;
    let refused: CycleLine | undefined;
    let ticks = 0;
    while (Date.now() < deadline) {
      const tickStart = Date.now();
      const run = await runFsa([
        'run', '--once', '--interval', '3s', '--json', '--kubeconfig', info.kubeconfig, ...tableArgs(),
      ]); // prettier-ignore
      expect(run.code, run.stderr).toBe(0);
      ticks += 1;
      const lines = JSON.parse(run.stdout) as CycleLine[];
      cycles.push(...lines);
      for (const line of lines) {
        const name = nameOf(line.job);
        expect(line.result.outcome, `${name}: ${line.result.reason}`).not.toBe('failed');
        if (name === 'e2e-right' && line.result.decision && line.result.decision.action !== 'not-ready')
          evaluatedRight += 1;
        if (name === 'e2e-stateless' && line.result.realized?.outcome === 'refused') refused ??= line;
      }
      expect(lines.map((l) => nameOf(l.job))).not.toContain('e2e-late');
      const under = await status('e2e-under');
      if (withinOracle(under) && refused && evaluatedRight >= 3 && ticks >= 6) break;
      await sleep(TICK_MS - (Date.now() - tickStart));
    }

    const under = await status('e2e-under');
    expect(under.oracle).toEqual({ src: 4, sink: 1 });
    expect(withinOracle(under), JSON.stringify(under)).toBe(true);
    expect(under.rescales).toBeGreaterThanOrEqual(1);
    expect(under.rescales).toBeLessThanOrEqual(2);

    const right = await status('e2e-right');
    expect(evaluatedRight).toBeGreaterThanOrEqual(3);
    expect(right.rescales).toBe(0);
    expect(right.parallelism).toEqual({ src: 4, sink: 1 });
    expect(cycles.filter((c) => nameOf(c.job) === 'e2e-right' && c.result.realized?.outcome === 'patched')).toEqual(
      [],
    );

    const stateless = await status('e2e-stateless');
    expect(stateless.rescales).toBe(0);
    expect(stateless.parallelism).toEqual({ src: 1, sink: 1 });
    expect(refused?.result.realized?.upgradePath).toBe('refused');
    expect(refused?.result.realized?.reason).toContain('upgradeMode stateless would restart the job from empty state');
    const events = await runFsa(['events', info.jobs[2]!, '--json', ...tableArgs()]);
    expect(events.code, events.stderr).toBe(0);
    expect(events.stdout).toContain('ScalingVetoed');
  });

  it('fsa replay --table, as its own process, reproduces every decision the real-clock cycles recorded', async () => {
    // The history the fsa run processes wrote above, on the real clock with its jitter.
    const replay = await runFsa(['replay', info.jobs[0]!, '--json', ...tableArgs()]);
    expect(replay.code, replay.stderr).toBe(0);
    const result = JSON.parse(replay.stdout) as {
      totals: { recordedSteps: number; differingSteps: number; recordedScalings: number; replayedRescales: number };
    };
    expect(result.totals.recordedSteps).toBeGreaterThanOrEqual(5);
    expect(result.totals.recordedScalings).toBeGreaterThanOrEqual(1);
    expect(result.totals.differingSteps).toBe(0);
  });

  it('a long-running fsa run --interval 3s scales a job opted in while it runs', async () => {
    const worker = startFsa(['run', '--interval', '3s', '--json', '--kubeconfig', info.kubeconfig, ...tableArgs()]);
    try {
      await mergePatchFlinkDeployment(info, 'e2e-late', { metadata: { labels: { [OPT_IN]: 'true' } } });
      const deadline = Date.now() + 70_000;
      let late = await status('e2e-late');
      let convergedAt: number | undefined;
      while (Date.now() < deadline) {
        await sleep(1_000);
        expect(worker.child.exitCode, worker.output().stderr).toBeNull();
        late = await status('e2e-late');
        if (withinOracle(late)) convergedAt ??= Date.now();
        // Stay a few cycles after reaching the oracle: no further rescale may follow.
        if (convergedAt !== undefined && Date.now() - convergedAt >= 2 * TICK_MS) break;
      }
      expect(withinOracle(late), JSON.stringify(late)).toBe(true);
      expect(late.rescales).toBeGreaterThanOrEqual(1);
      expect(late.rescales).toBeLessThanOrEqual(2);
      expect((await status('e2e-right')).rescales).toBe(0);
      expect((await status('e2e-stateless')).rescales).toBe(0);
      expect(withinOracle(await status('e2e-under'))).toBe(true);
    } finally {
      const exit = await worker.stop('SIGINT');
      expect(exit.stderr).not.toMatch(/fsa: /);
      expect(exit.stdout).toContain('e2e-late');
    }
  });

  it.skipIf(!hasKubectl)('kubectl get, describe and patch work against the sandbox', async () => {
    const get = await runKubectl(info.kubeconfig, ['get', 'flinkdeployments']);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(/^NAME\s+JOB STATUS\s+LIFECYCLE STATE\s+AGE/);
    for (const name of ['e2e-under', 'e2e-right', 'e2e-stateless', 'e2e-late'])
      expect(get.stdout).toMatch(new RegExp(`^${name}\\s+RUNNING\\s+STABLE\\s+\\d+`, 'm'));

    const describeUnder = await runKubectl(info.kubeconfig, ['describe', 'flinkdeployment', 'e2e-under']);
    expect(describeUnder.code, describeUnder.stderr).toBe(0);
    expect(describeUnder.stdout).toContain('Events:');
    expect(describeUnder.stdout).toContain('In-place scaling triggered');
    expect(describeUnder.stdout).toMatch(/ScalingReport/);

    const describeStateless = await runKubectl(info.kubeconfig, ['describe', 'flinkdeployment', 'e2e-stateless']);
    expect(describeStateless.code, describeStateless.stderr).toBe(0);
    expect(describeStateless.stdout).toMatch(/Warning\s+ScalingVetoed/);

    const patch = await runKubectl(info.kubeconfig, [
      'patch', 'flinkdeployment', 'e2e-right', '--type', 'merge',
      '-p', JSON.stringify({ metadata: { annotations: { 'e2e.fsa/patched-by': 'kubectl' } } }),
    ]); // prettier-ignore
    expect(patch.code, patch.stderr).toBe(0);
    expect(patch.stdout).toContain('flinkdeployment.flink.apache.org/e2e-right patched');
    const after = await runKubectl(info.kubeconfig, ['get', 'flinkdeployment', 'e2e-right', '-o', 'json']);
    expect(after.code, after.stderr).toBe(0);
    const object = JSON.parse(after.stdout) as { metadata: { annotations?: Record<string, string> } };
    expect(object.metadata.annotations?.['e2e.fsa/patched-by']).toBe('kubectl');
  });
});
