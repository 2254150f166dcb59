/**
 * The scaling executor (spec §5.1 steps 2–11, Java `ScalingExecutor.execute`): from evaluated
 * metrics to per-vertex decisions, job-level guards and the scaling to apply. Pure; `decide`
 * wraps it with the metric window and the job state.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import { findExcludedPeriod, parseExcludedPeriods } from '../config/index.ts';
import type {
  AutoscalerEvent,
  ClusterCapacitySnapshot,
  DelayedScaleDownState,
  EvaluatedMetrics,
  EvaluatedVertexMetrics,
  GuardOutcome,
  JobState,
  JobTopology,
  ParallelismChange,
  ScalingSummary,
  TaskManagerResources,
  VertexDecision,
  VertexId,
  VertexInfo,
  VertexLimitReason,
} from '../domain/index.ts';
import { isBacklogDrained } from '../evaluate/backlog-drained.ts';
import { steadyStateCapacity } from '../evaluate/target-capacity.ts';
import { computeVertexParallelism } from '../scale/compute-vertex-parallelism.ts';
import { estimateSlotsAfterRescale } from '../tune/slot-estimate.ts';
import { checkClusterCapacity } from './guards/cluster-capacity-guard.ts';
import { checkMemoryPressure } from './guards/memory-pressure-guard.ts';
import { checkQuota } from './guards/quota-guard.ts';
import { type ScalingBlockedBy, type ScalingReportEntry, scalingReportEvent } from './scaling-report.ts';
import { selectScalingSummaries } from './scaling-summary.ts';
import { countTaskManagers } from './task-manager-count.ts';

/** Inputs of {@link executeScaling}. */
export interface ExecuteScalingInput {
  readonly options: AutoscalerOptions;
  readonly topology: JobTopology;
  /** Evaluated metrics of a full window (spec §3). */
  readonly evaluated: EvaluatedMetrics;
  /** Scaling history, already trimmed (spec §4.7). */
  readonly scalingHistory: JobState['scalingHistory'];
  /** Pending delayed scale-downs per vertex (spec §4.6). */
  readonly delayedScaleDown: JobState['delayedScaleDown'];
  /** Restart time of the capacity formula (spec §6), ms. */
  readonly restartTimeMs: number;
  /** The cycle's time, epoch ms. */
  readonly nowMs: number;
  /** Vertices excluded for this cycle only, e.g. those without a busy-time metric (spec §2.4). */
  readonly runtimeExcludedVertexIds?: readonly VertexId[];
  readonly taskManager?: TaskManagerResources;
  /** Cluster capacity for the capacity guard; absent = check disabled. */
  readonly clusterCapacity?: ClusterCapacitySnapshot;
}

/** Result of {@link executeScaling}. */
export interface ExecuteScalingOutput {
  readonly action: 'balanced' | 'blocked' | 'scale';
  /** One decision per topology vertex, in topology order. */
  readonly vertices: VertexDecision[];
  readonly guards: GuardOutcome[];
  readonly events: AutoscalerEvent[];
  /** The vertices the scaling changes (empty when balanced). */
  readonly summaries: Record<VertexId, ParallelismChange>;
  /** `evaluated` with RECOMMENDED_PARALLELISM set for every vertex (spec §5.1 step 6). */
  readonly evaluated: EvaluatedMetrics;
  /** Every evaluated vertex → parallelism; only filled when `action === 'scale'` (spec §5.3). */
  readonly parallelismOverrides: Record<VertexId, number>;
  /** History with the executed scaling appended (unchanged unless `scale`). */
  readonly scalingHistory: Record<VertexId, readonly ScalingSummary[]>;
  /** Delayed scale-downs to keep: updated by the vertex decisions, cleared after a scaling. */
  readonly delayedScaleDown: Record<VertexId, DelayedScaleDownState>;
  /** TaskManagers before and after the change (from slot sharing groups, rounded up). */
  readonly taskManagers: { readonly current: number; readonly next: number };
}

const SCALING_ENABLED_KEY = 'job.autoscaler.scaling.enabled';
const EXCLUDED_PERIODS_KEY = 'job.autoscaler.excluded.periods';

/**
 * Decides the scaling of one job from its evaluated metrics (spec §5.1):
 * 1. per vertex the target parallelism (§4.1) unless the vertex is excluded (configured ids,
 *    FINISHED, no busy time), which keeps its parallelism;
 * 2. the summary: changed vertices, or none if no change is outside its utilization bound;
 * 3. guards, in order: memory pressure, recommendation-only mode, excluded periods, cluster
 *    capacity, quota; the first that fails blocks the scaling (later ones do not run);
 * 4. otherwise `scale`: a ScalingReport, the history entries, overrides for every evaluated vertex
 *    and no pending delayed scale-down.
 * Memory pressure is checked after the vertex decisions only so that each vertex still explains
 * what it would have done; its delayed scale-down state is then left untouched, as in the operator,
 * which stops before computing anything.
 */
export function executeScaling(input: ExecuteScalingInput): ExecuteScalingOutput {
  const { options, topology, evaluated, nowMs } = input;
  const excluded = excludedVertices(topology, options, input.runtimeExcludedVertexIds ?? []);
  const events: AutoscalerEvent[] = [];
  const changes: Record<VertexId, ParallelismChange> = {};
  const decisions = new Map<VertexId, VertexDecision>();
  const updatedDelayed: Record<VertexId, DelayedScaleDownState> = { ...input.delayedScaleDown };
  const backlogDrained = isBacklogDrained(evaluated, topology, options);
  const history: Record<VertexId, readonly ScalingSummary[]> = { ...input.scalingHistory };

  for (const vertex of topology.vertices) {
    const metrics = evaluated.vertices[vertex.id];
    const exclusion = excluded.get(vertex.id) ?? (metrics ? undefined : 'no-metrics');
    if (exclusion || !metrics) {
      decisions.set(vertex.id, excludedDecision(vertex, metrics ?? {}, exclusion ?? 'no-metrics'));
      continue;
    }
    const result = computeVertexParallelism({
      vertex,
      metrics,
      inputShipStrategies: vertex.inputs.map((edge) => edge.shipStrategy),
      history: input.scalingHistory[vertex.id] ?? [],
      delayedScaleDown: input.delayedScaleDown[vertex.id],
      options,
      restartTimeMs: input.restartTimeMs,
      nowMs,
      processingBacklog: evaluated.processingBacklog,
      backlogDrained,
      stepTargetDataRate: evaluated.stepTargetDataRates?.[vertex.id],
    });
    if (result.settleCheckSpent) history[vertex.id] = withoutNewestMark(history[vertex.id] ?? [], 'catchUpCapacity');
    if (result.shortfallCheckSpent) {
      history[vertex.id] = withoutNewestMark(history[vertex.id] ?? [], 'shortfallCheckDue');
    }
    changes[vertex.id] = result.change;
    decisions.set(vertex.id, result.decision);
    events.push(...result.events);
    if (result.delayedScaleDown) updatedDelayed[vertex.id] = result.delayedScaleDown;
    else delete updatedDelayed[vertex.id];
  }

  const summaries = selectScalingSummaries(changes, new Set(excluded.keys()));
  const newParallelismOf = (id: VertexId): number => summaries[id]?.newParallelism ?? currentOf(topology, id);
  const vertices = topology.vertices.map((vertex) =>
    finalDecision(decisions.get(vertex.id) as VertexDecision, summaries[vertex.id]),
  );
  const withRecommendation = withRecommendedParallelism(evaluated, topology, summaries);
  const { currentTms, nextTms } = taskManagerCounts(
    topology,
    newParallelismOf,
    evaluated.global.NUM_TASK_SLOTS_USED?.current ?? Number.NaN,
    options.numberOfTaskSlots,
  );
  const base = {
    vertices,
    events,
    summaries,
    evaluated: withRecommendation,
    scalingHistory: history,
    taskManagers: { current: currentTms, next: nextTms },
  };
  const guards: GuardOutcome[] = [];
  const notApplied = { parallelismOverrides: {}, delayedScaleDown: updatedDelayed };
  const changed = Object.keys(summaries).length > 0;

  const memory = checkMemoryPressure(evaluated.global, options);
  guards.push(memory.outcome);
  if (memory.event) {
    events.push(memory.event);
    return {
      ...base,
      ...notApplied,
      delayedScaleDown: { ...input.delayedScaleDown },
      action: changed ? 'blocked' : 'balanced',
      guards,
    };
  }
  if (!changed) return { ...base, ...notApplied, action: 'balanced', guards };

  const entries = reportEntries(summaries, vertices);
  const blockedBy = configurationBlock(options, nowMs, guards);
  if (blockedBy) {
    events.push(scalingReportEvent(entries, blockedBy, options));
    return { ...base, ...notApplied, action: 'blocked', guards };
  }

  // Resource checks (spec §5.1 step 9). Memory tuning (§7) runs before them in the operator so
  // the checks see the tuned TaskManager size; the lead wires `planMemory` in `decide`, which
  // then passes the tuned memory in `taskManager.memoryBytes`.
  const taskManagerCpu = input.taskManager?.cpu ?? options.taskManagerCpu;
  const taskManagerMemoryBytes = input.taskManager?.memoryBytes ?? options.tmProcessSizeBytes;
  const capacity = checkClusterCapacity({
    snapshot: input.clusterCapacity,
    currentTaskManagers: currentTms,
    newTaskManagers: nextTms,
    taskManagerCpu,
    taskManagerMemoryBytes,
    options,
  });
  if (capacity.outcome) guards.push(capacity.outcome);
  if (capacity.event) events.push(capacity.event);
  if (capacity.outcome?.passed === false) return { ...base, ...notApplied, action: 'blocked', guards };

  const quota = checkQuota({
    currentTaskManagers: currentTms,
    newTaskManagers: nextTms,
    taskManagerCpu,
    taskManagerMemoryBytes,
    options,
  });
  if (quota.outcome) guards.push(quota.outcome);
  if (quota.event) events.push(quota.event);
  if (quota.outcome?.passed === false) return { ...base, ...notApplied, action: 'blocked', guards };

  events.push(scalingReportEvent(entries, undefined, options));
  const scalingHistory: Record<VertexId, readonly ScalingSummary[]> = { ...history };
  const decisionOf = new Map(vertices.map((v) => [v.vertexId, v]));
  for (const entry of entries) {
    const catchUpCapacity = catchUpPart(entry, decisionOf.get(entry.vertexId), options);
    scalingHistory[entry.vertexId] = [
      ...(scalingHistory[entry.vertexId] ?? []),
      {
        tsMs: nowMs,
        currentParallelism: entry.currentParallelism,
        newParallelism: entry.newParallelism,
        metrics: {
          trueProcessingRateAvg: entry.trueProcessingRateAvg,
          expectedProcessingRate: entry.expectedProcessingRate,
          targetDataRateAvg: entry.targetDataRateAvg,
        },
        ...(catchUpCapacity > 0 ? { catchUpCapacity } : {}),
        ...(options.scaleUpShortfallEnabled && entry.newParallelism > entry.currentParallelism
          ? { shortfallCheckDue: true }
          : {}),
      },
    ];
  }
  const parallelismOverrides: Record<VertexId, number> = {};
  for (const vertex of topology.vertices) {
    if (evaluated.vertices[vertex.id]) parallelismOverrides[vertex.id] = newParallelismOf(vertex.id);
  }
  return {
    ...base,
    action: 'scale',
    guards,
    scalingHistory,
    parallelismOverrides,
    // Spec §4.6: every pending scale-down is void once a scaling is executed.
    delayedScaleDown: {},
  };
}

/**
 * Catch-up settle: the part of a scale-up's target capacity that was for catch-up (backlog and
 * restart), target capacity − round(TDR / utilization.target). 0 for scale-downs, when the
 * feature is off, or when a rate is unknown, so that no settle can follow.
 */
function catchUpPart(
  entry: ScalingReportEntry,
  decision: VertexDecision | undefined,
  options: AutoscalerOptions,
): number {
  if (!options.catchUpSettleEnabled || entry.newParallelism <= entry.currentParallelism) return 0;
  const target = decision?.targetCapacity ?? Number.NaN;
  const part = target - steadyStateCapacity(entry.targetDataRateAvg, options.utilizationTarget);
  return Number.isFinite(part) ? part : 0;
}

/**
 * The history with a one-time check of its newest entry spent: the mark of that check
 * (`catchUpCapacity` for catch-up settle, `shortfallCheckDue` for the shortfall correction) removed.
 */
function withoutNewestMark(
  history: readonly ScalingSummary[],
  mark: 'catchUpCapacity' | 'shortfallCheckDue',
): readonly ScalingSummary[] {
  const last = history.at(-1);
  if (last?.[mark] === undefined) return history;
  const rest = { ...last };
  delete rest[mark];
  return [...history.slice(0, -1), rest];
}

const PARALLELISM_INDEX = new WeakMap<JobTopology, Map<VertexId, number>>();

/** Current parallelism of a vertex (indexed once per topology: decisions must stay fast at 1,000 vertices). */
function currentOf(topology: JobTopology, id: VertexId): number {
  let index = PARALLELISM_INDEX.get(topology);
  if (!index) {
    index = new Map(topology.vertices.map((v) => [v.id, v.parallelism]));
    PARALLELISM_INDEX.set(topology, index);
  }
  return index.get(id) ?? 0;
}

/**
 * TaskManagers before and after the change. With the slot sharing group of every vertex known,
 * from the groups (rounded up, see `countTaskManagers`). Without them (older Flink versions do not
 * report groups) the JobManager's used-slot count tells whether slots are shared, as in the
 * operator's estimate (spec §7.6); when that count is missing too, Flink's default (one shared
 * group) is assumed rather than the operator's "0 slots used" (spec §11 #24).
 */
function taskManagerCounts(
  topology: JobTopology,
  newParallelismOf: (id: VertexId) => number,
  slotsUsed: number,
  slotsPerTm: number,
): { currentTms: number; nextTms: number } {
  const groupsKnown = topology.vertices.every((v) => v.slotSharingGroupId !== undefined);
  if (!groupsKnown && Number.isFinite(slotsUsed) && slotsUsed > 0) {
    const current = Object.fromEntries(topology.vertices.map((v) => [v.id, v.parallelism]));
    const next = Object.fromEntries(topology.vertices.map((v) => [v.id, newParallelismOf(v.id)]));
    const perTm = Math.max(1, slotsPerTm);
    return {
      currentTms: Math.ceil(slotsUsed / perTm),
      nextTms: Math.ceil(estimateSlotsAfterRescale(current, next, slotsUsed) / perTm),
    };
  }
  return {
    currentTms: countTaskManagers(topology, (id) => currentOf(topology, id), slotsPerTm).taskManagers,
    nextTms: countTaskManagers(topology, newParallelismOf, slotsPerTm).taskManagers,
  };
}

/** Excluded vertices with the reason: configured ids first, then FINISHED, then no busy time. */
function excludedVertices(
  topology: JobTopology,
  options: Pick<AutoscalerOptions, 'vertexExcludeIds'>,
  runtimeExcluded: readonly VertexId[],
): Map<VertexId, VertexLimitReason> {
  const configured = new Set(options.vertexExcludeIds);
  const withoutBusyTime = new Set(runtimeExcluded);
  const excluded = new Map<VertexId, VertexLimitReason>();
  for (const vertex of topology.vertices) {
    if (configured.has(vertex.id)) excluded.set(vertex.id, 'excluded');
    else if (vertex.finished) excluded.set(vertex.id, 'finished');
    else if (withoutBusyTime.has(vertex.id)) excluded.set(vertex.id, 'no-metrics');
  }
  return excluded;
}

const EXCLUSION_TEXT: Partial<Record<VertexLimitReason, string>> = {
  excluded: 'is listed in job.autoscaler.vertex.exclude.ids',
  finished: 'is FINISHED',
  'no-metrics': 'has no busy-time metric this cycle',
};

function excludedDecision(
  vertex: VertexInfo,
  metrics: EvaluatedVertexMetrics,
  reason: VertexLimitReason,
): VertexDecision {
  const avg = (name: keyof EvaluatedVertexMetrics) => metrics[name]?.average ?? Number.NaN;
  const cur = (name: keyof EvaluatedVertexMetrics) => metrics[name]?.current ?? Number.NaN;
  return {
    vertexId: vertex.id,
    currentParallelism: vertex.parallelism,
    recommendedParallelism: vertex.parallelism,
    changed: false,
    outsideUtilizationBound: false,
    trueProcessingRateAvg: avg('TRUE_PROCESSING_RATE'),
    targetDataRateAvg: avg('TARGET_DATA_RATE'),
    catchUpDataRate: cur('CATCH_UP_DATA_RATE'),
    scaleUpRateThreshold: cur('SCALE_UP_RATE_THRESHOLD'),
    scaleDownRateThreshold: cur('SCALE_DOWN_RATE_THRESHOLD'),
    targetCapacity: Number.NaN,
    scaleFactor: Number.NaN,
    expectedProcessingRate: Number.NaN,
    reasons: [reason],
    why: `Vertex ${vertex.id} ${EXCLUSION_TEXT[reason] ?? 'has no evaluated metrics'}, so it is not scaled and keeps parallelism ${vertex.parallelism}.`,
  };
}

/**
 * A vertex decision as the job-level selection leaves it: a vertex whose change is not part of
 * the scaling (no vertex outside its band) is reported as unchanged, with the reason appended.
 */
function finalDecision(decision: VertexDecision, selected: ParallelismChange | undefined): VertexDecision {
  if (selected) return { ...decision, changed: true, recommendedParallelism: selected.newParallelism };
  if (decision.recommendedParallelism === decision.currentParallelism) return { ...decision, changed: false };
  return {
    ...decision,
    changed: false,
    recommendedParallelism: decision.currentParallelism,
    why: `${decision.why} Not applied: no vertex of the job is outside its utilization bound, so the job counts as balanced.`,
  };
}

/** Spec §5.1 step 6: RECOMMENDED_PARALLELISM = new parallelism, or the current one. */
function withRecommendedParallelism(
  evaluated: EvaluatedMetrics,
  topology: JobTopology,
  summaries: Readonly<Record<VertexId, ParallelismChange>>,
): EvaluatedMetrics {
  const vertices: Record<VertexId, EvaluatedVertexMetrics> = { ...evaluated.vertices };
  for (const [id, metrics] of Object.entries(evaluated.vertices)) {
    const current = metrics.PARALLELISM?.current ?? currentOf(topology, id);
    vertices[id] = {
      ...metrics,
      RECOMMENDED_PARALLELISM: { current: summaries[id]?.newParallelism ?? current, average: Number.NaN },
    };
  }
  return { ...evaluated, vertices };
}

function reportEntries(
  summaries: Readonly<Record<VertexId, ParallelismChange>>,
  decisions: readonly VertexDecision[],
): ScalingReportEntry[] {
  const entries: ScalingReportEntry[] = [];
  for (const decision of decisions) {
    const change = summaries[decision.vertexId];
    if (!change || !decision) continue;
    const tpr = decision.trueProcessingRateAvg;
    entries.push({
      vertexId: decision.vertexId,
      currentParallelism: change.currentParallelism,
      newParallelism: change.newParallelism,
      trueProcessingRateAvg: tpr,
      // EXPECTED_PROCESSING_RATE = TPR / cur × new (spec §4.5) when the vertex did not set it.
      expectedProcessingRate: Number.isNaN(decision.expectedProcessingRate)
        ? (tpr / change.currentParallelism) * change.newParallelism
        : decision.expectedProcessingRate,
      targetDataRateAvg: decision.targetDataRateAvg,
    });
  }
  return entries;
}

/**
 * Spec §5.1 step 7: recommendation-only mode and excluded periods block execution (evaluation
 * and the report still happen). Appends the guard outcomes that ran.
 */
function configurationBlock(
  options: AutoscalerOptions,
  nowMs: number,
  guards: GuardOutcome[],
): ScalingBlockedBy | undefined {
  if (!options.scalingEnabled) {
    guards.push({
      guard: 'scaling-disabled',
      passed: false,
      detail: `${SCALING_ENABLED_KEY} is false: recommendation only, nothing is applied`,
    });
    return { key: SCALING_ENABLED_KEY, value: 'false' };
  }
  guards.push({ guard: 'scaling-disabled', passed: true, detail: `${SCALING_ENABLED_KEY} is true` });
  if (options.excludedPeriods.length === 0) return undefined;
  const periods = parseExcludedPeriods(options.excludedPeriods, options.excludedPeriodsTimeZone);
  const period = findExcludedPeriod(periods, nowMs);
  if (period) {
    guards.push({
      guard: 'excluded-period',
      passed: false,
      detail: `now (${new Date(nowMs).toISOString()}) is inside excluded period '${period.text}' (${period.timeZone})`,
    });
    return { key: EXCLUDED_PERIODS_KEY, value: options.excludedPeriods.join(';') };
  }
  guards.push({
    guard: 'excluded-period',
    passed: true,
    detail: `now (${new Date(nowMs).toISOString()}) is outside every excluded period (${options.excludedPeriodsTimeZone})`,
  });
  return undefined;
}
