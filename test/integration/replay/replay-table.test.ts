/**
 * The what-if replay over the state table's history, end to end: real cycles (Flink simulator and
 * Kubernetes emulator over HTTP, DynamoDB on dynalite) run for long enough to rescale the job
 * for real, each keeping its sample and decision (`job.autoscaler.history.retention`, default
 * 7 days). Replaying that history with the job's own settings must give back every decision the
 * cycles made, exactly; with another `utilization.target` it must not.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { partitionKeyOf } from '../../../lib/adapters/dynamodb/item-keys.ts';
import { storedState } from '../../../lib/adapters/memory/stored-forms.ts';
import type { CycleResult } from '../../../lib/cycle/cycle-result.ts';
import { type RecordedDecision, recordedDecisionOf } from '../../../lib/domain/index.ts';
import type { StoredHistory } from '../../../lib/ports/state-store.ts';
import { historyOptionsResolver, replayHistory, type ReplayResult } from '../../../lib/replay/index.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';
import { LOCAL_JOB_KEY as KEY, type MinuteCycleWorld, startMinuteCycleWorld } from '../../support/minute-cycle-world.ts';
import { runReplayCommand } from '../../support/replay-command.ts';

/** Long enough for the lagging source to be scaled up and the job to settle at its new parallelism. */
const MINUTES = 30;

let dynalite: DynaliteHandle;
let world: MinuteCycleWorld;
let store: DynamoDbStateStore;
/** What each cycle that decided really decided, by its time. */
const live = new Map<number, RecordedDecision>();
let results: CycleResult[] = [];
let history: StoredHistory;
let tableName: string;
let doc: Awaited<ReturnType<typeof createLocalStateTable>>['doc'];
let outDir: string;

/** Replays the stored history with `overrides`, carrying state as the table keeps it. */
function replay(overrides: Record<string, string> = {}): ReplayResult {
  return replayHistory({
    entries: history.entries,
    optionsFor: historyOptionsResolver(overrides).optionsFor,
    storedState,
  });
}

beforeAll(async () => {
  dynalite = await startDynalite();
  const table = await createLocalStateTable(dynalite.endpoint);
  tableName = table.tableName;
  doc = table.doc;
  store = new DynamoDbStateStore(table.doc, { tableName });
  outDir = await mkdtemp(join(tmpdir(), 'fsa-replay-table-'));
  world = await startMinuteCycleWorld('replay-table-test', { store });
  for (let minute = 0; minute < MINUTES; minute++) {
    const result = await world.minute();
    results.push(result);
    if (result.decision) live.set(world.clock.nowMs(), recordedDecisionOf(result.decision));
  }
  history = await store.readHistory(KEY, { fromMs: 0, toMs: world.clock.nowMs() });
}, 180_000);

afterAll(async () => {
  await world?.close();
  await dynalite?.close();
  await rm(outDir, { recursive: true, force: true });
  results = [];
});

/** Runs `fsa replay` through the command module; returns what it printed, or the error it threw. */
function fsaReplay(...args: string[]): Promise<string> {
  return runReplayCommand(...args);
}

/** `fsa replay <job> --table … --endpoint …` up to the world's last cycle, with `args`. */
function fsaReplayTable(...args: string[]): Promise<string> {
  const job = `${KEY.cluster}/${KEY.namespace}/${KEY.kind}/${KEY.name}`;
  const to = new Date(world.clock.nowMs()).toISOString();
  return fsaReplay(job, '--table', tableName, '--endpoint', dynalite.endpoint, '--to', to, ...args);
}

describe('fsa replay over the state table', () => {
  it('keeps every deciding cycle with the decision it made, including a real rescale', () => {
    expect(history.skipped).toEqual([]);
    expect(history.windowOnlySamples).toBe(0);
    expect(history.entries.map((e) => e.sample.tsMs)).toEqual([...live.keys()]);
    expect(history.entries.map((e) => e.decision)).toEqual([...live.values()]);
    const scalings = history.entries.filter((e) => e.decision.action === 'scale');
    expect(scalings.length).toBeGreaterThanOrEqual(1);
    // The rescale really happened: a later cycle ran at the new parallelism.
    const first = scalings[0]!;
    const [vertexId, parallelism] = Object.entries(first.decision.parallelism)[0]!;
    const after = history.entries.filter((e) => e.sample.tsMs > first.sample.tsMs);
    expect(after.some((e) => e.context.topology.vertices.find((v) => v.id === vertexId)?.parallelism === parallelism)).toBe(true);
    expect(results.filter((r) => r.realized?.outcome === 'patched' || r.decision?.action === 'scale').length).toBeGreaterThan(0);
  });

  it('writes a decision context only when the topology or the job run changed, not per cycle', async () => {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :history)',
        ExpressionAttributeValues: { ':pk': partitionKeyOf(KEY), ':history': 'HISTORY#' },
      }),
    );
    const runs = new Set(
      history.entries.map((e) => JSON.stringify([e.context.topology.jobId, e.context.topology.jobRunningTsMs, e.context.topology.vertices.map((v) => v.parallelism)])),
    );
    expect(runs.size).toBeGreaterThanOrEqual(2); // before and after the rescale
    expect(out.Items).toHaveLength(runs.size);
    expect(history.entries.length).toBeGreaterThan(5 * runs.size);
  });

  it('with unchanged settings reproduces every recorded decision exactly', () => {
    const result = replay();

    expect(result.steps).toHaveLength(history.entries.length);
    expect(result.steps.map((s) => ({ atMs: s.atMs, matches: s.matchesRecorded }))).toEqual(
      history.entries.map((e) => ({ atMs: e.sample.tsMs, matches: true })),
    );
    expect(result.totals.differingSteps).toBe(0);
    expect(result.totals.recordedSteps).toBe(history.entries.length);
    expect(result.totals.recordedScalings).toBeGreaterThanOrEqual(1);
    // The actions side by side, including the not-ready ones of the filling window.
    expect(result.steps.map((s) => s.action)).toEqual(history.entries.map((e) => e.decision.action));
  });

  it('with another utilization.target decides differently, and says where', () => {
    const recorded = replay();
    const lower = replay({ 'job.autoscaler.utilization.target': '0.3' });

    expect(lower.totals.differingSteps).toBeGreaterThan(0);
    const firstDifference = lower.steps.find((s) => s.matchesRecorded === false)!;
    expect(firstDifference.recorded).toBeDefined();
    // A lower target wants more parallelism: the replayed job holds at least as much from there on.
    const hours = (r: ReplayResult) => r.totals.replayedParallelismHours;
    expect(hours(lower)).toBeGreaterThan(hours(recorded));
  });

  it('fsa replay --table prints the replay next to the recorded decisions, as text, JSON and HTML', async () => {
    const json = JSON.parse(await fsaReplayTable('--json')) as ReplayResult & { warnings: string[] };
    const text = await fsaReplayTable('--set', 'job.autoscaler.utilization.target=0.3', '--html', join(outDir, 'replay.html'));
    const html = await readFile(join(outDir, 'replay.html'), 'utf8');

    expect(json.warnings).toEqual([]);
    expect(json.steps).toEqual(replay().steps);
    expect(json.totals.differingSteps).toBe(0);
    expect(text).toMatch(/real decision/);
    expect(text).toMatch(/≠ scale/);
    expect(text).toMatch(/Decisions: [1-9]\d* of \d+ differ from the recorded ones/);
    for (const title of ['Input rate vs capacity', 'Lag', 'TaskManager memory', 'parallelism', 'utilization']) {
      expect(html).toContain(title);
    }
    expect(html).toContain('<th>real decision</th>');
  });

  it('fsa replay names a missing or doubled source and a missing job', async () => {
    await expect(fsaReplay('--set', 'job.autoscaler.utilization.target=0.5')).rejects.toThrow(
      /Give exactly one source: --captures <dir> .* or --table <name> with a <job>/,
    );
    await expect(fsaReplay('--table', tableName, '--captures', outDir)).rejects.toThrow(/Give exactly one source/);
    await expect(fsaReplay('--table', tableName, '--endpoint', dynalite.endpoint)).rejects.toThrow(
      /--table needs the <job> to replay, as <cluster>\/<namespace>\/<kind>\/<name>/,
    );
    await expect(fsaReplay('a/b/FlinkDeployment/c', '--captures', outDir)).rejects.toThrow(/<job> \(a\/b\/FlinkDeployment\/c\) goes with --table/);
    await expect(fsaReplayTable('--set', 'job.autoscaler.utilization.target=2')).rejects.toThrow(
      /--set job\.autoscaler\.utilization\.target=2: /,
    );
  });

  it('fsa replay --table on a job without history says how to keep one', async () => {
    const out = await fsaReplay('local/flink-jobs/FlinkDeployment/other', '--table', tableName, '--endpoint', dynalite.endpoint);
    expect(out).toMatch(/No retained history for this job: the table keeps one when job\.autoscaler\.history\.retention is above 0/);
    expect(out).toMatch(/No observation to replay in the given range/);
  });
});
