/** Totals of a replay: rescales, parallelism-hours and lag risk, real against replayed. */
import type { ReplayStep, ReplayTotals } from './replay-types.ts';

const HOUR_MS = 3_600_000;

/**
 * Adds up the steps. A rescale is a change of any vertex's parallelism from one step to the next
 * (for the real series: the observed topology; for the replayed one: the held recommendation).
 * Parallelism-hours hold each step's parallelism until the next observation.
 */
export function replayTotals(steps: readonly ReplayStep[]): ReplayTotals {
  let realRescales = 0;
  let replayedRescales = 0;
  let realParallelismHours = 0;
  let replayedParallelismHours = 0;
  const maxUtilization: Record<string, number> = {};
  for (const [index, step] of steps.entries()) {
    const previous = steps[index - 1];
    if (previous) {
      if (changed(previous, step, 'realParallelism')) realRescales++;
      if (changed(previous, step, 'replayedParallelism')) replayedRescales++;
    }
    const next = steps[index + 1];
    const hours = next ? (next.atMs - step.atMs) / HOUR_MS : 0;
    for (const vertex of step.vertices) {
      realParallelismHours += vertex.realParallelism * hours;
      replayedParallelismHours += vertex.replayedParallelism * hours;
      const utilization = vertex.predictedUtilization;
      if (utilization !== undefined && utilization > (maxUtilization[vertex.vertexId] ?? Number.NEGATIVE_INFINITY)) {
        maxUtilization[vertex.vertexId] = utilization;
      }
    }
  }
  return {
    steps: steps.length,
    decidedSteps: steps.filter((s) => s.action !== 'not-ready').length,
    realRescales,
    replayedRescales,
    realParallelismHours,
    replayedParallelismHours,
    overloadRiskSteps: steps.filter((s) => s.overloadRisk).length,
    aboveMaxRiskSteps: steps.filter((s) => s.aboveMaxRisk).length,
    maxPredictedUtilization: maxUtilization,
    recordedSteps: steps.filter((s) => s.recorded !== undefined).length,
    differingSteps: steps.filter((s) => s.matchesRecorded === false).length,
    recordedScalings: steps.filter((s) => s.recorded?.action === 'scale').length,
  };
}

/** Whether any vertex's parallelism of the kind differs between two steps (a new vertex set counts too). */
function changed(
  previous: ReplayStep,
  step: ReplayStep,
  kind: 'realParallelism' | 'replayedParallelism',
): boolean {
  if (previous.vertices.length !== step.vertices.length) return true;
  const before = new Map(previous.vertices.map((v) => [v.vertexId, v[kind]]));
  return step.vertices.some((v) => before.get(v.vertexId) !== v[kind]);
}
