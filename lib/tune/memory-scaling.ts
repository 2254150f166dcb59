/**
 * Scale-down compensation of heap memory (docs/algorithm.md §7.5, Java `MemoryScaling`): when a rescale removes
 * TaskManagers, the heap of each remaining one grows so the job's total heap stays constant
 * until the new usage can be measured (FLINK-34152: OOM after scale-down). It never shrinks
 * memory; a scale-up is left to the usage-based sizing.
 */
import type { VertexId } from '../domain/index.ts';
import type { MemoryBudget } from './memory-budget.ts';
import { estimateSlotsAfterRescale } from './slot-estimate.ts';

/** Inputs of the compensation factor. */
export interface ScaleDownCompensationInput {
  /** NUM_TASK_SLOTS_USED current value; NaN/absent counts as 0 (Java's `(int) NaN`). */
  readonly numTaskSlotsUsed: number;
  readonly currentParallelism: Readonly<Record<VertexId, number>>;
  /** New parallelism of the vertices that change (others keep theirs). */
  readonly newParallelism: Readonly<Record<VertexId, number>>;
  readonly slotsPerTaskManager: number;
}

/** TaskManager counts before/after and the factor `max(1, tmBefore / tmAfter)`. */
export interface ScaleDownCompensation {
  readonly taskManagersBefore: number;
  readonly taskManagersAfter: number;
  readonly factor: number;
}

/**
 * The compensation factor:
 *
 *     tmBefore = ceil(slotsUsed / slotsPerTM); tmAfter = ceil(slotsAfter / slotsPerTM)
 *     factor   = max(1, tmBefore / tmAfter)
 *
 * A job with no TaskManagers after the rescale gets factor 1 (Java would produce NaN and fail).
 */
export function scaleDownCompensation(input: ScaleDownCompensationInput): ScaleDownCompensation {
  const slotsUsed = Number.isFinite(input.numTaskSlotsUsed) ? Math.trunc(input.numTaskSlotsUsed) : 0;
  const slotsAfter = estimateSlotsAfterRescale(input.currentParallelism, input.newParallelism, slotsUsed);
  const taskManagersBefore = Math.ceil(slotsUsed / input.slotsPerTaskManager);
  const taskManagersAfter = Math.ceil(slotsAfter / input.slotsPerTaskManager);
  const ratio = taskManagersBefore / taskManagersAfter;
  return { taskManagersBefore, taskManagersAfter, factor: Number.isFinite(ratio) ? Math.max(1, ratio) : 1 };
}

/**
 * Grows `heapBytes` by the compensation factor, within what is left of the budget:
 * `heap + take((long)(factor × heap) − heap)`.
 */
export function applyScaleDownCompensation(heapBytes: number, factor: number, budget: MemoryBudget): number {
  const wanted = Math.trunc(factor * heapBytes) - heapBytes;
  return heapBytes + budget.take(Math.max(0, wanted));
}
