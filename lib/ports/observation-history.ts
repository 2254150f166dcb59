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
 * A source of past observations of one job for the what-if replay (`fsa replay`). Adapters: a
 * directory of `fsa record` captures (`lib/adapters/flink-rest/recorded-captures.ts`); the state
 * table's retained samples are the next one. The replay engine (`lib/replay`) only sees the
 * {@link JobObservation}s, so a new source needs no change there.
 */
export interface ObservationHistorySource {
  /** Reads the observations within `range`, oldest first. */
  read(range: ObservationRange): Promise<ObservationHistory>;
}
