import type {
  AutoscalerEvent,
  AutoscalerEventReason,
  AutoscalerEventType,
  HistoryEntry,
  HistoryRecord,
  JobKey,
  JobState,
} from '../domain/index.ts';
import type { MetricSample } from '../domain/metric-sample.ts';
import type { EventEmission } from './event-sink.ts';

/**
 * Why stored state was thrown away on load. The caller turns it into an `AutoscalerError`
 * event and carries on with the empty state: bad state must never crash-loop a job
 * (conventions.md habit 9, like Flink's ConfigMap store).
 */
export interface StateDiscard {
  /** `corrupt`: the item could not be decoded; `unknown-version`: written by another schema. */
  readonly code: 'corrupt' | 'unknown-version';
  /** Human-readable detail naming what was wrong. */
  readonly detail: string;
}

/**
 * Encoding context of a loaded job that a later save must be relative to. Opaque to callers:
 * pass the {@link LoadedJob} back to {@link StateStore.save} unchanged.
 */
export interface StoreBasis {
  /** Revision the state was loaded at (0 = nothing stored). */
  readonly revision: number;
  /** Metric-window epoch: samples written under another epoch are ignored (-1 = none usable). */
  readonly epoch: number;
  /** Vertex dictionary of the epoch: samples and state refer to vertices by index into it. */
  readonly vertexIds: readonly string[];
  readonly jobId?: string;
  readonly topologyHash?: string;
  /**
   * Hash of the decision context last written for the replay history and when (epoch ms): a save
   * writes the context again only when it changed or is due for a refresh. Absent = none written.
   */
  readonly historyContext?: { readonly hash: string; readonly writtenAtMs: number };
  /**
   * When the stored state was last written (its own `lastEvaluationMs`, epoch ms): a steady cycle
   * leaves the state unwritten ({@link SaveRequest.writeState}) until it is older than the refresh
   * interval. Absent when the stored state has no evaluation time.
   */
  readonly stateWrittenMs?: number;
  /**
   * Stored size of the state item in bytes, which a save that leaves the state unwritten reports
   * as its {@link SaveResult.stateBytes}. Absent when the store does not keep it.
   */
  readonly stateBytes?: number;
}

/** What {@link StateStore.load} returns for one job. */
export interface LoadedJob {
  /**
   * Stored state, or `emptyJobState()` for a new job or after a discard. Its `lastEvaluationMs`
   * is the later of the stored one and the newest sample's time: a steady cycle writes only its
   * sample ({@link SaveRequest.writeState}), so the sample is the record of its evaluation.
   */
  readonly state: JobState;
  /** Revision of the stored state (0 = none); the next save must expect exactly this. */
  readonly revision: number;
  /** Samples of the current window epoch with `tsMs >= sinceMs`, oldest first. */
  readonly samples: readonly MetricSample[];
  /** Set when stored state was unreadable and replaced by the empty state. */
  readonly discarded?: StateDiscard;
  /** Number of stored samples skipped because they could not be decoded. */
  readonly skippedSamples: number;
  readonly basis: StoreBasis;
  /**
   * The last recorded run ({@link StateStore.recordRun}), read with the state at no extra request,
   * so the cycle can leave an unchanged record unwritten (lib/cycle/steps/record-run.ts).
   */
  readonly lastRun?: RunRecord;
}

/** Options of {@link StateStore.load}. */
export interface LoadOptions {
  /** Oldest sample timestamp to return (epoch ms), normally `now − metrics.window`. */
  readonly sinceMs: number;
}

/** One cycle's write: the new state and, optionally, the cycle's sample. */
export interface SaveRequest {
  readonly state: JobState;
  readonly sample?: MetricSample;
  /**
   * Metric window (`job.autoscaler.metrics.window`) in ms: the sample's TTL is set past it so
   * DynamoDB removes samples no cycle can read any more.
   */
  readonly windowMs: number;
  /**
   * Keep the sample for the what-if replay (`job.autoscaler.history.retention` > 0): with the
   * cycle's decision, for `history.retentionMs` instead of the window, and the decision context
   * when it changed. No extra write per cycle: the sample write carries the decision.
   */
  readonly history?: HistoryRecord;
  /**
   * `when-changed` (the default): when the state differs from the loaded one only by per-cycle
   * bookkeeping (its evaluation time and the cost ledger's accrual, see
   * lib/adapters/state/state-write-elision.ts), a sample is saved with it, and the state was
   * written less than the refresh interval ago, the store writes only the sample — one write
   * unit less per steady cycle (issue #16) — and without the revision check: nothing the
   * decision needs was changed. `always`: the state is written, conditional on the revision, as
   * the guard before a write to the resource (lib/cycle/steps/realize.ts).
   */
  readonly writeState?: 'when-changed' | 'always';
}

/** Time range of {@link StateStore.readHistory}, epoch ms, both ends inclusive. */
export interface HistoryRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/** A stored item of the history that could not be used, and why; the read goes on without it. */
export interface SkippedHistoryItem {
  /** Which item: its sort key or timestamp, as the store names it. */
  readonly item: string;
  readonly reason: string;
}

/** What {@link StateStore.readHistory} returns. */
export interface StoredHistory {
  /** The retained cycles in the range, oldest first. */
  readonly entries: readonly HistoryEntry[];
  /**
   * Samples in the range that could not be used (unreadable, or without their decision context)
   * and the count of window-only samples (kept without a decision: retention 0 or older versions).
   */
  readonly skipped: readonly SkippedHistoryItem[];
  readonly windowOnlySamples: number;
}

/** What was dropped to keep the state item under the size threshold (all zero normally). */
export interface TrimReport {
  readonly historyEntries: number;
  readonly trackingRecords: number;
  readonly delayedVertices: number;
  readonly memoryHistory: boolean;
}

/** Result of a successful {@link StateStore.save}. */
export interface SaveResult {
  /** The new revision (loaded revision + 1), or the loaded one when the state was left unwritten. */
  readonly revision: number;
  /**
   * False when only the sample was written ({@link SaveRequest.writeState} `when-changed`): the
   * stored state is the loaded one, and no revision check was made.
   */
  readonly stateWritten: boolean;
  /** Stored size of the state item in bytes (DynamoDB item-size rules). */
  readonly stateBytes: number;
  /** Stored size of the sample item in bytes; 0 without a sample. */
  readonly sampleBytes: number;
  readonly trimmed: TrimReport;
  /**
   * Set when the job id or topology changed since the loaded state: earlier samples no longer
   * belong to the window (docs/algorithm.md §2.5 clears the history on a restart).
   */
  readonly windowReset: boolean;
}

/** One entry of the event log. */
export interface StoredEvent {
  readonly reason: AutoscalerEventReason;
  readonly type: AutoscalerEventType;
  readonly message: string;
  readonly messageKey?: string;
  /** Epoch ms of the first occurrence (when the entry was emitted). */
  readonly firstTsMs: number;
  /**
   * Epoch ms of the latest occurrence recorded on this entry. Repeats within the event's interval
   * are not recorded; entries written by versions before 2026-12 counted them.
   */
  readonly lastTsMs: number;
  readonly count: number;
}

/** Options of {@link StateStore.listEvents}. */
export interface ListEventsOptions {
  /** Only events first emitted at or after this epoch ms. */
  readonly sinceMs?: number;
  /** At most this many events (newest ones). Default 100. */
  readonly limit?: number;
}

export type { RunRecord } from '../domain/run-record.ts';
import type { RunRecord } from '../domain/run-record.ts';

/** What {@link StateStore.forgetJob} removed. */
export interface ForgetResult {
  /**
   * Items deleted (state, window samples, run record, registry entry). The event log is kept, and
   * so is the replay history (samples and contexts with a retention), which expires by its TTL.
   */
  readonly itemsDeleted: number;
}

/**
 * Durable per-job memory of the autoscaler (docs/design.md §5): the job state, the metric window's
 * samples, the last run and the event log. The conditional save is also what keeps two runs of
 * one job that overlap from both acting (lib/cycle/run-cycle.ts).
 *
 * Errors: {@link StateConflictError} when another run saved first,
 * {@link StateStoreInputError} for invalid arguments,
 * {@link StateTooLargeError} when state cannot be trimmed under the item limit,
 * {@link StateStoreError} for anything else (transport, throttling), with the cause.
 */
export interface StateStore {
  /** Loads state and the window's samples (one Query in the DynamoDB adapter). */
  load(jobKey: JobKey, options: LoadOptions): Promise<LoadedJob>;
  /**
   * Saves state (and the cycle's sample) if the stored revision is still the loaded one;
   * exactly one of two concurrent savers of the same revision wins. A state that changed only
   * by bookkeeping may be left unwritten ({@link SaveRequest.writeState}); the sample is then
   * written without a check, and {@link SaveResult.stateWritten} is false.
   */
  save(jobKey: JobKey, loaded: LoadedJob, request: SaveRequest): Promise<SaveResult>;
  /**
   * Appends an event; a repeat of an entry first emitted within `event.dedupeIntervalMs` writes
   * nothing and answers `emitted: false` with that entry.
   */
  appendEvent(jobKey: JobKey, event: AutoscalerEvent, nowMs: number): Promise<EventEmission>;
  /** Lists the newest events, newest first. */
  listEvents(jobKey: JobKey, options?: ListEventsOptions): Promise<StoredEvent[]>;
  /**
   * Every job that has stored state (registered on its first save), so the dispatcher can find
   * jobs that were deleted or opted out and clean them up.
   */
  listJobKeys(): Promise<JobKey[]>;
  /**
   * Removes a job's state, window samples, run record and registry entry (docs/design.md §9.1
   * clean-up); the event log stays until its TTL so the clean-up itself remains visible, and the
   * replay history until its own (never read as a window again: a re-created job starts a new
   * epoch). Idempotent.
   */
  forgetJob(jobKey: JobKey): Promise<ForgetResult>;
  /**
   * The retained decision history of a job within `range` (samples saved with
   * {@link SaveRequest.history} that have not expired), for the what-if replay. Eventually
   * consistent; bad items are skipped and listed, never fatal.
   */
  readHistory(jobKey: JobKey, range: HistoryRange): Promise<StoredHistory>;
  /** Replaces the job's last-run record. */
  recordRun(jobKey: JobKey, run: RunRecord): Promise<void>;
  /** The job's last-run record, if any. */
  lastRun(jobKey: JobKey): Promise<RunRecord | undefined>;
}

/** Base of every state-store error; `cause` carries the underlying failure. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';
}

/** Another run saved the job's state since it was loaded (conditional write failed). */
export class StateConflictError extends StateStoreError {
  override name = 'StateConflictError';
  readonly jobKey: string;
  readonly expectedRevision: number;
  constructor(jobKey: string, expectedRevision: number, options?: ErrorOptions) {
    super(`state of ${jobKey} changed since revision ${expectedRevision} was loaded`, options);
    this.jobKey = jobKey;
    this.expectedRevision = expectedRevision;
  }
}

/** An argument was invalid; `field` names it. */
export class StateStoreInputError extends StateStoreError {
  override name = 'StateStoreInputError';
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`invalid ${field}: ${problem}`);
    this.field = field;
  }
}

/** The state is still over the item limit after every trimming step. */
export class StateTooLargeError extends StateStoreError {
  override name = 'StateTooLargeError';
  readonly bytes: number;
  readonly limitBytes: number;
  constructor(what: string, bytes: number, limitBytes: number) {
    super(`${what} is ${bytes} bytes, over the limit of ${limitBytes} bytes`);
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }
}
