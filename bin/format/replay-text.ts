/** Terminal rendering of a what-if replay (`fsa replay`). */
import { vertexLabel } from '../../lib/domain/index.ts';
import type { ReplayResult, ReplayStep } from '../../lib/replay/index.ts';
import { formatNumber, textTable } from './text-table.ts';

/** Parallelism per vertex in topology order, e.g. `1/10/1`. */
function parallelismList(step: ReplayStep, kind: 'realParallelism' | 'replayedParallelism'): string {
  return step.vertices.map((v) => String(v[kind])).join('/');
}

/** The recorded decision, marked `≠` when the replay decided otherwise. */
function recordedText(step: ReplayStep): string {
  if (!step.recorded) return '';
  return `${step.matchesRecorded === false ? '≠ ' : ''}${step.recorded.action}`;
}

/** UTC time of day, with the date when the replay spans more than one day. */
function timeOf(atMs: number, withDate: boolean): string {
  const iso = new Date(atMs).toISOString();
  return withDate ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso.slice(11, 19);
}

/** The side-by-side table, the totals and the caveat. */
export function replayText(result: ReplayResult, warnings: readonly string[] = []): string {
  const { steps, totals } = result;
  if (steps.length === 0) {
    return [...warnings.map((w) => `warning: ${w}`), 'No observation to replay in the given range.'].join('\n');
  }
  const withDate = steps.at(-1)!.atMs - steps[0]!.atMs >= 86_400_000;
  const names = steps.at(-1)!.vertices.map((v) => vertexLabel(v.vertexId, v.vertexName, 24));
  // A replay of the state table's history shows what really happened next to the replayed decision.
  const recorded = totals.recordedSteps > 0;
  const rows = steps.map((step) => [
    timeOf(step.atMs, withDate),
    parallelismList(step, 'realParallelism'),
    ...(recorded ? [recordedText(step)] : []),
    parallelismList(step, 'replayedParallelism'),
    step.action,
    `${step.overloadRisk ? '!' : step.aboveMaxRisk ? '~' : ' '}`,
    step.why,
  ]);
  const header = ['time (UTC)', 'real p', ...(recorded ? ['real decision'] : []), 'replayed p', 'action', 'risk', 'why'];
  const utilization = Object.entries(totals.maxPredictedUtilization)
    .map(([id, u]) => `${vertexLabel(id, steps.at(-1)!.vertices.find((v) => v.vertexId === id)?.vertexName, 24)} ${formatNumber(u)}`)
    .join(', ');
  return [
    ...warnings.map((w) => `warning: ${w}`),
    `Vertices (in p columns, in this order): ${names.join(', ')}`,
    textTable(header, rows),
    '',
    `risk: ! predicted utilization > 1 at the replayed parallelism, ~ above the scale-up bound ${formatNumber(result.utilizationUpperBound)}`,
    `Steps: ${totals.steps} (${totals.decidedSteps} with a full window), ${result.epochs.length} job epoch(s), cadence ${Math.round(result.cadenceMs / 1000)} s`,
    ...(recorded
      ? [
          `Decisions: ${totals.differingSteps} of ${totals.recordedSteps} differ from the recorded ones (≠); scalings: real ${totals.recordedScalings}, replayed ${steps.filter((s) => s.action === 'scale').length}`,
        ]
      : []),
    `Rescales: real ${totals.realRescales}, replayed ${totals.replayedRescales}`,
    `Parallelism-hours: real ${formatNumber(totals.realParallelismHours)}, replayed ${formatNumber(totals.replayedParallelismHours)}`,
    `Lag risk: ${totals.overloadRiskSteps} step(s) with predicted utilization > 1, ${totals.aboveMaxRiskSteps} above ${formatNumber(result.utilizationUpperBound)}`,
    `Highest predicted utilization: ${utilization || '– (no full window)'}`,
    '',
    `Note: ${result.caveat}`,
  ].join('\n');
}
