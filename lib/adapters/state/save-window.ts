/**
 * What a save does to the metric window, the same in every `StateStore`: the revision it
 * writes and whether earlier samples still count.
 */
import type { JobState } from '../../domain/index.ts';
import type { LoadedJob } from '../../ports/state-store.ts';

/** Size limits of the stored state and samples; the defaults keep a safe margin to DynamoDB's 400 KB. */
export interface ItemLimits {
  /** States above this size are trimmed (then rejected if still above). Default 300 KiB. */
  readonly stateTrimThresholdBytes: number;
  /** Samples above this size are rejected. Default 350 KiB. */
  readonly sampleMaxBytes: number;
  /** Samples expire this long after leaving the window. Default 1 h. */
  readonly sampleTtlGraceMs: number;
  /**
   * A state that changed only by bookkeeping is written again once it is this old (default
   * 15 min; see ./state-write-elision.ts). Below the cost ledger's longest accrued gap (1 h), so
   * the ledger accrues exactly as if written every cycle.
   */
  readonly stateRefreshMs: number;
}

/** Default {@link ItemLimits}. */
export function defaultItemLimits(): ItemLimits {
  return {
    stateTrimThresholdBytes: 300 * 1024,
    sampleMaxBytes: 350 * 1024,
    sampleTtlGraceMs: 60 * 60 * 1000,
    stateRefreshMs: 15 * 60 * 1000,
  };
}

/** The window bookkeeping of one save. */
export interface SaveWindow {
  /** Revision the save writes (loaded revision + 1). */
  readonly revision: number;
  /** Epoch the saved state and sample belong to; samples of other epochs stop counting. */
  readonly epoch: number;
  /** The job id or topology changed, or the loaded state was discarded (reported to the caller). */
  readonly windowReset: boolean;
  /** A new epoch starts (a reset, or nothing usable was stored): start a fresh vertex dictionary too. */
  readonly newEpoch: boolean;
}

/**
 * The window epoch changes (earlier samples stop counting) when the Flink job id or topology
 * hash differs from the loaded state's, or when the loaded state was discarded: counters restart
 * with a new job run (docs/algorithm.md §2.5) and samples are only meaningful for their own job graph.
 *
 * A new epoch is numbered by the time of the sample saved with it (`sampleTsMs`; the revision
 * when saved without one): the replay history of an earlier incarnation of the same job key
 * outlives a clean-up (its TTL removes it), and epochs numbered by revisions — 1, 2, … again after
 * the clean-up — would let the new incarnation read it as its window. Times only grow.
 */
export function saveWindowOf(loaded: LoadedJob, state: JobState, sampleTsMs?: number): SaveWindow {
  const basis = loaded.basis;
  const revision = basis.revision + 1;
  const identityChanged =
    basis.revision > 0 && (state.jobId !== basis.jobId || state.topologyHash !== basis.topologyHash);
  const windowReset = identityChanged || loaded.discarded !== undefined;
  const newEpoch = windowReset || basis.epoch < 0;
  const epoch = !newEpoch ? basis.epoch : Math.max(revision, sampleTsMs ?? 0);
  return { revision, epoch, windowReset, newEpoch };
}
