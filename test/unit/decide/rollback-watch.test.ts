import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import { checkRollbackCooldown } from '../../../lib/decide/guards/rollback-cooldown-guard.ts';
import {
  activeBlocks,
  blockedChangeFor,
  type HealthObservation,
  judgeWatch,
  rolledBackState,
  rollbackTimeoutMs,
  sourceThroughput,
  startWatch,
} from '../../../lib/decide/rollback-watch.ts';
import {
  emptyJobState,
  type JobState,
  type JobTopology,
  type MetricSample,
  type RollbackWatch,
  type ScalingDecision,
} from '../../../lib/domain/index.ts';

const SRC = 'a'.repeat(32);
const WORK = 'b'.repeat(32);
const MIN = 60_000;
const T0 = 1_800_000_000_000;
const options = (config: Record<string, string> = {}) => resolveOptions({}, config).options;

const watch = (extra: Partial<RollbackWatch> = {}): RollbackWatch => ({
  appliedAtMs: T0,
  knownGood: {
    parallelismOverrides: { [SRC]: 2, [WORK]: 4 },
    configOverrides: { overrides: {}, removals: [] },
  },
  preChangeRatePerSecond: 1000,
  preChangeLagRecords: 5000,
  seenRunning: false,
  restartsSeen: 0,
  ...extra,
});
const notRunning = (jobState?: string, pods: HealthObservation['unschedulablePods'] = []): HealthObservation => ({
  ...(jobState ? { jobState } : {}),
  running: false,
  unschedulablePods: pods,
});
const running = (throughput?: HealthObservation['throughput']): HealthObservation => ({
  jobState: 'RUNNING',
  running: true,
  withChange: true,
  unschedulablePods: [],
  ...(throughput ? { throughput } : {}),
});
const POD = { name: 'job-taskmanager-1-3', message: '0/2 nodes are available: 2 Insufficient cpu.' };

describe('judgeWatch: when a watched change is unhealthy', () => {
  it('rolls back a FAILED job at once', () => {
    const verdict = judgeWatch(watch(), notRunning('FAILED'), options(), T0 + MIN);
    expect(verdict).toMatchObject({ kind: 'rollback', cause: 'failed' });
  });

  it('waits rollback.unschedulable.timeout for unschedulable pods, then rolls back with the pod as evidence', () => {
    const first = judgeWatch(watch(), notRunning('RESTARTING', [POD]), options(), T0 + MIN);
    expect(first).toMatchObject({ kind: 'watching', watch: { unschedulableSinceMs: T0 + MIN } });
    if (first.kind !== 'watching') throw new Error('expected watching');
    const still = judgeWatch(first.watch, notRunning('RESTARTING', [POD]), options(), T0 + 5 * MIN);
    expect(still.kind).toBe('watching');
    const verdict = judgeWatch(first.watch, notRunning('RESTARTING', [POD]), options(), T0 + 6 * MIN);
    expect(verdict).toMatchObject({ kind: 'rollback', cause: 'unschedulable' });
    if (verdict.kind === 'rollback') expect(verdict.evidence).toContain(POD.name);
  });

  it('forgets unschedulable pods once every pod is placed', () => {
    const verdict = judgeWatch(watch({ unschedulableSinceMs: T0 }), notRunning('RESTARTING'), options(), T0 + MIN);
    expect(verdict.kind).toBe('watching');
    if (verdict.kind === 'watching') expect(verdict.watch.unschedulableSinceMs).toBeUndefined();
  });

  it('defaults the not-RUNNING limit to restart.time-tracking.limit, and rollback.timeout overrides it', () => {
    expect(rollbackTimeoutMs(options())).toBe(15 * MIN);
    expect(rollbackTimeoutMs(options({ 'job.autoscaler.restart.time-tracking.limit': '20 min' }))).toBe(20 * MIN);
    expect(rollbackTimeoutMs(options({ 'job.autoscaler.rollback.timeout': '3 min' }))).toBe(3 * MIN);
    expect(judgeWatch(watch(), notRunning('RESTARTING'), options(), T0 + 15 * MIN).kind).toBe('watching');
    expect(judgeWatch(watch(), notRunning('RESTARTING'), options(), T0 + 15 * MIN + 1)).toMatchObject({
      kind: 'rollback',
      cause: 'not-running',
    });
  });

  it('counts restarts after the job first ran with the change and rolls back a restart loop', () => {
    let w = watch();
    const at = (n: number) => T0 + n * 30_000;
    const sequence: HealthObservation[] = [running(), notRunning('RESTARTING'), running(), notRunning('RESTARTING'), running()];
    sequence.forEach((observation, i) => {
      const verdict = judgeWatch(w, observation, options(), at(i + 1));
      if (verdict.kind !== 'watching') throw new Error(`unexpected ${verdict.kind} at ${i}`);
      w = verdict.watch;
    });
    expect(w.restartsSeen).toBe(2);
    expect(judgeWatch(w, notRunning('RESTARTING'), options(), at(6))).toMatchObject({ kind: 'rollback', cause: 'restart-loop' });
  });

  it('does not count the change’s own restart: RUNNING from before the change is not running with it', () => {
    const before = judgeWatch(watch(), { ...running(), withChange: false }, options(), T0 + 30_000);
    expect(before).toMatchObject({ kind: 'watching', watch: { seenRunning: false } });
    if (before.kind !== 'watching') throw new Error('expected watching');
    const restarting = judgeWatch(before.watch, notRunning('RESTARTING'), options(), T0 + 60_000);
    expect(restarting).toMatchObject({ kind: 'watching', watch: { restartsSeen: 0 } });
  });

  it('rolls back a change whose rate fell below the ratio while the lag grew, not one whose lag shrank', () => {
    const slow = { ratePerSecond: 300, lagRecords: 90_000, firstLagRecords: 20_000 };
    expect(judgeWatch(watch(), running(slow), options(), T0 + 10 * MIN)).toMatchObject({ kind: 'rollback', cause: 'throughput' });
    // a scale-down that settles after a catch-up reads less and drains: healthy
    const drained = { ratePerSecond: 300, lagRecords: 100, firstLagRecords: 2_000 };
    expect(judgeWatch(watch(), running(drained), options(), T0 + 10 * MIN)).toEqual({ kind: 'healthy' });
    // a few records more on a balanced job are noise, not growth (60 s of the pre-change rate needed)
    const noise = { ratePerSecond: 300, lagRecords: 20_500, firstLagRecords: 20_000 };
    expect(judgeWatch(watch(), running(noise), options(), T0 + 10 * MIN)).toEqual({ kind: 'healthy' });
    // 0 disables the check
    const off = options({ 'job.autoscaler.rollback.throughput-ratio': '0' });
    expect(judgeWatch(watch(), running(slow), off, T0 + 10 * MIN)).toEqual({ kind: 'healthy' });
  });

  it('keeps watching a RUNNING job until its first full window, and while pods still wait for nodes', () => {
    expect(judgeWatch(watch(), running(), options(), T0 + MIN)).toMatchObject({ kind: 'watching', watch: { seenRunning: true } });
    const fine = { ratePerSecond: 1200, lagRecords: 10, firstLagRecords: 3000 };
    const withPods = { ...running(fine), unschedulablePods: [POD] };
    expect(judgeWatch(watch(), withPods, options(), T0 + 2 * MIN).kind).toBe('watching');
  });
});

describe('starting a watch and rolling back', () => {
  const topology = {
    jobId: 'j',
    vertices: [
      { id: SRC, inputs: [], parallelism: 2 },
      { id: WORK, inputs: [{ id: SRC }], parallelism: 4 },
    ],
  } as unknown as JobTopology;
  const sample = (tsMs: number, recordsIn: number, lag: number): MetricSample => ({
    tsMs,
    vertices: { [SRC]: { NUM_RECORDS_IN: recordsIn, LAG: lag }, [WORK]: { NUM_RECORDS_IN: 1 } },
    global: {},
  });

  it('measures the sources’ rate from their record counters and their lag', () => {
    expect(sourceThroughput([sample(T0, 0, 100), sample(T0 + 10_000, 5000, 400)], topology)).toEqual({
      ratePerSecond: 500,
      lagRecords: 400,
      firstLagRecords: 100,
    });
    // a counter reset (restart inside the window) is not a rate
    expect(sourceThroughput([sample(T0, 9000, 0), sample(T0 + 10_000, 10, 0)], topology)).toBeUndefined();
    expect(sourceThroughput([sample(T0, 0, 0)], topology)).toBeUndefined();
  });

  it('takes the known-good parallelism from the stored overrides, else from what the vertex ran with', () => {
    const before: JobState = { ...emptyJobState(), parallelismOverrides: { [SRC]: 3 } };
    const decision = {
      action: 'scale',
      vertices: [
        { vertexId: SRC, currentParallelism: 3 },
        { vertexId: WORK, currentParallelism: 4 },
      ],
    } as unknown as ScalingDecision;
    const w = startWatch(before, decision, { ratePerSecond: 700, lagRecords: 50, firstLagRecords: 10 }, T0);
    expect(w.knownGood.parallelismOverrides).toEqual({ [SRC]: 3, [WORK]: 4 });
    expect(w).toMatchObject({ appliedAtMs: T0, preChangeRatePerSecond: 700, preChangeLagRecords: 50, restartsSeen: 0 });
  });

  it('restores the known-good settings, removes memory keys the change added, forgets the change and blocks it', () => {
    const changed: JobState = {
      ...emptyJobState(),
      parallelismOverrides: { [SRC]: 2, [WORK]: 9 },
      configOverrides: { overrides: { 'taskmanager.memory.process.size': '3g' }, removals: [] },
      scalingHistory: {
        [WORK]: [
          { tsMs: T0 - 60 * MIN, currentParallelism: 2, newParallelism: 4, metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 2, targetDataRateAvg: 1 } },
          { tsMs: T0, currentParallelism: 4, newParallelism: 9, metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 2, targetDataRateAvg: 1 } },
        ],
      },
      scalingTracking: [{ startMs: T0 - 60 * MIN, restartDurationMs: 40_000 }, { startMs: T0 }],
      rollback: { watch: watch(), blocked: [] },
    };
    const after = rolledBackState(changed, watch(), { cause: 'failed', evidence: 'the job is FAILED' }, options(), T0 + 2 * MIN);
    expect(after.parallelismOverrides).toEqual({ [SRC]: 2, [WORK]: 4 });
    expect(after.configOverrides).toEqual({ overrides: {}, removals: ['taskmanager.memory.process.size'] });
    expect(after.scalingHistory[WORK]?.map((s) => s.tsMs)).toEqual([T0 - 60 * MIN]);
    expect(after.scalingTracking).toEqual([{ startMs: T0 - 60 * MIN, restartDurationMs: 40_000 }]);
    expect(after.rollback?.watch).toBeUndefined();
    expect(after.rollback?.last).toEqual({
      atMs: T0 + 2 * MIN,
      cause: 'failed',
      evidence: 'the job is FAILED',
      vertices: [{ vertexId: WORK, from: 9, to: 4 }],
    });
    expect(after.rollback?.blocked).toEqual([{ vertexId: WORK, fromParallelism: 4, toParallelism: 9, untilMs: T0 + 62 * MIN }]);
    expect(activeBlocks(after, T0 + 62 * MIN)).toEqual([]);
  });

  it('sets the process size back to the spec’s former TaskManager memory when the change tuned it', () => {
    const good = watch({
      knownGood: { ...watch().knownGood, taskManagerMemoryBytes: 4 * 1024 ** 3 },
    });
    const changed: JobState = {
      ...emptyJobState(),
      parallelismOverrides: { [SRC]: 2, [WORK]: 9 },
      configOverrides: {
        overrides: { 'taskmanager.memory.process.size': '3g', 'taskmanager.memory.managed.size': '0b' },
        removals: [],
      },
    };
    const after = rolledBackState(changed, good, { cause: 'failed', evidence: 'FAILED' }, options(), T0 + MIN);
    expect(after.configOverrides).toEqual({
      overrides: { 'taskmanager.memory.process.size': `${4 * 1024 ** 3}b` },
      removals: ['taskmanager.memory.managed.size'],
    });
  });

  it('blocks the same direction only, as far as the rolled-back parallelism or beyond', () => {
    const up = [{ vertexId: WORK, fromParallelism: 4, toParallelism: 9, untilMs: T0 }];
    expect(blockedChangeFor(up, WORK, 9)).toBeDefined();
    expect(blockedChangeFor(up, WORK, 12)).toBeDefined();
    expect(blockedChangeFor(up, WORK, 8)).toBeUndefined();
    expect(blockedChangeFor(up, SRC, 12)).toBeUndefined();
    const down = [{ vertexId: WORK, fromParallelism: 8, toParallelism: 3, untilMs: T0 }];
    expect(blockedChangeFor(down, WORK, 2)).toBeDefined();
    expect(blockedChangeFor(down, WORK, 4)).toBeUndefined();
  });

  it('the cool-down guard blocks a scaling that repeats a blocked change and passes the others', () => {
    const blocks = [{ vertexId: WORK, fromParallelism: 4, toParallelism: 9, untilMs: T0 + MIN }];
    const entry = (newParallelism: number) => ({
      vertexId: WORK,
      currentParallelism: 4,
      newParallelism,
      trueProcessingRateAvg: 1,
      expectedProcessingRate: 1,
      targetDataRateAvg: 1,
    });
    expect(checkRollbackCooldown(blocks, [entry(10)])).toMatchObject({ blocks: true, outcomes: [{ guard: 'rollback-cool-down', passed: false }] });
    expect(checkRollbackCooldown(blocks, [entry(6)])).toMatchObject({ blocks: false, outcomes: [{ passed: true }] });
    expect(checkRollbackCooldown([], [entry(10)])).toEqual({ outcomes: [], blocks: false });
  });
});
