/**
 * Rollback of an unhealthy rescale (docs/algorithm.md §13), the pure part: when a change starts
 * being watched, how each later cycle's observation is judged, and the state a rollback leaves.
 * The cycle step (lib/cycle/steps/rollback.ts) feeds it observations and applies its verdicts.
 *
 * The Flink operator has no such thing: a rescale that leaves the job failing, restarting or
 * without TaskManagers stays until a human notices (proposals FLINK-33801, FLINK-37411).
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  BlockedChange,
  ConfigChanges,
  JobState,
  JobTopology,
  MetricSample,
  OwnedSettings,
  RollbackCause,
  RollbackRecord,
  RollbackWatch,
  ScalingDecision,
  VertexId,
} from '../domain/index.ts';

/** A TaskManager pod the scheduler cannot place (`PodScheduled=False`, reason `Unschedulable`). */
export interface UnschedulablePod {
  readonly name: string;
  /** The condition's message, e.g. `0/3 nodes are available: 3 Insufficient cpu.` */
  readonly message: string;
}

/** Sources' processing rate and lag over a metric window. */
export interface SourceThroughput {
  /** Records/s the sources read, over the window. */
  readonly ratePerSecond: number;
  /** Sources' total lag at the window's newest sample, records. */
  readonly lagRecords: number;
  /** Sources' total lag at the window's oldest sample, records. */
  readonly firstLagRecords: number;
}

/** What one cycle saw of a watched job. */
export interface HealthObservation {
  /** The Flink job state when known (REST, else the resource status), e.g. `RESTARTING`, `FAILED`. */
  readonly jobState?: string;
  /** True when the job was RUNNING and its metrics were collected this cycle. */
  readonly running: boolean;
  /**
   * True when the job runs with the change: RUNNING since after it. A job still RUNNING from
   * before (the operator has not applied the change yet) is not "seen running" for the restart
   * count, so the change's own restart is not counted as one of a loop.
   */
  readonly withChange?: boolean;
  readonly unschedulablePods: readonly UnschedulablePod[];
  /** Set on the first full-window evaluation after the change (all samples taken with it). */
  readonly throughput?: SourceThroughput;
}

/** What the watch makes of an observation. */
export type WatchVerdict =
  | { readonly kind: 'watching'; readonly watch: RollbackWatch }
  | { readonly kind: 'healthy' }
  | { readonly kind: 'rollback'; readonly cause: RollbackCause; readonly evidence: string };

/**
 * Lag growth that counts as "growing" for the throughput check, in seconds of the pre-change rate:
 * a few records of noise on a balanced job are not a collapse; a sink at a fraction of its former
 * capacity adds many minutes of input over a metric window.
 */
export const LAG_GROWTH_SECONDS = 60;

/** How long a change may leave the job not RUNNING: `rollback.timeout`, else the restart-time tracking limit. */
export function rollbackTimeoutMs(options: AutoscalerOptions): number {
  return options.rollbackTimeoutMs ?? options.restartTimeTrackingLimitMs;
}

/**
 * Judges one observation of a watched change, in order of certainty: a FAILED job; TaskManager
 * pods unschedulable for longer than `rollback.unschedulable.timeout`; a job not RUNNING — a
 * restart loop after `rollback.max-restarts` restarts, or longer than {@link rollbackTimeoutMs}
 * since the change; and at the first full window, a processing rate below
 * `rollback.throughput-ratio` × the pre-change rate while the lag grows. A job RUNNING with a full
 * window and none of these is healthy: the watch ends and the change becomes the known-good one.
 */
export function judgeWatch(
  watch: RollbackWatch,
  observation: HealthObservation,
  options: AutoscalerOptions,
  nowMs: number,
): WatchVerdict {
  const sinceChange = `${Math.round((nowMs - watch.appliedAtMs) / 1000)} s after the change`;
  if (observation.jobState === 'FAILED') {
    return { kind: 'rollback', cause: 'failed', evidence: `the job is FAILED ${sinceChange}` };
  }
  const pods = observation.unschedulablePods;
  const unschedulableSinceMs = pods.length > 0 ? (watch.unschedulableSinceMs ?? nowMs) : undefined;
  if (unschedulableSinceMs !== undefined && nowMs - unschedulableSinceMs >= options.rollbackUnschedulableTimeoutMs) {
    const first = pods[0] as UnschedulablePod;
    return {
      kind: 'rollback',
      cause: 'unschedulable',
      evidence: `${pods.length} TaskManager pod(s) unschedulable for ${Math.round((nowMs - unschedulableSinceMs) / 1000)} s (${first.name}: ${first.message})`,
    };
  }
  const { unschedulableSinceMs: _dropped, ...rest } = watch;
  const next: RollbackWatch = { ...rest, ...(unschedulableSinceMs !== undefined ? { unschedulableSinceMs } : {}) };
  if (!observation.running) return judgeNotRunning(next, observation, options, nowMs, sinceChange);

  const running: RollbackWatch = { ...next, seenRunning: next.seenRunning || observation.withChange === true };
  if (!observation.throughput) return { kind: 'watching', watch: running };
  const slow = slowThroughput(watch, observation.throughput, options);
  if (slow) return { kind: 'rollback', cause: 'throughput', evidence: slow };
  // Healthy only once every TaskManager has a node: a job may run on the slots it has meanwhile.
  return pods.length > 0 ? { kind: 'watching', watch: running } : { kind: 'healthy' };
}

function judgeNotRunning(
  watch: RollbackWatch,
  observation: HealthObservation,
  options: AutoscalerOptions,
  nowMs: number,
  sinceChange: string,
): WatchVerdict {
  const state = observation.jobState ?? 'not RUNNING';
  const restartsSeen = watch.restartsSeen + (watch.seenRunning ? 1 : 0);
  if (restartsSeen >= options.rollbackMaxRestarts) {
    return {
      kind: 'rollback',
      cause: 'restart-loop',
      evidence: `the job left RUNNING ${restartsSeen} times since the change (now ${state}, ${sinceChange})`,
    };
  }
  const timeoutMs = rollbackTimeoutMs(options);
  if (nowMs - watch.appliedAtMs > timeoutMs) {
    return {
      kind: 'rollback',
      cause: 'not-running',
      evidence: `the job is ${state} ${sinceChange}, longer than the ${Math.round(timeoutMs / 1000)} s limit`,
    };
  }
  return { kind: 'watching', watch: { ...watch, seenRunning: false, restartsSeen } };
}

/** The evidence of a collapsed throughput, or undefined when the rate is fine or not comparable. */
function slowThroughput(
  watch: RollbackWatch,
  now: SourceThroughput,
  options: AutoscalerOptions,
): string | undefined {
  const before = watch.preChangeRatePerSecond;
  const ratio = options.rollbackThroughputRatio;
  if (ratio <= 0 || before === undefined || !(before > 0)) return undefined;
  const growth = now.lagRecords - Math.max(now.firstLagRecords, watch.preChangeLagRecords ?? 0);
  const lagGrows = growth > before * LAG_GROWTH_SECONDS;
  if (now.ratePerSecond >= ratio * before || !lagGrows) return undefined;
  return `the sources read ${round(now.ratePerSecond)} records/s after the change, below ${ratio} × ${round(before)} records/s before it, while their lag grew from ${round(now.firstLagRecords)} to ${round(now.lagRecords)} records`;
}

/**
 * Sources' rate over `samples` (from the record-in counters, so a restart inside the window
 * makes it unmeasurable) and their lag; undefined without two samples of every source.
 */
export function sourceThroughput(
  samples: readonly MetricSample[],
  topology: JobTopology,
): SourceThroughput | undefined {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.tsMs <= first.tsMs) return undefined;
  const sources = topology.vertices.filter((v) => v.inputs.length === 0).map((v) => v.id);
  if (sources.length === 0) return undefined;
  let records = 0;
  let lag = 0;
  let firstLag = 0;
  for (const id of sources) {
    const from = first.vertices[id]?.NUM_RECORDS_IN;
    const to = last.vertices[id]?.NUM_RECORDS_IN;
    if (from === undefined || to === undefined || to < from) return undefined;
    records += to - from;
    lag += last.vertices[id]?.LAG ?? 0;
    firstLag += first.vertices[id]?.LAG ?? 0;
  }
  return { ratePerSecond: records / ((last.tsMs - first.tsMs) / 1000), lagRecords: lag, firstLagRecords: firstLag };
}

/**
 * The watch of a change decided this cycle: the settings to restore are those before it — the
 * stored overrides, and for a vertex without one the parallelism it ran with — and the rate and
 * lag the change will be compared with.
 */
export function startWatch(
  before: JobState,
  decision: ScalingDecision,
  throughput: SourceThroughput | undefined,
  nowMs: number,
  taskManagerMemoryBytes?: number,
): RollbackWatch {
  const parallelismOverrides: Record<VertexId, number> = {};
  for (const vertex of decision.vertices) {
    parallelismOverrides[vertex.vertexId] = before.parallelismOverrides[vertex.vertexId] ?? vertex.currentParallelism;
  }
  for (const [id, p] of Object.entries(before.parallelismOverrides)) parallelismOverrides[id] ??= p;
  return {
    appliedAtMs: nowMs,
    knownGood: {
      parallelismOverrides,
      configOverrides: before.configOverrides,
      ...(taskManagerMemoryBytes !== undefined ? { taskManagerMemoryBytes } : {}),
    },
    ...(throughput
      ? { preChangeRatePerSecond: throughput.ratePerSecond, preChangeLagRecords: throughput.lagRecords }
      : {}),
    seenRunning: false,
    restartsSeen: 0,
  };
}

/**
 * The state after rolling `watch`'s change back: the known-good overrides and memory settings
 * (memory keys the change added are removed), the change blocked for `rollback.cool-down`, the
 * record of the rollback, and the change's history entry and restart record dropped — they
 * describe a scaling that did not stand, and its unhealthy period is no restart time to learn.
 */
export function rolledBackState(
  state: JobState,
  watch: RollbackWatch,
  verdict: { readonly cause: RollbackCause; readonly evidence: string },
  options: AutoscalerOptions,
  nowMs: number,
): JobState {
  const good = watch.knownGood;
  const vertices = Object.entries(state.parallelismOverrides)
    .filter(([id, p]) => good.parallelismOverrides[id] !== undefined && good.parallelismOverrides[id] !== p)
    .map(([vertexId, from]) => ({ vertexId, from, to: good.parallelismOverrides[vertexId] as number }));
  const blocked: BlockedChange[] = [
    ...activeBlocks(state, nowMs).filter((b) => !vertices.some((v) => v.vertexId === b.vertexId)),
    ...vertices.map((v) => ({
      vertexId: v.vertexId,
      fromParallelism: v.to,
      toParallelism: v.from,
      untilMs: nowMs + options.rollbackCooldownMs,
    })),
  ];
  const last: RollbackRecord = { atMs: nowMs, cause: verdict.cause, evidence: verdict.evidence, vertices };
  return {
    ...state,
    parallelismOverrides: { ...state.parallelismOverrides, ...good.parallelismOverrides },
    configOverrides: restoredConfig(state.configOverrides, good),
    scalingHistory: Object.fromEntries(
      Object.entries(state.scalingHistory).map(([id, list]) => [id, list.filter((s) => s.tsMs !== watch.appliedAtMs)]),
    ),
    scalingTracking: state.scalingTracking.filter((r) => r.startMs !== watch.appliedAtMs),
    rollback: { blocked, last },
  };
}

/**
 * The known-good memory settings, with keys only the rolled-back change set removed — except the
 * process size, which is set back to the spec's former TaskManager memory when known, so the
 * realizer restores `spec.taskManager` memory along with it.
 */
function restoredConfig(current: ConfigChanges, good: OwnedSettings): ConfigChanges {
  const overrides: Record<string, string> = { ...good.configOverrides.overrides };
  const setByChange = (key: string) => current.overrides[key] !== undefined && good.configOverrides.overrides[key] === undefined;
  if (setByChange(PROCESS_SIZE_KEY) && good.taskManagerMemoryBytes !== undefined) {
    overrides[PROCESS_SIZE_KEY] = `${good.taskManagerMemoryBytes}b`;
  }
  const added = Object.keys(current.overrides).filter((k) => setByChange(k) && overrides[k] === undefined);
  return {
    overrides,
    removals: [...new Set([...good.configOverrides.removals, ...added])].filter((k) => overrides[k] === undefined),
  };
}

/** The Flink key of the TaskManager process size (memory tuning's main output). */
const PROCESS_SIZE_KEY = 'taskmanager.memory.process.size';

/** Blocks still in force at `nowMs`. */
export function activeBlocks(state: Pick<JobState, 'rollback'>, nowMs: number): BlockedChange[] {
  return (state.rollback?.blocked ?? []).filter((b) => b.untilMs > nowMs);
}

/** Whether moving `vertexId` to `parallelism` repeats a blocked change (same direction, as far or further). */
export function blockedChangeFor(
  blocks: readonly BlockedChange[],
  vertexId: VertexId,
  parallelism: number,
): BlockedChange | undefined {
  return blocks.find(
    (b) =>
      b.vertexId === vertexId &&
      (b.toParallelism > b.fromParallelism ? parallelism >= b.toParallelism : parallelism <= b.toParallelism),
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
