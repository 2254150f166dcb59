import type { RawJobMetrics } from './metric-sample.ts';

/**
 * One past observation of a job, as a replay source delivers it (`fsa replay`): what the
 * collector read at `atMs` — the topology with the parallelism that was really running, and the
 * raw metrics the core turns into a window sample. Source: a directory of `fsa record` captures
 * (the state table's retained cycles are samples as stored: `HistoryEntry`).
 */
export interface JobObservation {
  /** Epoch ms the observation was taken (the capture's own time, never the file's). */
  readonly atMs: number;
  /** The collector's output at `atMs` (`raw.collectedAtMs` equals `atMs`). */
  readonly raw: RawJobMetrics;
}
