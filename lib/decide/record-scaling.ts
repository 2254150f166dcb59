/**
 * What an executed scaling leaves behind (docs/algorithm.md §5.1 steps 10–11, §5.3): the ScalingReport
 * entries, the history entries the next cycles judge it by, and the parallelism overrides.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  EvaluatedMetrics,
  JobTopology,
  ParallelismChange,
  ScalingSummary,
  VertexDecision,
  VertexId,
} from '../domain/index.ts';
import { steadyStateCapacity } from '../evaluate/target-capacity.ts';
import type { ScalingReportEntry } from './scaling-report.ts';

/** One ScalingReport entry per changed vertex, in topology order. */
export function reportEntries(
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
      ...(decision.vertexName !== undefined ? { vertexName: decision.vertexName } : {}),
      currentParallelism: change.currentParallelism,
      newParallelism: change.newParallelism,
      trueProcessingRateAvg: tpr,
      // EXPECTED_PROCESSING_RATE = TPR / cur × new (docs/algorithm.md §4.5) when the vertex did not set it.
      expectedProcessingRate: Number.isNaN(decision.expectedProcessingRate)
        ? (tpr / change.currentParallelism) * change.newParallelism
        : decision.expectedProcessingRate,
      targetDataRateAvg: decision.targetDataRateAvg,
    });
  }
  return entries;
}

/**
 * The history with one entry per scaled vertex appended, marked for the one-time checks that
 * follow a scale-up (catch-up settle, shortfall correction) when those are enabled.
 */
export function appendScalingHistory(
  history: Readonly<Record<VertexId, readonly ScalingSummary[]>>,
  entries: readonly ScalingReportEntry[],
  decisions: readonly VertexDecision[],
  options: AutoscalerOptions,
  nowMs: number,
): Record<VertexId, readonly ScalingSummary[]> {
  const scalingHistory: Record<VertexId, readonly ScalingSummary[]> = { ...history };
  const decisionOf = new Map(decisions.map((v) => [v.vertexId, v]));
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
        ...((options.scaleUpShortfallEnabled || options.scaleUpLoadStepEnabled) &&
        entry.newParallelism > entry.currentParallelism
          ? { shortfallCheckDue: true }
          : {}),
      },
    ];
  }
  return scalingHistory;
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

/** docs/algorithm.md §5.3: an override for every evaluated vertex, changed or not. */
export function parallelismOverridesFor(
  topology: JobTopology,
  evaluated: EvaluatedMetrics,
  newParallelismOf: (id: VertexId) => number,
): Record<VertexId, number> {
  const overrides: Record<VertexId, number> = {};
  for (const vertex of topology.vertices) {
    if (evaluated.vertices[vertex.id]) overrides[vertex.id] = newParallelismOf(vertex.id);
  }
  return overrides;
}
