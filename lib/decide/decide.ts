/**
 * `decide`: the one pure entry point of the autoscaler core (docs/design.md §1 step 5). Everything a
 * scale-job run, the CLI and the local world do between loading state and persisting it.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  ClusterCapacitySnapshot,
  DecisionReport,
  EvaluatedMetrics,
  GuardOutcome,
  JobState,
  JobTopology,
  MemoryPlan,
  MetricSample,
  RawJobMetrics,
  ScalingDecision,
  TaskManagerResources,
} from '../domain/index.ts';
import { vertexLabel, vertexNamesOf } from '../domain/index.ts';
import { evaluateMetrics } from '../evaluate/evaluate-metrics.ts';
import { MissingIngestionRateError } from '../evaluate/evaluation-error.ts';
import { type CycleObservation, observationOfRaw, observationOfSample } from './cycle-observation.ts';
import {
  clearHistoryIfRestarted,
  type MetricWindowUpdate,
  updateMetricWindow,
  windowLookbackMs,
} from '../window/index.ts';
import {
  computeRestartTimeMs,
  recordRestartDuration,
  trimScalingHistory,
  trimScalingTracking,
} from '../evaluate/scaling-tracking.ts';
import { type PlanMemoryResult, planMemory } from '../tune/plan-memory.ts';
import { type ExecuteScalingOutput, executeScaling } from './execute-scaling.ts';
import { nextCostLedger } from './cost-ledger.ts';
import { describePrice } from './price-decision.ts';
import { activeBlocks } from './rollback-watch.ts';
import { hashText } from './scaling-report.ts';

/** The deployed schedule's interval (docs/design.md §1: EventBridge Scheduler, rate 1 minute). */
export const DEFAULT_CADENCE_MS = 60_000;

/** Everything one decision needs. Plain data: the caller loads it, `decide` never does I/O. */
export interface DecideInput {
  readonly options: AutoscalerOptions;
  /** This cycle's observation of the running job (`collectedAtMs` should equal `nowMs`). */
  readonly raw: RawJobMetrics;
  /** Stored metric window, oldest first (without this cycle's sample). */
  readonly samples: readonly MetricSample[];
  /** Stored job state (`emptyJobState()` for a new job). */
  readonly state: JobState;
  /** The cycle's time, epoch ms (from the Clock port). */
  readonly nowMs: number;
  /**
   * Interval of the schedule that runs the cycles (the EventBridge rate, `fsa run --interval`):
   * the window may start up to {@link windowLookbackMs} of it before `now − window`, so jitter and
   * a missed tick never leave the window short of full. @default 60 000 (the deployed schedule)
   */
  readonly cadenceMs?: number;
  /** TaskManager CPU and memory from the resource spec (quota and capacity guards). */
  readonly taskManager?: TaskManagerResources;
  /** Cluster capacity for the capacity guard; absent = check disabled. */
  readonly clusterCapacity?: ClusterCapacitySnapshot;
  /**
   * Whether memory tuning applies to this job (default true). False for FlinkSessionJobs: the
   * session cluster owns the TaskManagers (docs/design.md §4).
   */
  readonly memoryTuning?: boolean;
}

/**
 * The input of {@link decideOnSample}: a cycle as the state store kept it — the sample exactly as
 * stored, the topology it was taken on and the required metrics that were missing — instead of
 * the raw observation.
 */
export interface DecideOnSampleInput extends Omit<DecideInput, 'raw'> {
  /** This cycle's sample as stored (`tsMs` should equal `nowMs`). */
  readonly sample: MetricSample;
  readonly topology: JobTopology;
  /** Names of required metrics the cycle's observation lacked (empty = complete). */
  readonly missingRequired?: readonly string[];
}

/** What the steps of {@link decide} work on: the input with the observation in its common form. */
interface CoreInput extends Omit<DecideInput, 'raw'> {
  readonly observation: CycleObservation;
}

/** Everything one decision produces. The caller persists `state` and `sample` and reports. */
export interface DecideOutput {
  readonly decision: ScalingDecision;
  /** The new job state to persist. */
  readonly state: JobState;
  /** This cycle's sample, to persist. */
  readonly sample: MetricSample;
  /** The metric window after appending `sample` and trimming, oldest first. */
  readonly samples: MetricSample[];
  readonly report: DecisionReport;
  /**
   * TaskManager memory plan of this cycle (docs/algorithm.md §7), computed on every full-window evaluation;
   * `applied` only with `memory.tuning.enabled` and a scaling. Absent when not evaluated, for
   * session jobs, or when it could not be made (`memoryPlanSkippedReason` says why).
   */
  readonly memoryPlan?: MemoryPlan;
  readonly memoryPlanSkippedReason?: string;
  /** For a `not-ready` decision: the window was short (or stabilizing), or the observation incomplete. */
  readonly notReadyReason?: 'stabilizing' | 'window' | 'observation';
}

/**
 * One autoscaler cycle for one job, as a pure function of its input (same input → same output):
 *
 * 1. **New job id** (redeploy): metric samples of the previous job are dropped (its counters
 *    restarted) and so are pending delayed scale-downs (recommendations made on the previous
 *    job's load). Kept, because they still apply: scaling history and scaling records (a scaling
 *    that redeployed the job is exactly the restart to measure, docs/algorithm.md §6), parallelism and memory
 *    overrides (the realizer applies them to every deployment), memory history.
 * 2. Trim history and scaling records (docs/algorithm.md §4.7, §6), compute the sample (§2.4), update the
 *    window (§2.5), measure the last scaling's restart, compute the restart time.
 * 3. **not-ready** with fewer than 2 samples; with ≥ 2 samples but a window that is not full the
 *    evaluation is still reported (RECOMMENDED_PARALLELISM unset) but nothing is decided.
 * 4. **not-ready** when the observation is incomplete (`raw.missingRequired`) or a source has no
 *    ingestion rate: the core never scales on partial data.
 * 5. Otherwise {@link executeScaling}: per-vertex decisions, summary, guards, scaling.
 */
export function decide(input: DecideInput): DecideOutput {
  const { raw, ...rest } = input;
  return decideOn({ ...rest, observation: observationOfRaw(raw, input.options) });
}

/**
 * {@link decide} on a stored cycle (the what-if replay over the state table): the same steps on
 * the sample as stored. Since the live cycle's sample is rounded as the store keeps it, a replay
 * of stored cycles under the same options reaches the same decisions.
 */
export function decideOnSample(input: DecideOnSampleInput): DecideOutput {
  const { sample, topology, missingRequired, ...rest } = input;
  return decideOn({ ...rest, observation: observationOfSample(sample, topology, missingRequired) });
}

function decideOn(input: CoreInput): DecideOutput {
  const cycle = prepareCycle(input);
  const readiness = evaluateWhenReady(input, cycle);
  if ('notReady' in readiness) return notReadyOutput(cycle, readiness.notReady);
  return decideScaling(input, cycle, readiness.evaluated);
}

/** What steps 1–2 of {@link decide} prepare: the state, sample and window the cycle decides on. */
interface PreparedCycle {
  /** The job state with trimmed history and scaling records and this cycle's bookkeeping. */
  readonly state: JobState;
  readonly sample: MetricSample;
  readonly window: MetricWindowUpdate;
  readonly restartTimeMs: number;
}

/** Steps 1–2 of {@link decide}: reset for a new job id, trim, sample, window, restart time. */
function prepareCycle(input: CoreInput): PreparedCycle {
  const { options, observation, nowMs } = input;
  const topology = observation.topology;
  const reset = resetForJob(input.state, input.samples, topology);
  const scalingHistory = trimScalingHistory(reset.state.scalingHistory, topology, options, nowMs);
  const trimmedRecords = trimScalingTracking(reset.state.scalingTracking, options, nowMs);

  // The OBSERVED_TPR fallback averages earlier samples; those from before a restart must not count.
  const previous = clearHistoryIfRestarted(reset.samples, topology.jobRunningTsMs).samples;
  const sample = observation.sampleFor(previous);
  const window = updateMetricWindow({
    samples: previous,
    newSample: sample,
    jobRunningTsMs: topology.jobRunningTsMs,
    options,
    nowMs,
    lookbackMs: windowLookbackMs(input.cadenceMs ?? DEFAULT_CADENCE_MS),
  });
  const scalingTracking =
    recordRestartDuration({ records: trimmedRecords, scalingHistory, topology }) ?? trimmedRecords;
  const vertexNames = vertexNamesOf(topology.vertices);
  const state: JobState = {
    ...reset.state,
    jobId: topology.jobId,
    topologyHash: topologyHash(topology),
    scalingHistory,
    scalingTracking,
    lastEvaluationMs: nowMs,
    ...(vertexNames ? { vertexNames } : {}),
    costLedger: nextCostLedger(reset.state, topology, options, input.taskManager, nowMs),
  };
  return { state, sample, window, restartTimeMs: computeRestartTimeMs(scalingTracking, options) };
}

/** Why nothing is decided this cycle, the guard that says so, and the evaluation if one exists. */
interface NotReady {
  readonly detail: string;
  readonly evaluated?: EvaluatedMetrics;
  readonly failed: GuardOutcome['guard'];
}

function notReady(
  detail: string,
  evaluated?: EvaluatedMetrics,
  failed: GuardOutcome['guard'] = 'window',
): { readonly notReady: NotReady } {
  return { notReady: { detail, ...(evaluated ? { evaluated } : {}), failed } };
}

/** Steps 3–4 of {@link decide}: the evaluation, when the window and the observation allow one. */
function evaluateWhenReady(
  input: CoreInput,
  cycle: PreparedCycle,
): { readonly evaluated: EvaluatedMetrics } | { readonly notReady: NotReady } {
  const { options, observation } = input;
  const { window } = cycle;
  if (window.samples.length < 2) {
    return notReady(`${window.samples.length} sample(s) in the metric window, at least 2 are needed`);
  }
  const notFullReason = window.stabilizing
    ? `the job is stabilizing after (re)entering RUNNING (stabilization.interval ${options.stabilizationIntervalMs} ms)`
    : `the metric window (${options.metricsWindowMs} ms) is not full yet`;
  let evaluated: EvaluatedMetrics;
  try {
    evaluated = evaluateMetrics({
      samples: window.samples,
      topology: observation.topology,
      options,
      restartTimeMs: cycle.restartTimeMs,
    });
  } catch (error) {
    if (!(error instanceof MissingIngestionRateError)) throw error;
    return window.windowFull ? notReady(error.message, undefined, 'observation') : notReady(notFullReason);
  }
  if (!window.windowFull) return notReady(notFullReason, withoutRecommendation(evaluated));
  const missing = observation.missingRequired;
  if (missing.length > 0) {
    return notReady(
      `required metrics are missing (${missing.join(', ')}); never scaling on an incomplete observation`,
      withoutRecommendation(evaluated),
      'observation',
    );
  }
  return { evaluated };
}

/** The report fields every output of {@link decide} shares. */
function reportBase(
  cycle: PreparedCycle,
): Pick<DecisionReport, 'restartTimeMs' | 'windowFull' | 'windowSampleCount'> {
  return {
    restartTimeMs: cycle.restartTimeMs,
    windowFull: cycle.window.windowFull,
    windowSampleCount: cycle.window.samples.length,
  };
}

/** A not-ready cycle: the failed guard (after a passed window guard when the window is fine). */
function notReadyOutput(cycle: PreparedCycle, reason: NotReady): DecideOutput {
  const { detail, evaluated, failed } = reason;
  return {
    decision: {
      action: 'not-ready',
      vertices: [],
      guards: [
        ...(failed === 'window'
          ? []
          : [{ guard: 'window' as const, passed: true, detail: windowDetail(cycle.window.samples) }]),
        { guard: failed, passed: false, detail },
      ],
      parallelismOverrides: {},
      summary: `Not ready: ${detail}. Nothing is scaled this cycle.`,
    },
    state: cycle.state,
    sample: cycle.sample,
    samples: cycle.window.samples,
    report: { ...reportBase(cycle), ...(evaluated ? { evaluated } : {}), events: [] },
    notReadyReason: failed === 'observation' ? 'observation' : cycle.window.stabilizing ? 'stabilizing' : 'window',
  };
}

/** Step 5 of {@link decide}: the scaling, the memory plan, and the state to persist. */
function decideScaling(
  input: CoreInput,
  cycle: PreparedCycle,
  evaluated: EvaluatedMetrics,
): DecideOutput {
  const { options, observation, nowMs } = input;
  const { state } = cycle;
  const executed = executeScaling({
    options,
    topology: observation.topology,
    evaluated,
    scalingHistory: state.scalingHistory,
    delayedScaleDown: state.delayedScaleDown,
    restartTimeMs: cycle.restartTimeMs,
    nowMs,
    runtimeExcludedVertexIds: [...observation.runtimeExcludedVertexIds],
    ...(input.taskManager ? { taskManager: input.taskManager } : {}),
    ...(input.clusterCapacity ? { clusterCapacity: input.clusterCapacity } : {}),
    blockedChanges: activeBlocks(state, nowMs),
  });

  // Memory tuning (docs/algorithm.md §7). Unlike the operator (weakness #4) the plan is made on every
  // evaluation, for the parallelism this cycle recommends, so waste is visible before any rescale.
  // It is applied, as in the operator, only together with a scaling: a memory-only change would
  // restart the job on its own. The capacity and quota guards above use the untuned TaskManager
  // memory, which is the conservative side.
  const memory =
    input.memoryTuning === false ? undefined : planCycleMemory(input, state, executed, evaluated);
  const memoryApplied =
    memory?.plan !== undefined && options.memoryTuningEnabled && executed.action === 'scale';

  const nextState: JobState = {
    ...state,
    scalingHistory: executed.scalingHistory,
    delayedScaleDown: executed.delayedScaleDown,
    ...(memory ? { memoryHistory: memory.memoryHistory } : {}),
    ...(memoryApplied && memory?.plan ? { configOverrides: memory.plan.configChanges } : {}),
    ...(executed.action === 'scale'
      ? {
          parallelismOverrides: executed.parallelismOverrides,
          scalingTracking: [...state.scalingTracking, { startMs: nowMs }],
        }
      : {}),
  };
  return {
    decision: {
      action: executed.action,
      vertices: executed.vertices,
      guards: [
        { guard: 'window', passed: true, detail: windowDetail(cycle.window.samples) },
        ...executed.guards,
      ],
      parallelismOverrides: executed.parallelismOverrides,
      summary: summarize(executed),
      ...(executed.price ? { price: executed.price } : {}),
    },
    state: nextState,
    sample: cycle.sample,
    samples: cycle.window.samples,
    report: {
      ...reportBase(cycle),
      evaluated: executed.evaluated,
      events: memory?.event ? [...executed.events, memory.event] : executed.events,
    },
    ...(memory?.plan ? { memoryPlan: { ...memory.plan, applied: memoryApplied } } : {}),
    ...(memory?.skippedReason ? { memoryPlanSkippedReason: memory.skippedReason } : {}),
  };
}

/** The memory plan for the parallelism this cycle ends with (scaled or recommended). */
function planCycleMemory(
  input: CoreInput,
  state: JobState,
  executed: ExecuteScalingOutput,
  evaluated: EvaluatedMetrics,
): PlanMemoryResult {
  const newParallelism = Object.fromEntries(
    executed.vertices.filter((v) => v.changed).map((v) => [v.vertexId, v.recommendedParallelism]),
  );
  return planMemory({
    options: input.options,
    topology: input.observation.topology,
    newParallelism,
    globalMetrics: evaluated.global,
    memoryHistory: state.memoryHistory,
    ...(input.taskManager ? { taskManager: input.taskManager } : {}),
    nowMs: input.nowMs,
  });
}

/** Step 1 of {@link decide}: what survives a new job id. */
function resetForJob(
  state: JobState,
  samples: readonly MetricSample[],
  topology: JobTopology,
): { state: JobState; samples: readonly MetricSample[] } {
  if (state.jobId === undefined || state.jobId === topology.jobId) return { state, samples };
  return { state: { ...state, delayedScaleDown: {} }, samples: [] };
}

/** Stable hash of the vertex set and edges (not parallelism): a change means a new job graph. */
export function topologyHash(topology: JobTopology): string {
  const text = [...topology.vertices]
    .map((v) => `${v.id}<${v.inputs.map((i) => `${i.id}:${i.shipStrategy}`).join(',')}`)
    .sort()
    .join(';');
  return hashText(text);
}

/** Before the window is full no recommendation exists (the operator leaves it null). */
function withoutRecommendation(evaluated: EvaluatedMetrics): EvaluatedMetrics {
  const vertices: EvaluatedMetrics['vertices'] = Object.fromEntries(
    Object.entries(evaluated.vertices).map(([id, metrics]) => {
      const { RECOMMENDED_PARALLELISM: _dropped, ...rest } = metrics;
      return [id, rest];
    }),
  );
  return { ...evaluated, vertices };
}

function windowDetail(samples: readonly MetricSample[]): string {
  const first = samples[0]?.tsMs ?? 0;
  const last = samples.at(-1)?.tsMs ?? 0;
  return `metric window full: ${samples.length} samples over ${Math.round((last - first) / 1000)} s`;
}

/** One paragraph: what happens, to which vertices, and which guard decided it. */
function summarize(executed: ExecuteScalingOutput): string {
  const changes = executed.vertices
    .filter((v) => v.changed)
    .map((v) => `${vertexLabel(v.vertexId, v.vertexName)} ${v.currentParallelism} -> ${v.recommendedParallelism}`);
  const price = executed.price ? ` Price: ${describePrice(executed.price)}.` : '';
  const failed = executed.guards.find((g: GuardOutcome) => !g.passed);
  const passed = executed.guards.filter((g) => g.passed).map((g) => g.guard);
  const total = executed.vertices.length;
  switch (executed.action) {
    case 'balanced':
      return failed
        ? `No scaling: ${failed.guard} guard failed (${failed.detail}) and no vertex needs a change.`
        : `Balanced: none of the ${total} vertices is outside its utilization bound with a change to make, so nothing is scaled.`;
    case 'blocked':
      return `Scaling of ${changes.length} of ${total} vertices (${changes.join(', ')}) is recommended but blocked by the ${failed?.guard ?? 'unknown'} guard: ${failed?.detail ?? ''}. The current parallelism stays.${price}`;
    case 'scale':
      return `Scaling ${changes.length} of ${total} vertices: ${changes.join(', ')}. Guards passed: ${passed.join(', ')}. Overrides are set for every evaluated vertex and pending scale-downs are cleared.${price}`;
  }
}
