/**
 * Extension (rollback of an unhealthy rescale, docs/algorithm.md §13): a change rolled back is not
 * tried again during `rollback.cool-down` — no vertex moves to the parallelism that was rolled back,
 * or beyond it in the same direction. The Flink operator has no rollback, hence no such guard.
 */
import type { BlockedChange, GuardOutcome } from '../../domain/index.ts';
import { blockedChangeFor } from '../rollback-watch.ts';
import type { ScalingReportEntry } from '../scaling-report.ts';
import type { GuardVerdict } from './guard-chain.ts';

/** Blocks the scaling when one of its vertex changes repeats a blocked one; not checked without blocks. */
export function checkRollbackCooldown(
  blocks: readonly BlockedChange[],
  entries: readonly ScalingReportEntry[],
): GuardVerdict {
  if (blocks.length === 0) return { outcomes: [], blocks: false };
  for (const entry of entries) {
    const block = blockedChangeFor(blocks, entry.vertexId, entry.newParallelism);
    if (block) {
      const outcome: GuardOutcome = {
        guard: 'rollback-cool-down',
        passed: false,
        detail: `${entry.vertexId} ${entry.currentParallelism} -> ${entry.newParallelism} repeats the change to ${block.toParallelism} rolled back until ${new Date(block.untilMs).toISOString()} (rollback.cool-down)`,
      };
      return { outcomes: [outcome], blocks: true };
    }
  }
  return {
    outcomes: [
      {
        guard: 'rollback-cool-down',
        passed: true,
        detail: `no change repeats one of the ${blocks.length} rolled back during rollback.cool-down`,
      },
    ],
    blocks: false,
  };
}
