import type { JobObservation } from '../domain/index.ts';

/** Time range of a replay, epoch ms, both ends inclusive; an absent side is open. */
export interface ObservationRange {
  readonly fromMs?: number;
  readonly toMs?: number;
}

/** What a source of past observations returns. */
export interface ObservationHistory {
  /** The observations in the range, oldest first. */
  readonly observations: readonly JobObservation[];
  /**
   * Findings that did not stop the read but change what the replay means (an unreadable capture,
   * a time taken from a file's mtime, …), one sentence each.
   */
  readonly warnings: readonly string[];
}

/**
 * A source of past raw observations of one job for the what-if replay (`fsa replay --captures`):
 * a directory of `fsa record` captures (`lib/adapters/flink-rest/recorded-captures.ts`). The
 * state table's retained cycles are not raw observations but samples as stored, read with
 * `StateStore.readHistory` and replayed by `replayHistory` (`lib/replay`).
 */
export interface ObservationHistorySource {
  /** Reads the observations within `range`, oldest first. */
  read(range: ObservationRange): Promise<ObservationHistory>;
}
