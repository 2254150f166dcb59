/**
 * `fsa replay` end to end: captures are made by the real recorder (`recordRestResponses`, the
 * code of `fsa record`) against the Flink simulator's HTTP server over virtual time, then replayed
 * by the command. The reference is a direct run of the core: the same collector on the live
 * simulator at the same instants, fed to `decide()` with the window and state carried as the cycle
 * carries them.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FlinkRestClient,
  FlinkRestMetricsSource,
  RecordedCapturesSource,
  recordRestResponses,
} from '../../../lib/adapters/flink-rest/index.ts';
import { defaultOptions, resolveOptions } from '../../../lib/config/index.ts';
import { decide } from '../../../lib/decide/decide.ts';
import { emptyJobState, type JobState, type MetricSample } from '../../../lib/domain/index.ts';
import type { ReplayResult } from '../../../lib/replay/index.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import { runReplayCommand } from '../../support/replay-command.ts';

const CAPTURES = 27;
const STEP_MS = 60_000;
/** 1300 rec/s into `work` (2 subtasks of 1 / 1.8 ms ≈ 556 rec/s): 117 % of its capacity, lag grows. */
const JOB = {
  vertices: [
    {
      id: 'src',
      parallelism: 2,
      costMsPerRecord: 0.1,
      source: { partitions: 24, load: { type: 'constant' as const, recordsPerSecond: 1300 } },
    },
    { id: 'work', parallelism: 2, costMsPerRecord: 1.8 },
  ],
  edges: [{ from: 'src', to: 'work', shipStrategy: 'HASH' as const }],
};

let sim: FlinkSimulator;
let capturesDir: string;
/** The direct run: per capture, the action and per-vertex recommendation of decide(). */
const direct: { action: string; recommended: number[] }[] = [];

beforeAll(async () => {
  capturesDir = await mkdtemp(join(tmpdir(), 'fsa-replay-'));
  sim = await startFlinkSimulator({
    scenario: {
      name: 'replay',
      job: JOB,
    },
  });
  const client = new FlinkRestClient();
  const live = new FlinkRestMetricsSource();
  let state: JobState = emptyJobState();
  let samples: MetricSample[] = [];
  try {
    for (let i = 0; i < CAPTURES; i++) {
      sim.advance(STEP_MS);
      const nowMs = sim.nowMs();
      await recordRestResponses({
        client,
        target: { restBaseUrl: sim.url },
        outDir: join(capturesDir, `capture-${String(i).padStart(3, '0')}`),
        timeoutMs: 5_000,
        capturedAtMs: nowMs,
      });
      const raw = await live.collect({ restBaseUrl: sim.url }, defaultOptions(), nowMs);
      const options = resolveOptions(raw.flinkConfiguration ?? {}).options;
      const out = decide({ options, raw, samples, state, nowMs, cadenceMs: STEP_MS, memoryTuning: false });
      state = out.state;
      samples = out.samples;
      direct.push({
        action: out.decision.action,
        recommended: raw.topology.vertices.map(
          (v) => out.decision.vertices.find((d) => d.vertexId === v.id)?.recommendedParallelism ?? v.parallelism,
        ),
      });
    }
  } finally {
    await live.close();
    await client.close();
  }
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await rm(capturesDir, { recursive: true, force: true });
});

/** Runs `fsa replay` with the arguments and returns what it printed. */
async function fsaReplay(...args: string[]): Promise<string> {
  return fsaReplayIn(capturesDir, ...args);
}

/** Runs `fsa replay --captures <dir>` with the arguments and returns what it printed. */
function fsaReplayIn(dir: string, ...args: string[]): Promise<string> {
  return runReplayCommand('--captures', dir, ...args);
}

async function replayJson(...args: string[]): Promise<ReplayResult & { warnings: string[] }> {
  return JSON.parse(await fsaReplay('--json', ...args)) as ReplayResult & { warnings: string[] };
}

describe('fsa replay on captures of the simulator', () => {
  it('with unchanged settings recommends what decide() recommends at every step', async () => {
    const result = await replayJson();
    expect(result.warnings).toEqual([]);
    expect(result.steps).toHaveLength(CAPTURES);
    expect(result.steps.map((s) => ({ action: s.action, recommended: s.vertices.map((v) => v.recommendedParallelism) }))).toEqual(direct);
    const firstScale = direct.findIndex((d) => d.action === 'scale');
    // The window (15 min after 5 min of stabilization) fills at about minute 20: the scale-up comes then.
    expect(firstScale).toBeGreaterThanOrEqual(18);
    expect(result.steps.findIndex((s) => s.action === 'scale')).toBe(firstScale);
    const work = result.steps[firstScale]!.vertices[1]!;
    expect(work.replayedParallelism).toBeGreaterThan(work.realParallelism);
    // The real job never rescaled; the replay did (again when the lag it never worked off grew).
    expect(result.totals.realRescales).toBe(0);
    expect(result.totals.replayedRescales).toBeGreaterThanOrEqual(1);
    expect(result.totals.replayedParallelismHours).toBeGreaterThan(result.totals.realParallelismHours);
    expect(result.totals.overloadRiskSteps).toBe(0);
    // Deterministic: the same captures replay to the same result.
    expect((await replayJson()).steps).toEqual(result.steps);
  });

  it('recommends a higher parallelism with utilization.target 0.5 than with 0.8', async () => {
    const at = async (target: string) =>
      (await replayJson('--set', `job.autoscaler.utilization.target=${target}`)).steps.at(-1)!.vertices[1]!
        .replayedParallelism;
    const low = await at('0.5');
    const high = await at('0.8');
    expect(high).toBeGreaterThan(2);
    expect(low).toBeGreaterThan(high);
  });

  it('prints the side-by-side table, the totals and the caveat; --from/--to select the reported steps', async () => {
    const captures = await new RecordedCapturesSource({ dir: capturesDir, options: defaultOptions() }).read({});
    const fromIso = new Date(captures.observations[20]!.atMs).toISOString();
    const text = await fsaReplay('--from', fromIso);
    // Captures before --from only warm the window up: the reported steps start with a full window.
    expect(text).not.toContain('not ready');
    expect(text).toMatch(/^\d\d:\d\d:\d\d +2\/2 +2\/\d+ +scale/m);
    expect(text).toContain('real p');
    expect(text).toContain('replayed p');
    expect(text).toMatch(/Rescales: real 0, replayed \d/);
    expect(text).toContain('would have recommended');
    const json = await replayJson('--from', fromIso, '--to', new Date(captures.observations[22]!.atMs).toISOString());
    expect(json.steps.map((s) => s.atMs)).toEqual(captures.observations.slice(20, 23).map((o) => o.atMs));
  });

  it('writes an HTML report with a chart per vertex', async () => {
    const file = join(capturesDir, '..', `replay-${Date.now()}.html`);
    try {
      await fsaReplay('--html', file);
      const html = await readFile(file, 'utf8');
      expect(html).toContain('<svg');
      expect(html.match(/<title>[^<]*: parallelism<\/title>/g)?.length).toBe(2);
      expect(html).toContain('would have recommended');
    } finally {
      await rm(file, { force: true });
    }
  });

  it('falls back to the modification time of a capture without capturedAt, with a warning', async () => {
    const dir = join(capturesDir, 'capture-000');
    const indexFile = join(dir, 'index.json');
    const original = await readFile(indexFile, 'utf8');
    const { capturedAtMs: _ms, capturedAt: _iso, ...older } = JSON.parse(original) as Record<string, unknown>;
    await writeFile(indexFile, JSON.stringify(older));
    try {
      const history = await new RecordedCapturesSource({ dir: capturesDir, options: defaultOptions() }).read({});
      expect(history.warnings).toEqual([expect.stringContaining(`${dir} has no capturedAt`)]);
      expect(history.observations.at(-1)!.atMs).toBeGreaterThan(sim.nowMs());
    } finally {
      await writeFile(indexFile, original);
    }
  });

  it('leaves out a capture that cannot be read or collected, with a warning, and replays the rest', async () => {
    const bad = join(capturesDir, 'capture-zzz-broken');
    const notRunning = join(capturesDir, 'capture-zzz-not-running');
    await mkdir(bad);
    await writeFile(join(bad, 'index.json'), '{');
    await cp(join(capturesDir, `capture-${String(CAPTURES - 1).padStart(3, '0')}`), notRunning, { recursive: true });
    const details = JSON.parse(await readFile(join(notRunning, 'jobs-jobid.json'), 'utf8')) as { state: string };
    await writeFile(join(notRunning, 'jobs-jobid.json'), JSON.stringify({ ...details, state: 'RESTARTING' }));
    const index = JSON.parse(await readFile(join(notRunning, 'index.json'), 'utf8')) as { capturedAtMs: number };
    await writeFile(join(notRunning, 'index.json'), JSON.stringify({ ...index, capturedAtMs: index.capturedAtMs + STEP_MS }));
    try {
      const result = await replayJson();
      expect(result.steps).toHaveLength(CAPTURES);
      expect(result.warnings).toEqual([
        expect.stringMatching(/capture-zzz-broken skipped: .*index\.json cannot be read as JSON/),
        expect.stringMatching(/capture-zzz-not-running .* skipped: Job [0-9a-f]{32} is RESTARTING, not RUNNING/),
      ]);
    } finally {
      await rm(bad, { recursive: true });
      await rm(notRunning, { recursive: true });
    }
  });

  it('names a captures directory that cannot be read or holds no capture', async () => {
    await expect(fsaReplayIn(join(capturesDir, 'missing'))).rejects.toThrow(/captures directory .*missing cannot be read \(ENOENT\)/);
    const empty = await mkdtemp(join(tmpdir(), 'fsa-replay-empty-'));
    try {
      await expect(fsaReplayIn(empty)).rejects.toThrow(/holds no fsa record capture/);
    } finally {
      await rm(empty, { recursive: true });
    }
  });

  it('rejects an unknown --set key with the list of known keys', async () => {
    await expect(fsaReplay('--set', 'job.autoscaler.utilisation.target=0.5')).rejects.toThrow(
      /not an autoscaler option.*job\.autoscaler\.utilization\.target/s,
    );
  });
});

describe('fsa replay across a redeploy', () => {
  it('splits the captures into epochs by job id and counts the real rescale', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fsa-replay-redeploy-'));
    const redeployed = await startFlinkSimulator({
      scenario: {
        name: 'replay-redeploy',
        restart: { downtimeMs: '30 s', mode: 'redeploy' },
        job: JOB,
      },
    });
    const client = new FlinkRestClient();
    try {
      const firstJobId = redeployed.jobId;
      for (let i = 0; i < 8; i++) {
        redeployed.advance(STEP_MS);
        await recordRestResponses({
          client,
          target: { restBaseUrl: redeployed.url },
          outDir: join(dir, `capture-${i}`),
          timeoutMs: 5_000,
          capturedAtMs: redeployed.nowMs(),
        });
        // Redeployed with `work` at 4 (30 s down): the next capture sees the new job id.
        if (i === 4) redeployed.applyParallelism({ work: 4 });
      }
      const result = JSON.parse(await fsaReplayIn(dir, '--json')) as ReplayResult;
      expect(result.epochs.map((e) => e.jobId)).toEqual([firstJobId, redeployed.jobId]);
      expect(redeployed.jobId).not.toBe(firstJobId);
      expect(result.epochs.map((e) => e.steps)).toEqual([5, 3]);
      expect(result.steps.map((s) => s.vertices[1]!.realParallelism)).toEqual([2, 2, 2, 2, 2, 4, 4, 4]);
      expect(result.totals.realRescales).toBe(1);
    } finally {
      await client.close();
      await redeployed.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
