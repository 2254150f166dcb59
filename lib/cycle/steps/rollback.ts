/**
 * Rollback of an unhealthy rescale (docs/algorithm.md §13), the cycle's part: every cycle of a job
 * with a change under watch judges what it sees (lib/decide/rollback-watch.ts) — on a decided
 * cycle after the core ran, on a cycle that found the job not ready before ending it — and on an
 * unhealthy verdict stores the known-good settings, applies them through the realizer (which
 * writes only the autoscaler's own keys, so whatever the user changed meanwhile stays) and emits
 * one `ScalingRolledBack` event with the evidence. A new scaling starts a watch.
 */
import { type AutoscalerOptions, InvalidOptionError, resolveOptions } from '../../config/index.ts';
import type { DecideOutput } from '../../decide/decide.ts';
import {
  type HealthObservation,
  judgeWatch,
  rolledBackState,
  sourceThroughput,
  startWatch,
  type UnschedulablePod,
  type WatchVerdict,
} from '../../decide/rollback-watch.ts';
import type { AutoscalerEvent, JobState, RollbackRecord, RollbackWatch } from '../../domain/index.ts';
import { type LoadedJob, StateConflictError } from '../../ports/state-store.ts';
import { describeError } from '../../report/describe-error.ts';
import type { CycleResult } from '../cycle-result.ts';
import type { RawObservation } from './collect.ts';
import { type CycleContext, emit } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';
import { scalingPlanFor } from './realize.ts';

/** What a rollback in the decided path hands the rest of the cycle. */
export interface WatchedOutput {
  readonly output: DecideOutput;
  /** Set when the watched change was rolled back this cycle. */
  readonly rollback?: RollbackRecord;
}

/**
 * On a decided cycle: judges the watched change (the job is RUNNING; at the first full window
 * its throughput too) and starts watching a scaling decided now. A rollback replaces this cycle's
 * decision: nothing else is changed in the cycle that reverts one.
 */
export async function watchDecided(
  cycle: CycleContext,
  { job, options }: ObservedJob,
  raw: RawObservation,
  loaded: LoadedJob,
  output: DecideOutput,
): Promise<WatchedOutput> {
  if (!options.rollbackEnabled) return { output: withoutWatch(output) };
  const watch = loaded.state.rollback?.watch;
  let current: RollbackWatch | undefined;
  if (watch) {
    // Judged on a full window of samples all taken after the change (the window restarts with the
    // job); a window from before the operator applied the change says nothing about it.
    const evaluated =
      output.decision.action !== 'not-ready' && (output.samples[0]?.tsMs ?? -Infinity) > watch.appliedAtMs;
    const observation: HealthObservation = {
      jobState: 'RUNNING',
      running: true,
      withChange: raw.topology.jobRunningTsMs > watch.appliedAtMs,
      unschedulablePods: await unschedulablePods(cycle),
      ...(evaluated ? withThroughput(output, raw) : {}),
    };
    const verdict = judgeWatch(watch, observation, options, cycle.nowMs);
    if (verdict.kind === 'rollback') return rollBackDecided(cycle, options, loaded, output, watch, verdict);
    if (verdict.kind === 'watching') current = verdict.watch;
    if (verdict.kind === 'healthy') cycle.log.info('the watched change proved healthy', { appliedAtMs: watch.appliedAtMs });
  }
  if (output.decision.action === 'scale') {
    const started = startWatch(
      loaded.state,
      output.decision,
      sourceThroughput(output.samples, raw.topology),
      cycle.nowMs,
      job.taskManager?.memoryBytes,
    );
    // A change made while the previous one is still watched: the known-good settings stay the older ones.
    current = current ? { ...started, knownGood: current.knownGood } : started;
  }
  return { output: withWatch(output, current) };
}

function withThroughput(output: DecideOutput, raw: RawObservation): Pick<HealthObservation, 'throughput'> {
  const throughput = sourceThroughput(output.samples, raw.topology);
  return throughput ? { throughput } : {};
}

/** The output with the rollback state's watch set to `watch` (or removed). */
function withWatch(output: DecideOutput, watch: RollbackWatch | undefined): DecideOutput {
  const previous = output.state.rollback;
  if (!previous && !watch) return output;
  const { watch: _old, ...rest } = previous ?? { blocked: [] };
  return { ...output, state: { ...output.state, rollback: { ...rest, ...(watch ? { watch } : {}) } } };
}

function withoutWatch(output: DecideOutput): DecideOutput {
  return output.state.rollback?.watch ? withWatch(output, undefined) : output;
}

/** The decided cycle turned into the rollback: this cycle's own scaling is dropped. */
async function rollBackDecided(
  cycle: CycleContext,
  options: AutoscalerOptions,
  loaded: LoadedJob,
  output: DecideOutput,
  watch: RollbackWatch,
  verdict: Extract<WatchVerdict, { kind: 'rollback' }>,
): Promise<WatchedOutput> {
  const { nowMs } = cycle;
  const unchanged: JobState = {
    ...output.state,
    parallelismOverrides: loaded.state.parallelismOverrides,
    configOverrides: loaded.state.configOverrides,
    scalingHistory: Object.fromEntries(
      Object.entries(output.state.scalingHistory).map(([id, list]) => [id, list.filter((s) => s.tsMs !== nowMs)]),
    ),
    scalingTracking: output.state.scalingTracking.filter((r) => r.startMs !== nowMs),
  };
  const state = rolledBackState(unchanged, watch, verdict, options, nowMs);
  const record = state.rollback?.last as RollbackRecord;
  const decision = output.decision;
  const rolledBack: DecideOutput = {
    ...output,
    state,
    decision: {
      ...decision,
      action: decision.action === 'scale' ? 'blocked' : decision.action,
      guards: [...decision.guards, { guard: 'rollback', passed: false, detail: verdict.evidence }],
      parallelismOverrides: decision.action === 'scale' ? {} : decision.parallelismOverrides,
      summary: rollbackSummary(record, options),
    },
    report: {
      ...output.report,
      events: [...output.report.events.filter((e) => e.reason !== 'ScalingReport'), rollbackEvent(record, options)],
    },
  };
  cycle.log.warn('rolled back an unhealthy change', { cause: record.cause, evidence: record.evidence });
  return { output: rolledBack, rollback: record };
}

/**
 * On a cycle that found the job not ready (observe or collect stopped it): judges the watched
 * change and rolls it back when the job has been failing, restarting or waiting for TaskManagers
 * too long. Reads the state only for this; a job without a watch costs one state read.
 */
export async function watchNotReady(cycle: CycleContext, result: CycleResult): Promise<CycleResult> {
  const job = cycle.job;
  if (result.outcome !== 'not-ready' || !job) return result;
  const options = cycle.options ?? quietOptions(cycle);
  if (!options?.rollbackEnabled) return result;
  const { deps, key, nowMs } = cycle;
  const loaded = await deps.store.load(key, { sinceMs: nowMs });
  const watch = loaded.state.rollback?.watch;
  if (!watch) return result;
  const health = await readHealth(cycle);
  const jobState = cycle.flinkJobState ?? health?.jobState;
  const observation: HealthObservation = {
    ...(jobState !== undefined ? { jobState } : {}),
    running: false,
    unschedulablePods: health?.unschedulableTaskManagers ?? [],
  };
  const verdict = judgeWatch(watch, observation, options, nowMs);
  if (verdict.kind !== 'rollback') {
    const next = verdict.kind === 'watching' ? verdict.watch : undefined;
    const { watch: _old, ...rest } = loaded.state.rollback ?? { blocked: [] };
    await saveQuietly(cycle, loaded, { ...loaded.state, rollback: { ...rest, ...(next ? { watch: next } : {}) } }, options);
    return result;
  }
  const state = rolledBackState(loaded.state, watch, verdict, options, nowMs);
  if (!(await saveQuietly(cycle, loaded, state, options))) return result;
  const record = state.rollback?.last as RollbackRecord;
  cycle.log.warn('rolled back an unhealthy change', { cause: record.cause, evidence: record.evidence });
  const plan = scalingPlanFor({ state }, options, job.memoryTuning);
  const realized = plan ? await deps.realizer.realize(key, plan) : undefined;
  await emit(cycle, rollbackEvent(record, options));
  return { ...result, reason: rollbackSummary(record, options), rollback: record, ...(realized ? { realized } : {}) };
}

/** Saves `state`; false when another run saved first (it then owns the decision). */
async function saveQuietly(
  cycle: CycleContext,
  loaded: LoadedJob,
  state: JobState,
  options: AutoscalerOptions,
): Promise<boolean> {
  try {
    await cycle.deps.store.save(cycle.key, loaded, { state, windowMs: options.metricsWindowMs });
    return true;
  } catch (error) {
    if (error instanceof StateConflictError) return false;
    throw error;
  }
}

/** The options of a job observe did not resolve (not ready): without events; none when invalid. */
function quietOptions(cycle: CycleContext): AutoscalerOptions | undefined {
  try {
    return resolveOptions(cycle.deps.deploymentDefaults ?? {}, cycle.job?.flinkConfiguration ?? {}).options;
  } catch (error) {
    if (error instanceof InvalidOptionError) return undefined;
    throw error;
  }
}

async function readHealth(cycle: CycleContext) {
  if (!cycle.deps.health) return undefined;
  try {
    return await cycle.deps.health.health(cycle.key);
  } catch (error) {
    cycle.log.warn('could not read the job health for the rollback watch', { error: describeError(error) });
    return undefined;
  }
}

async function unschedulablePods(cycle: CycleContext): Promise<readonly UnschedulablePod[]> {
  return (await readHealth(cycle))?.unschedulableTaskManagers ?? [];
}

function restoredText(record: RollbackRecord): string {
  return record.vertices.length > 0
    ? record.vertices.map((v) => `${v.vertexId} ${v.from} -> ${v.to}`).join(', ')
    : 'memory settings only';
}

function rollbackSummary(record: RollbackRecord, options: AutoscalerOptions): string {
  const until = new Date(record.atMs + options.rollbackCooldownMs).toISOString();
  return `Rolled back the last change (${record.cause}): ${record.evidence}. Restored ${restoredText(record)}; the same change is blocked until ${until} (rollback.cool-down).`;
}

/** The `ScalingRolledBack` event: cause, evidence, what was restored, the cool-down. */
export function rollbackEvent(record: RollbackRecord, options: AutoscalerOptions): AutoscalerEvent {
  return {
    reason: 'ScalingRolledBack',
    type: 'Warning',
    message: rollbackSummary(record, options),
    messageKey: `rollback:${record.atMs}`,
  };
}
