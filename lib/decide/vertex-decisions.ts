/**
 * The per-vertex step of the scaling executor (docs/algorithm.md §5.1 steps 2–6): every vertex's decision,
 * excluded vertices included, and how the job-level selection leaves each of them.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  AutoscalerEvent,
  DelayedScaleDownState,
  EvaluatedMetrics,
  EvaluatedVertexMetrics,
  JobTopology,
  ParallelismChange,
  ScalingSummary,
  VertexDecision,
  VertexId,
  VertexInfo,
  VertexLimitReason,
} from '../domain/index.ts';
import { vertexLabel } from '../domain/index.ts';
import { isBacklogDrained } from '../evaluate/backlog-drained.ts';
import { computeVertexParallelism } from '../scale/compute-vertex-parallelism.ts';
import type { ExecuteScalingInput } from './execute-scaling-types.ts';
import { currentParallelismOf } from './topology-parallelism.ts';

/** Every vertex's decision and what the job keeps of it. */
export interface VertexDecisions {
  /** Decision per vertex, before the job-level selection. */
  readonly decisions: ReadonlyMap<VertexId, VertexDecision>;
  /** The change each decided (not excluded) vertex recommends. */
  readonly changes: Record<VertexId, ParallelismChange>;
  /** Vertices that are not scaled this cycle, with the reason. */
  readonly excluded: ReadonlyMap<VertexId, VertexLimitReason>;
  /** IneffectiveScaling and ScalingLimited events of the vertex decisions. */
  readonly events: readonly AutoscalerEvent[];
  /** Pending delayed scale-downs as the vertex decisions left them. */
  readonly delayedScaleDown: Record<VertexId, DelayedScaleDownState>;
  /** History with the one-time checks the decisions spent unmarked. */
  readonly scalingHistory: Record<VertexId, readonly ScalingSummary[]>;
}

/**
 * Extension: a vertex's IneffectiveScaling or ScalingLimited event with ` Vertex: <name (short id)>.`
 * after the operator's text (which names the vertex by its id only); the de-duplication key is kept.
 */
export function namingVertex(event: AutoscalerEvent, vertex: { readonly id: VertexId; readonly name?: string }): AutoscalerEvent {
  const label = vertexLabel(vertex.id, vertex.name);
  return label === vertex.id ? event : { ...event, message: `${event.message} Vertex: ${label}.` };
}

/**
 * Decides every vertex (docs/algorithm.md §4.1) unless it is excluded (configured ids, FINISHED, no busy time
 * or no metrics), which keeps its parallelism.
 */
export function decideVertices(input: ExecuteScalingInput): VertexDecisions {
  const { options, topology, evaluated } = input;
  const excluded = excludedVertices(topology, options, input.runtimeExcludedVertexIds ?? []);
  const events: AutoscalerEvent[] = [];
  const changes: Record<VertexId, ParallelismChange> = {};
  const decisions = new Map<VertexId, VertexDecision>();
  const delayedScaleDown: Record<VertexId, DelayedScaleDownState> = { ...input.delayedScaleDown };
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
      nowMs: input.nowMs,
      processingBacklog: evaluated.processingBacklog,
      backlogDrained,
      stepTargetDataRate: evaluated.stepTargetDataRates?.[vertex.id],
      risingSources: evaluated.risingSources ?? [],
    });
    if (result.settleCheckSpent) {
      history[vertex.id] = withoutNewestMark(history[vertex.id] ?? [], 'catchUpCapacity');
    }
    if (result.shortfallCheckSpent) {
      history[vertex.id] = withoutNewestMark(history[vertex.id] ?? [], 'shortfallCheckDue');
    }
    changes[vertex.id] = result.change;
    decisions.set(vertex.id, result.decision);
    events.push(...result.events.map((event) => namingVertex(event, vertex)));
    if (result.delayedScaleDown) delayedScaleDown[vertex.id] = result.delayedScaleDown;
    else delete delayedScaleDown[vertex.id];
  }
  return { decisions, changes, excluded, events, delayedScaleDown, scalingHistory: history };
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

/** The decision of an excluded vertex: its parallelism is kept, with the metrics it has. */
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
export function finalDecision(
  decision: VertexDecision,
  selected: ParallelismChange | undefined,
): VertexDecision {
  if (selected) return { ...decision, changed: true, recommendedParallelism: selected.newParallelism };
  if (decision.recommendedParallelism === decision.currentParallelism) return { ...decision, changed: false };
  return {
    ...decision,
    changed: false,
    recommendedParallelism: decision.currentParallelism,
    why: `${decision.why} Not applied: no vertex of the job is outside its utilization bound, so the job counts as balanced.`,
  };
}

/** docs/algorithm.md §5.1 step 6: RECOMMENDED_PARALLELISM = new parallelism, or the current one. */
export function withRecommendedParallelism(
  evaluated: EvaluatedMetrics,
  topology: JobTopology,
  summaries: Readonly<Record<VertexId, ParallelismChange>>,
): EvaluatedMetrics {
  const vertices: Record<VertexId, EvaluatedVertexMetrics> = { ...evaluated.vertices };
  for (const [id, metrics] of Object.entries(evaluated.vertices)) {
    const current = metrics.PARALLELISM?.current ?? currentParallelismOf(topology, id);
    vertices[id] = {
      ...metrics,
      RECOMMENDED_PARALLELISM: { current: summaries[id]?.newParallelism ?? current, average: Number.NaN },
    };
  }
  return { ...evaluated, vertices };
}
