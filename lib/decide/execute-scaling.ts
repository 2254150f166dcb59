/**
 * The scaling executor (docs/algorithm.md §5.1 steps 2–11, Java `ScalingExecutor.execute`): from evaluated
 * metrics to per-vertex decisions, job-level guards and the scaling to apply. Pure; `decide`
 * wraps it with the metric window and the job state.
 */
import type { JobTopology, VertexDecision, VertexId } from '../domain/index.ts';
import { estimateSlotsAfterRescale } from '../tune/slot-estimate.ts';
import type { ExecuteScalingInput, ExecuteScalingOutput } from './execute-scaling-types.ts';
import { checkClusterCapacity } from './guards/cluster-capacity-guard.ts';
import { checkExcludedPeriods, checkScalingEnabled } from './guards/configuration-guards.ts';
import { type GuardVerdict, runGuardChain, verdictOf } from './guards/guard-chain.ts';
import { checkMemoryPressure } from './guards/memory-pressure-guard.ts';
import { checkQuota } from './guards/quota-guard.ts';
import { checkRollbackCooldown } from './guards/rollback-cooldown-guard.ts';
import { appendScalingHistory, parallelismOverridesFor, reportEntries } from './record-scaling.ts';
import { type ScalingReportEntry, scalingReportEvent } from './scaling-report.ts';
import { selectScalingSummaries } from './scaling-summary.ts';
import { pricedTaskManager, priceOfChange, unitPricesOf } from './price-decision.ts';
import { countTaskManagers } from './task-manager-count.ts';
import { currentParallelismOf } from './topology-parallelism.ts';
import { decideVertices, finalDecision, withRecommendedParallelism } from './vertex-decisions.ts';

export type { ExecuteScalingInput, ExecuteScalingOutput } from './execute-scaling-types.ts';

/**
 * Decides the scaling of one job from its evaluated metrics (docs/algorithm.md §5.1):
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
  const { options, topology, evaluated } = input;
  const decided = decideVertices(input);
  const summaries = selectScalingSummaries(decided.changes, new Set(decided.excluded.keys()));
  const newParallelismOf = (id: VertexId): number =>
    summaries[id]?.newParallelism ?? currentParallelismOf(topology, id);
  const vertices = topology.vertices.map((vertex) => {
    const decision = finalDecision(decided.decisions.get(vertex.id) as VertexDecision, summaries[vertex.id]);
    return vertex.name !== undefined ? { ...decision, vertexName: vertex.name } : decision;
  });
  const taskManagers = taskManagerCounts(
    topology,
    newParallelismOf,
    evaluated.global.NUM_TASK_SLOTS_USED?.current ?? Number.NaN,
    options.numberOfTaskSlots,
  );
  const changed = Object.keys(summaries).length > 0;
  const price = changed
    ? priceOfChange(
        taskManagers.current,
        taskManagers.next,
        pricedTaskManager(input.taskManager, options),
        unitPricesOf(options),
      )
    : undefined;
  const job: DecidedJob = {
    vertices,
    summaries,
    evaluated: withRecommendedParallelism(evaluated, topology, summaries),
    taskManagers,
    ...(price ? { price } : {}),
  };
  const notApplied = {
    scalingHistory: decided.scalingHistory,
    parallelismOverrides: {},
    delayedScaleDown: decided.delayedScaleDown,
  };

  const memory = checkMemoryPressure(evaluated.global, options);
  if (memory.event) {
    return outputOf(job, {
      ...notApplied,
      action: changed ? 'blocked' : 'balanced',
      guards: [memory.outcome],
      events: [...decided.events, memory.event],
      delayedScaleDown: { ...input.delayedScaleDown },
    });
  }
  if (!changed) {
    const events = [...decided.events];
    return outputOf(job, { ...notApplied, action: 'balanced', guards: [memory.outcome], events });
  }

  const entries = reportEntries(summaries, vertices);
  const chain = runGuardChain(scalingGuards(input, entries, taskManagers, price));
  const guards = [memory.outcome, ...chain.outcomes];
  const events = [...decided.events, ...chain.events];
  if (chain.blocked) return outputOf(job, { ...notApplied, action: 'blocked', guards, events });
  return outputOf(job, {
    action: 'scale',
    guards,
    events: [...events, scalingReportEvent(entries, undefined, options, price)],
    scalingHistory: appendScalingHistory(decided.scalingHistory, entries, vertices, options, input.nowMs),
    parallelismOverrides: parallelismOverridesFor(topology, evaluated, newParallelismOf),
    // docs/algorithm.md §4.6: every pending scale-down is void once a scaling is executed.
    delayedScaleDown: {},
  });
}

/** What the executor knows of the job once every vertex is decided, whatever the guards say. */
type DecidedJob = Pick<ExecuteScalingOutput, 'vertices' | 'summaries' | 'evaluated' | 'taskManagers' | 'price'>;

/** What the guards make of the decided job. */
type GuardedExecution = Omit<ExecuteScalingOutput, keyof DecidedJob>;

function outputOf(job: DecidedJob, execution: GuardedExecution): ExecuteScalingOutput {
  return {
    vertices: job.vertices,
    events: execution.events,
    summaries: job.summaries,
    evaluated: job.evaluated,
    scalingHistory: execution.scalingHistory,
    taskManagers: job.taskManagers,
    ...(job.price ? { price: job.price } : {}),
    parallelismOverrides: execution.parallelismOverrides,
    delayedScaleDown: execution.delayedScaleDown,
    action: execution.action,
    guards: execution.guards,
  };
}

/**
 * The guards after memory pressure, in order (docs/algorithm.md §5.1 steps 7 and 9): configuration first, then
 * cluster capacity and quota. Memory tuning (§7) runs before the resource checks in the operator
 * so the checks see the tuned TaskManager size; the lead wires `planMemory` in `decide`, which
 * then passes the tuned memory in `taskManager.memoryBytes`.
 */
function scalingGuards(
  input: ExecuteScalingInput,
  entries: readonly ScalingReportEntry[],
  taskManagers: ExecuteScalingOutput['taskManagers'],
  price: ExecuteScalingOutput['price'],
): (() => GuardVerdict)[] {
  const { options } = input;
  const resources = {
    currentTaskManagers: taskManagers.current,
    newTaskManagers: taskManagers.next,
    taskManagerCpu: input.taskManager?.cpu ?? options.taskManagerCpu,
    taskManagerMemoryBytes: input.taskManager?.memoryBytes ?? options.tmProcessSizeBytes,
    options,
  };
  return [
    () => checkScalingEnabled(options, entries, price),
    () => checkExcludedPeriods(options, input.nowMs, entries, price),
    () => checkRollbackCooldown(input.blockedChanges ?? [], entries),
    () => verdictOf(checkClusterCapacity({ snapshot: input.clusterCapacity, ...resources })),
    () => verdictOf(checkQuota(resources)),
  ];
}

/**
 * TaskManagers before and after the change. With the slot sharing group of every vertex known,
 * from the groups (rounded up, see `countTaskManagers`). Without them (older Flink versions do not
 * report groups) the JobManager's used-slot count tells whether slots are shared, as in the
 * operator's estimate (docs/algorithm.md §7.6); when that count is missing too, Flink's default (one shared
 * group) is assumed rather than the operator's "0 slots used" (docs/algorithm.md §11 #24).
 */
function taskManagerCounts(
  topology: JobTopology,
  newParallelismOf: (id: VertexId) => number,
  slotsUsed: number,
  slotsPerTm: number,
): ExecuteScalingOutput['taskManagers'] {
  const groupsKnown = topology.vertices.every((v) => v.slotSharingGroupId !== undefined);
  if (!groupsKnown && Number.isFinite(slotsUsed) && slotsUsed > 0) {
    const current = Object.fromEntries(topology.vertices.map((v) => [v.id, v.parallelism]));
    const next = Object.fromEntries(topology.vertices.map((v) => [v.id, newParallelismOf(v.id)]));
    const perTm = Math.max(1, slotsPerTm);
    return {
      current: Math.ceil(slotsUsed / perTm),
      next: Math.ceil(estimateSlotsAfterRescale(current, next, slotsUsed) / perTm),
    };
  }
  return {
    current: countTaskManagers(topology, (id) => currentParallelismOf(topology, id), slotsPerTm).taskManagers,
    next: countTaskManagers(topology, newParallelismOf, slotsPerTm).taskManagers,
  };
}
