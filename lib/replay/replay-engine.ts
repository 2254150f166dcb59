/**
 * The what-if replay engine: runs the real decision core (`decide()`, the code the scale-job
 * Lambda runs) once per past observation of one job, under a configuration of the caller's
 * choosing, carrying the replay's own state (metric window, scaling history, delayed scale-downs,
 * scaling records) from step to step exactly as the cycle carries the stored state. Pure: the
 * observations come from an input adapter (`ObservationHistorySource`), nothing is read or written.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import {
  emptyJobState,
  type EvaluatedMetrics,
  type JobObservation,
  type JobState,
  type MetricSample,
  type ScalingDecision,
  vertexLabel,
} from '../domain/index.ts';
import { type DecideOutput, DEFAULT_CADENCE_MS, decide } from '../decide/decide.ts';
import { replayTotals } from './replay-totals.ts';
import {
  type ParallelismByVertex,
  REPLAY_CAVEAT,
  type ReplayEpoch,
  type ReplayResult,
  type ReplayStep,
  type ReplayVertexStep,
} from './replay-types.ts';

/** Input of {@link replayJob}. */
export interface ReplayInput {
  /** Options to replay under (the job's configuration with the what-if overrides applied). */
  readonly options: AutoscalerOptions;
  /** Observations of one job, any order (sorted by time; duplicates of a time keep the last). */
  readonly observations: readonly JobObservation[];
  /**
   * Cadence of the observations for the window's lookback ({@link decide}'s `cadenceMs`).
   * @default the median gap between observations, or 60 000 ms with fewer than two
   */
  readonly cadenceMs?: number;
  /**
   * Steps before this time (epoch ms) only warm the replay up — they fill the metric window and
   * the state as the deployed autoscaler had them — and are left out of the steps and totals.
   * @default every step is reported
   */
  readonly reportFromMs?: number;
}

/** What the replay carries from one step to the next, as the state store does for the cycle. */
interface Carried {
  readonly state: JobState;
  readonly samples: readonly MetricSample[];
  /** Replayed parallelism held since the last replayed scaling. */
  readonly held: ParallelismByVertex;
}

/**
 * Replays `observations` through {@link decide} (docs: README "What-if replay"). Memory tuning is
 * not replayed (no TaskManager resources are known from the observations); everything the
 * parallelism decision uses is.
 */
export function replayJob(input: ReplayInput): ReplayResult {
  const observations = chronological(input.observations);
  const cadenceMs = input.cadenceMs ?? medianGapMs(observations) ?? DEFAULT_CADENCE_MS;
  const upperBound =
    input.options.utilizationMax ?? input.options.utilizationTarget + input.options.targetUtilizationBoundary;
  const epochs: ReplayEpoch[] = [];
  const steps: ReplayStep[] = [];
  let carried: Carried = { state: emptyJobState(), samples: [], held: {} };
  for (const observation of observations) {
    const epoch = epochOf(epochs, observation);
    const output = decide({
      options: input.options,
      raw: { ...observation.raw, collectedAtMs: observation.atMs },
      samples: carried.samples,
      state: carried.state,
      nowMs: observation.atMs,
      cadenceMs,
      memoryTuning: false,
    });
    const held = nextHeld(carried.held, observation, output.decision);
    steps.push(replayStep(observation, epoch, output, held, upperBound));
    carried = { state: output.state, samples: output.samples, held };
  }
  const reported = steps.filter((step) => input.reportFromMs === undefined || step.atMs >= input.reportFromMs);
  const firstEpoch = reported[0]?.epoch ?? epochs.length;
  // The first reported epoch may have begun in the warm-up: it is reported from its first reported step.
  const reportedEpochs = epochs.slice(firstEpoch).map((epoch, i) =>
    i === 0 && reported[0]
      ? { ...epoch, fromMs: reported[0].atMs, steps: reported.filter((s) => s.epoch === firstEpoch).length }
      : epoch,
  );
  return {
    caveat: REPLAY_CAVEAT,
    steps: reported.map((step) => ({ ...step, epoch: step.epoch - firstEpoch })),
    epochs: reportedEpochs,
    totals: replayTotals(reported),
    utilizationUpperBound: upperBound,
    cadenceMs,
  };
}

/** Sorted by time; of two observations at the same instant the later one in the input wins. */
function chronological(observations: readonly JobObservation[]): JobObservation[] {
  const byTime = new Map<number, JobObservation>();
  for (const observation of observations) byTime.set(observation.atMs, observation);
  return [...byTime.values()].sort((a, b) => a.atMs - b.atMs);
}

/** The median gap between consecutive observations, ms; undefined with fewer than two. */
export function medianGapMs(observations: readonly JobObservation[]): number | undefined {
  const gaps = observations.slice(1).map((o, i) => o.atMs - observations[i]!.atMs);
  if (gaps.length === 0) return undefined;
  const sorted = [...gaps].sort((a, b) => a - b);
  return Math.max(1, sorted[Math.floor((sorted.length - 1) / 2)]!);
}

/**
 * The epoch index of an observation: a new job id or a new RUNNING time starts a new epoch,
 * the same split the core makes (`decide` drops the previous job's samples on a new job id and the
 * samples before a restart on a new RUNNING time).
 */
function epochOf(epochs: ReplayEpoch[], observation: JobObservation): number {
  const { jobId, jobRunningTsMs } = observation.raw.topology;
  const last = epochs.at(-1);
  if (last && last.jobId === jobId && last.jobRunningTsMs === jobRunningTsMs) {
    epochs[epochs.length - 1] = { ...last, toMs: observation.atMs, steps: last.steps + 1 };
    return epochs.length - 1;
  }
  epochs.push({ jobId, jobRunningTsMs, fromMs: observation.atMs, toMs: observation.atMs, steps: 1 });
  return epochs.length - 1;
}

/**
 * The replayed parallelism after this step: a replayed `scale` moves the changed vertices to their
 * recommendation; a vertex seen for the first time starts at its real parallelism.
 */
function nextHeld(
  held: ParallelismByVertex,
  observation: JobObservation,
  decision: ScalingDecision,
): ParallelismByVertex {
  const next: Record<string, number> = {};
  for (const vertex of observation.raw.topology.vertices) next[vertex.id] = held[vertex.id] ?? vertex.parallelism;
  if (decision.action === 'scale') {
    for (const vertex of decision.vertices) {
      if (vertex.changed) next[vertex.vertexId] = vertex.recommendedParallelism;
    }
  }
  return next;
}

function replayStep(
  observation: JobObservation,
  epoch: number,
  output: DecideOutput,
  held: ParallelismByVertex,
  upperBound: number,
): ReplayStep {
  const { decision } = output;
  const byId = new Map(decision.vertices.map((v) => [v.vertexId, v]));
  // Only a full-window evaluation is one the core decides on; a partial one is not predicted from.
  const evaluated = decision.action === 'not-ready' ? undefined : output.report.evaluated;
  const vertices: ReplayVertexStep[] = observation.raw.topology.vertices.map((vertex) => {
    const decided = byId.get(vertex.id);
    const replayed = held[vertex.id] ?? vertex.parallelism;
    const utilization = predictedUtilization(evaluated, vertex.id, vertex.parallelism, replayed);
    const real = predictedUtilization(evaluated, vertex.id, vertex.parallelism, vertex.parallelism);
    return {
      vertexId: vertex.id,
      ...(vertex.name === undefined ? {} : { vertexName: vertex.name }),
      realParallelism: vertex.parallelism,
      recommendedParallelism: decided?.recommendedParallelism ?? vertex.parallelism,
      replayedParallelism: replayed,
      ...(utilization === undefined ? {} : { predictedUtilization: utilization }),
      ...(real === undefined ? {} : { realUtilization: real }),
      ...(decided ? { reasons: decided.reasons } : {}),
    };
  });
  const utilizations = vertices.flatMap((v) => (v.predictedUtilization === undefined ? [] : [v.predictedUtilization]));
  return {
    atMs: observation.atMs,
    epoch,
    action: decision.action,
    why: shortWhy(decision),
    summary: decision.summary,
    vertices,
    overloadRisk: utilizations.some((u) => u > 1),
    aboveMaxRisk: utilizations.some((u) => u > upperBound),
  };
}

/**
 * TARGET_DATA_RATE ÷ (TRUE_PROCESSING_RATE ÷ real parallelism × replayed parallelism): the busy
 * ratio the vertex would have at the replayed parallelism if its subtasks scaled linearly.
 * TRUE_PROCESSING_RATE is the vertex's rate at the parallelism it really ran with.
 */
export function predictedUtilization(
  evaluated: EvaluatedMetrics | undefined,
  vertexId: string,
  realParallelism: number,
  replayedParallelism: number,
): number | undefined {
  const metrics = evaluated?.vertices[vertexId];
  const targetRate = metrics?.TARGET_DATA_RATE?.average;
  const processingRate = metrics?.TRUE_PROCESSING_RATE?.average;
  if (targetRate === undefined || processingRate === undefined) return undefined;
  if (Number.isNaN(targetRate) || Number.isNaN(processingRate) || !Number.isFinite(targetRate)) return undefined;
  if (processingRate === Number.POSITIVE_INFINITY) return 0; // an idle vertex: no load at all
  const capacity = (processingRate / realParallelism) * replayedParallelism;
  return capacity > 0 ? targetRate / capacity : undefined;
}

/** A few words on why: the guard that failed, or each changed vertex with its first rules. */
function shortWhy(decision: ScalingDecision): string {
  const failed = decision.guards.find((g) => !g.passed);
  const changed = decision.vertices
    .filter((v) => v.changed)
    .map((v) => {
      const rules = v.reasons.slice(0, 2).join(', ');
      return `${vertexLabel(v.vertexId, v.vertexName, 24)} ${v.currentParallelism}→${v.recommendedParallelism} (${rules})`;
    });
  switch (decision.action) {
    case 'not-ready':
      return `not ready: ${failed?.guard ?? 'window'}`;
    case 'balanced':
      return failed ? `no change (${failed.guard} guard)` : 'within bounds';
    case 'blocked':
      return `blocked by ${failed?.guard ?? 'a guard'}: ${changed.join('; ')}`;
    case 'scale':
      return changed.join('; ');
  }
}
