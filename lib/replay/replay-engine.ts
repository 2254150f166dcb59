/**
 * The what-if replay engine: runs the real decision core (`decide()`, the code the scale-job
 * Lambda runs) once per past cycle of one job, under a configuration of the caller's choosing,
 * carrying the replay's own state (metric window, scaling history, delayed scale-downs, scaling
 * records) from step to step exactly as the cycle carries the stored state. Two inputs: raw
 * observations (`fsa record` captures, {@link replayJob}) and the state table's retained history
 * (samples as stored with the decisions really made, {@link replayHistory}). Pure: nothing is read
 * or written.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import {
  emptyJobState,
  type EvaluatedMetrics,
  type HistoryEntry,
  type JobObservation,
  type JobState,
  type JobTopology,
  type MetricSample,
  type RecordedDecision,
  recordedDecisionOf,
  type ScalingDecision,
  sameRecordedDecision,
  vertexLabel,
} from '../domain/index.ts';
import { type DecideOutput, DEFAULT_CADENCE_MS, decide, decideOnSample } from '../decide/decide.ts';
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

/**
 * Input of {@link replayHistory}: the retained cycles of one job as the state store returns them
 * (`StateStore.readHistory`).
 */
export interface HistoryReplayInput {
  /** Retained cycles, any order (sorted by time; duplicates of a time keep the last). */
  readonly entries: readonly HistoryEntry[];
  /**
   * The options to replay a cycle under, from the configuration it ran with (its context's):
   * normally that configuration with the what-if overrides on top (`historyOptionsResolver`).
   */
  readonly optionsFor: (configuration: Readonly<Record<string, string>>) => AutoscalerOptions;
  /** As {@link ReplayInput.reportFromMs}. */
  readonly reportFromMs?: number;
  /**
   * What the state store keeps of a state (its rounding and fields): the replay carries each
   * step's state in this form, as the next cycle loaded it. @default the state as decided
   */
  readonly storedState?: (state: JobState) => JobState;
}

/** What the replay carries from one step to the next, as the state store does for the cycle. */
interface Carried {
  readonly state: JobState;
  readonly samples: readonly MetricSample[];
  /** Replayed parallelism held since the last replayed scaling. */
  readonly held: ParallelismByVertex;
  /** The store's window epoch of the previous step (history replays only). */
  readonly windowEpoch?: number;
}

/** One past cycle, ready to be decided again. */
interface ReplayPoint {
  readonly atMs: number;
  readonly topology: JobTopology;
  readonly options: AutoscalerOptions;
  /** The store's window epoch: another one than the previous step's starts an empty window. */
  readonly windowEpoch?: number;
  readonly recorded?: RecordedDecision;
  /** Runs the core on this cycle with the carried window and state. */
  decide(samples: readonly MetricSample[], state: JobState): DecideOutput;
}

/**
 * Replays `observations` through {@link decide} (docs: README "What-if replay"). Memory tuning is
 * not replayed (no TaskManager resources are known from the observations); everything the
 * parallelism decision uses is.
 */
export function replayJob(input: ReplayInput): ReplayResult {
  const observations = chronological(input.observations, (o) => o.atMs);
  const cadenceMs = input.cadenceMs ?? medianGapMs(observations) ?? DEFAULT_CADENCE_MS;
  const { options } = input;
  const points = observations.map(
    (observation): ReplayPoint => ({
      atMs: observation.atMs,
      topology: observation.raw.topology,
      options,
      decide: (samples, state) =>
        decide({
          options,
          raw: { ...observation.raw, collectedAtMs: observation.atMs },
          samples,
          state,
          nowMs: observation.atMs,
          cadenceMs,
          memoryTuning: false,
        }),
    }),
  );
  return replayPoints(points, { cadenceMs, upperBound: upperBoundOf(options), ...reportFrom(input) });
}

/**
 * Replays the state table's retained cycles through {@link decideOnSample}: each on its sample as
 * stored, its topology and cadence, under the options of its own configuration (with the
 * overrides), compared with the decision really made. With unchanged options and the whole
 * history of a job this reproduces every recorded decision; the differences are the cycles the
 * core cannot see again (module README "What-if replay": capacity snapshots, policy hooks,
 * rollbacks, and a history that starts after the job did). Memory tuning is not replayed.
 */
export function replayHistory(input: HistoryReplayInput): ReplayResult {
  const entries = chronological(input.entries, (e) => e.sample.tsMs);
  const optionsByConfiguration = new Map<string, AutoscalerOptions>();
  const optionsOf = (configuration: Readonly<Record<string, string>>): AutoscalerOptions => {
    const key = JSON.stringify(Object.entries(configuration).sort(([a], [b]) => (a < b ? -1 : 1)));
    let options = optionsByConfiguration.get(key);
    if (!options) {
      options = input.optionsFor(configuration);
      optionsByConfiguration.set(key, options);
    }
    return options;
  };
  const points = entries.map((entry): ReplayPoint => {
    const { sample, context } = entry;
    const options = optionsOf(context.configuration);
    return {
      atMs: sample.tsMs,
      topology: context.topology,
      options,
      windowEpoch: entry.epoch,
      recorded: entry.decision,
      decide: (samples, state) =>
        decideOnSample({
          options,
          sample,
          topology: context.topology,
          ...(entry.missingRequired ? { missingRequired: entry.missingRequired } : {}),
          samples,
          state,
          nowMs: sample.tsMs,
          cadenceMs: context.cadenceMs,
          ...(context.taskManager ? { taskManager: context.taskManager } : {}),
          memoryTuning: false,
        }),
    };
  });
  const last = points.at(-1);
  return replayPoints(points, {
    cadenceMs: entries.at(-1)?.context.cadenceMs ?? DEFAULT_CADENCE_MS,
    upperBound: last ? upperBoundOf(last.options) : Number.NaN,
    ...reportFrom(input),
    ...(input.storedState ? { storedState: input.storedState } : {}),
  });
}

/** How {@link replayPoints} runs and reports. */
interface ReplayRun {
  readonly cadenceMs: number;
  /** The scale-up bound the result reports (each step uses its own options'). */
  readonly upperBound: number;
  readonly reportFromMs?: number;
  readonly storedState?: (state: JobState) => JobState;
}

function reportFrom(input: { readonly reportFromMs?: number }): { reportFromMs?: number } {
  return input.reportFromMs === undefined ? {} : { reportFromMs: input.reportFromMs };
}

/** `utilization.max`, else target + boundary: above it the core scales up. */
function upperBoundOf(options: AutoscalerOptions): number {
  return options.utilizationMax ?? options.utilizationTarget + options.targetUtilizationBoundary;
}

/** Runs the points in order, carrying window and state, and reports from `reportFromMs` on. */
function replayPoints(points: readonly ReplayPoint[], run: ReplayRun): ReplayResult {
  const epochs: ReplayEpoch[] = [];
  const steps: ReplayStep[] = [];
  let carried: Carried = { state: emptyJobState(), samples: [], held: {} };
  for (const point of points) {
    const epoch = epochOf(epochs, point);
    // A new store epoch (job id or topology changed, state discarded): the cycle loaded no samples.
    const windowReset = carried.windowEpoch !== undefined && carried.windowEpoch !== point.windowEpoch;
    const output = point.decide(windowReset ? [] : carried.samples, carried.state);
    const held = nextHeld(carried.held, point.topology, output.decision);
    steps.push(replayStep(point, epoch, output, held));
    carried = {
      state: run.storedState ? run.storedState(output.state) : output.state,
      samples: output.samples,
      held,
      ...(point.windowEpoch === undefined ? {} : { windowEpoch: point.windowEpoch }),
    };
  }
  const reported = steps.filter((step) => run.reportFromMs === undefined || step.atMs >= run.reportFromMs);
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
    utilizationUpperBound: run.upperBound,
    cadenceMs: run.cadenceMs,
  };
}

/** Sorted by time; of two items at the same instant the later one in the input wins. */
function chronological<T>(items: readonly T[], timeOf: (item: T) => number): T[] {
  const byTime = new Map<number, T>();
  for (const item of items) byTime.set(timeOf(item), item);
  return [...byTime.values()].sort((a, b) => timeOf(a) - timeOf(b));
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
function epochOf(epochs: ReplayEpoch[], point: ReplayPoint): number {
  const { jobId, jobRunningTsMs } = point.topology;
  const last = epochs.at(-1);
  if (last && last.jobId === jobId && last.jobRunningTsMs === jobRunningTsMs) {
    epochs[epochs.length - 1] = { ...last, toMs: point.atMs, steps: last.steps + 1 };
    return epochs.length - 1;
  }
  epochs.push({ jobId, jobRunningTsMs, fromMs: point.atMs, toMs: point.atMs, steps: 1 });
  return epochs.length - 1;
}

/**
 * The replayed parallelism after this step: a replayed `scale` moves the changed vertices to their
 * recommendation; a vertex seen for the first time starts at its real parallelism.
 */
function nextHeld(
  held: ParallelismByVertex,
  topology: JobTopology,
  decision: ScalingDecision,
): ParallelismByVertex {
  const next: Record<string, number> = {};
  for (const vertex of topology.vertices) next[vertex.id] = held[vertex.id] ?? vertex.parallelism;
  if (decision.action === 'scale') {
    for (const vertex of decision.vertices) {
      if (vertex.changed) next[vertex.vertexId] = vertex.recommendedParallelism;
    }
  }
  return next;
}

function replayStep(point: ReplayPoint, epoch: number, output: DecideOutput, held: ParallelismByVertex): ReplayStep {
  const { decision } = output;
  const byId = new Map(decision.vertices.map((v) => [v.vertexId, v]));
  // Only a full-window evaluation is one the core decides on; a partial one is not predicted from.
  const evaluated = decision.action === 'not-ready' ? undefined : output.report.evaluated;
  const upperBound = upperBoundOf(point.options);
  const vertices: ReplayVertexStep[] = point.topology.vertices.map((vertex) => {
    const decided = byId.get(vertex.id);
    const replayed = held[vertex.id] ?? vertex.parallelism;
    const utilization = predictedUtilization(evaluated, vertex.id, vertex.parallelism, replayed);
    const real = predictedUtilization(evaluated, vertex.id, vertex.parallelism, vertex.parallelism);
    const rates = evaluated?.vertices[vertex.id];
    const targetRate = finite(rates?.TARGET_DATA_RATE?.average);
    const capacity = finite(rates?.TRUE_PROCESSING_RATE?.average);
    const lag = output.sample.vertices[vertex.id]?.LAG;
    return {
      vertexId: vertex.id,
      ...(vertex.name === undefined ? {} : { vertexName: vertex.name }),
      realParallelism: vertex.parallelism,
      recommendedParallelism: decided?.recommendedParallelism ?? vertex.parallelism,
      replayedParallelism: replayed,
      ...(utilization === undefined ? {} : { predictedUtilization: utilization }),
      ...(real === undefined ? {} : { realUtilization: real }),
      ...(decided ? { reasons: decided.reasons } : {}),
      ...(targetRate === undefined ? {} : { targetDataRate: targetRate }),
      ...(capacity === undefined
        ? {}
        : { realCapacity: capacity, replayedCapacity: (capacity / vertex.parallelism) * replayed }),
      ...(lag === undefined ? {} : { lagRecords: lag }),
    };
  });
  const utilizations = vertices.flatMap((v) => (v.predictedUtilization === undefined ? [] : [v.predictedUtilization]));
  const replayed = recordedDecisionOf(decision);
  const heapUsedBytes = output.sample.global.HEAP_MEMORY_USED;
  return {
    atMs: point.atMs,
    epoch,
    action: decision.action,
    why: shortWhy(decision),
    summary: decision.summary,
    vertices,
    ...(heapUsedBytes === undefined ? {} : { heapUsedBytes }),
    overloadRisk: utilizations.some((u) => u > 1),
    aboveMaxRisk: utilizations.some((u) => u > upperBound),
    ...(point.recorded
      ? { recorded: point.recorded, matchesRecorded: sameRecordedDecision(point.recorded, replayed) }
      : {}),
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

/** The value when it is a finite number (a rate of an idle vertex is +∞: not drawn). */
function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
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
