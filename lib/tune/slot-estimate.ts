/**
 * Task slots a job needs after a rescale (docs/algorithm.md §7.6, Java `ResourceCheckUtils`).
 */
import type { VertexId } from '../domain/index.ts';

/**
 * Estimates the task slots in use after rescaling. A vertex missing from `newParallelism` keeps
 * its current parallelism. If the largest current parallelism equals the slots in use, all
 * vertices share slots (Flink's default slot sharing) and the job needs as many slots as its
 * widest vertex; otherwise sharing is (partly) off and, lacking better metrics, every subtask is
 * assumed to need its own slot.
 *
 * @example estimateSlotsAfterRescale({ a: 2, b: 3 }, { a: 7 }, 3) // 7 (max: sharing)
 * @example estimateSlotsAfterRescale({ a: 2, b: 3 }, { a: 7 }, 5) // 10 (sum: no sharing)
 */
export function estimateSlotsAfterRescale(
  currentParallelism: Readonly<Record<VertexId, number>>,
  newParallelism: Readonly<Record<VertexId, number>>,
  numTaskSlotsUsed: number,
): number {
  const vertices = Object.keys(currentParallelism);
  const current = vertices.map((v) => currentParallelism[v] ?? 0);
  const after = vertices.map((v) => newParallelism[v] ?? currentParallelism[v] ?? 0);
  const slotSharing = current.reduce((a, b) => Math.max(a, b), 0) === Math.trunc(numTaskSlotsUsed);
  return slotSharing ? after.reduce((a, b) => Math.max(a, b), 0) : after.reduce((a, b) => a + b, 0);
}
