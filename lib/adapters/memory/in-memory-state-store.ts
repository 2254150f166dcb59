import { isDeepStrictEqual } from 'node:util';
import {
  type AutoscalerEvent,
  emptyJobState,
  formatJobKey,
  type HistoryEntry,
  type JobKey,
  type MetricSample,
} from '../../domain/index.ts';
import type { EventEmission } from '../../ports/event-sink.ts';
import {
  type ForgetResult,
  type HistoryRange,
  type ListEventsOptions,
  type LoadedJob,
  type LoadOptions,
  type RunRecord,
  type SaveRequest,
  type SaveResult,
  StateConflictError,
  type StateStore,
  StateStoreError,
  StateTooLargeError,
  type StoredEvent,
  type StoredHistory,
} from '../../ports/state-store.ts';
import {
  DEFAULT_EVENT_TTL_MS,
  EVENT_SLOT_ATTEMPTS,
  eventListLimitOf,
  prepareEvent,
  storedEventMessage,
} from '../state/event-log.ts';
import { defaultItemLimits, type ItemLimits, saveWindowOf } from '../state/save-window.ts';
import { NOTHING_TRIMMED, trimStateToFit } from '../state/state-trimming.ts';
import { mayLeaveStateUnwritten, withLastEvaluation, withoutBookkeeping } from '../state/state-write-elision.ts';
import {
  validateEpochMs,
  validateEventTtlMs,
  validateHistoryRange,
  validateJobKey,
  validateLoadOptions,
  validateSaveRequest,
} from '../state/store-input.ts';
import { estimatedStoredBytes, storedSample, storedState } from './stored-forms.ts';

/** Options of {@link InMemoryStateStore}. */
export interface InMemoryStateStoreOptions {
  /** Event log retention (validated like the durable stores'; nothing expires in memory). Default 90 days. */
  readonly eventTtlMs?: number;
  /** Size limits; sizes are estimated ({@link estimatedStoredBytes}). */
  readonly limits?: Partial<ItemLimits>;
}

/** The stored state of one job with the revision and window epoch it was written at. */
interface StoredJobState {
  readonly revision: number;
  readonly epoch: number;
  readonly state: ReturnType<typeof storedState>;
}

/** One event-log entry; `dedupeKey` finds the entry a repeat folds into. */
interface EventEntry extends StoredEvent {
  readonly dedupeKey: string;
}

/** One saved sample with the epoch it was saved in and, when retained for the replay, its history. */
interface StoredSample {
  readonly epoch: number;
  readonly sample: MetricSample;
  readonly history?: Pick<HistoryEntry, 'decision' | 'missingRequired' | 'context'>;
}

/**
 * Everything kept for one job except its event log, which outlives {@link StateStore.forgetJob},
 * as do the samples retained for the replay history (a durable store leaves them to their TTL).
 */
interface JobRecord {
  state?: StoredJobState;
  /** The samples by timestamp (one per cycle). Nothing expires in memory. */
  readonly samples: Map<number, StoredSample>;
  run?: RunRecord;
}

/**
 * {@link StateStore} kept in process memory as plain objects, for unit tests, dry runs and the
 * CLI's local mode. It applies the rules every store shares (`../state/`: argument checks,
 * window epochs, trimming, rounding, event de-duplication), so the shared contract suite holds
 * for it as for DynamoDB; JavaScript's single thread stands in for the conditional writes.
 * Nothing survives the process.
 */
export class InMemoryStateStore implements StateStore {
  readonly #jobs = new Map<string, JobRecord>();
  readonly #events = new Map<string, EventEntry[]>();
  /** Jobs with stored state, by {@link recordKeyOf}, for {@link listJobKeys}. */
  readonly #registry = new Map<string, JobKey>();
  readonly #limits: ItemLimits;

  constructor(options: InMemoryStateStoreOptions = {}) {
    validateEventTtlMs(options.eventTtlMs ?? DEFAULT_EVENT_TTL_MS);
    this.#limits = { ...defaultItemLimits(), ...options.limits };
  }

  async load(jobKey: JobKey, options: LoadOptions): Promise<LoadedJob> {
    const stored = this.#job(jobKey).state;
    validateLoadOptions(options);
    // Read with the state, as the DynamoDB store's load query returns it.
    const run = this.#job(jobKey).run;
    const lastRun = run ? { lastRun: structuredClone(run) } : {};
    if (!stored) {
      return {
        state: emptyJobState(),
        revision: 0,
        samples: [],
        skippedSamples: 0,
        basis: { revision: 0, epoch: -1, vertexIds: [] },
        ...lastRun,
      };
    }
    const samples = [...this.#job(jobKey).samples.values()]
      .filter(({ epoch, sample }) => epoch === stored.epoch && sample.tsMs >= options.sinceMs)
      .map(({ sample }) => structuredClone(sample))
      .sort((a, b) => a.tsMs - b.tsMs);
    const { jobId, topologyHash, lastEvaluationMs } = stored.state;
    return {
      state: withLastEvaluation(structuredClone(stored.state), samples),
      revision: stored.revision,
      samples,
      skippedSamples: 0,
      basis: {
        revision: stored.revision,
        epoch: stored.epoch,
        vertexIds: [],
        ...(lastEvaluationMs !== undefined ? { stateWrittenMs: lastEvaluationMs } : {}),
        ...(jobId !== undefined ? { jobId } : {}),
        ...(topologyHash !== undefined ? { topologyHash } : {}),
      },
      ...lastRun,
    };
  }

  async save(jobKey: JobKey, loaded: LoadedJob, request: SaveRequest): Promise<SaveResult> {
    const record = this.#job(jobKey);
    validateSaveRequest(loaded, request);
    const { revision, epoch, windowReset } = saveWindowOf(loaded, request.state, request.sample?.tsMs);
    const limits = this.#limits;
    const sample = request.sample ? storedSample(request.sample) : undefined;
    const sampleBytes = sample ? estimatedStoredBytes(sample) : 0;
    if (sample && sampleBytes > limits.sampleMaxBytes) {
      throw new StateTooLargeError(`sample at ${sample.tsMs}`, sampleBytes, limits.sampleMaxBytes);
    }
    const expected = loaded.basis.revision;
    // Only bookkeeping changed: the sample alone records the cycle, unchecked, as in DynamoDB,
    // decided before trimming as there (the stored state fitted when it was written).
    if (
      sample &&
      record.state &&
      epoch === loaded.basis.epoch &&
      mayLeaveStateUnwritten(loaded, request, limits) &&
      isDeepStrictEqual(
        storedState(withoutBookkeeping(request.state, loaded.state)),
        storedState(withoutBookkeeping(loaded.state, loaded.state)),
      )
    ) {
      record.samples.set(sample.tsMs, { epoch, sample, ...historyOf(request) });
      return {
        revision: expected,
        stateWritten: false,
        // What is stored, as the DynamoDB store reports the state item it left in place.
        stateBytes: estimatedStoredBytes(record.state.state),
        sampleBytes,
        trimmed: NOTHING_TRIMMED,
        windowReset,
      };
    }
    const fitted = trimStateToFit(storedState(request.state), estimatedStoredBytes, limits.stateTrimThresholdBytes);
    if (fitted.bytes > limits.stateTrimThresholdBytes) {
      throw new StateTooLargeError('state (after trimming)', fitted.bytes, limits.stateTrimThresholdBytes);
    }
    // The conditional write of a durable store: exactly one saver of a revision wins.
    if ((record.state?.revision ?? 0) !== expected) {
      throw new StateConflictError(formatJobKey(jobKey), expected);
    }
    if (expected === 0) this.#registry.set(recordKeyOf(jobKey), { ...jobKey });
    record.state = { revision, epoch, state: fitted.state };
    if (sample) record.samples.set(sample.tsMs, { epoch, sample, ...historyOf(request) });
    return {
      revision,
      stateWritten: true,
      stateBytes: fitted.bytes,
      sampleBytes,
      trimmed: fitted.trimmed,
      windowReset,
    };
  }

  async readHistory(jobKey: JobKey, range: HistoryRange): Promise<StoredHistory> {
    const record = this.#job(jobKey);
    validateHistoryRange(range);
    const inRange = [...record.samples.values()].filter(
      ({ sample }) => sample.tsMs >= range.fromMs && sample.tsMs <= range.toMs,
    );
    const entries: HistoryEntry[] = inRange
      .flatMap(({ epoch, sample, history }) => (history ? [{ sample: structuredClone(sample), epoch, ...structuredClone(history) }] : []))
      .sort((a, b) => a.sample.tsMs - b.sample.tsMs);
    return { entries, skipped: [], windowOnlySamples: inRange.length - entries.length };
  }

  async appendEvent(jobKey: JobKey, event: AutoscalerEvent, nowMs: number): Promise<EventEmission> {
    validateJobKey(jobKey);
    const { dedupeKey, window } = prepareEvent(event, nowMs);
    const log = this.#eventLog(jobKey);
    if (window) {
      const { fromMs, untilMs } = window;
      const latest = log.findLast(
        (entry) => entry.dedupeKey === dedupeKey && entry.firstTsMs >= fromMs && entry.firstTsMs <= untilMs,
      );
      // A repeat within the interval is left out, as the DynamoDB store does (../state/event-log.ts).
      if (latest) return { emitted: false, count: latest.count, firstTsMs: latest.firstTsMs };
    }
    // An entry is identified by first-emission ms, reason and key: a same-ms repeat moves on by one ms.
    for (let attempt = 0; attempt < EVENT_SLOT_ATTEMPTS; attempt++) {
      const tsMs = nowMs + attempt;
      const taken = log.some(
        (entry) =>
          entry.firstTsMs === tsMs &&
          entry.reason === event.reason &&
          entry.dedupeKey.slice(0, 8) === dedupeKey.slice(0, 8),
      );
      if (taken) continue;
      log.push({
        reason: event.reason,
        type: event.type,
        message: storedEventMessage(event.message),
        ...(event.messageKey !== undefined ? { messageKey: event.messageKey } : {}),
        firstTsMs: tsMs,
        lastTsMs: tsMs,
        count: 1,
        dedupeKey,
      });
      log.sort(compareEntries);
      return { emitted: true, count: 1, firstTsMs: tsMs };
    }
    throw new StateStoreError(
      `append event for ${formatJobKey(jobKey)}: ${EVENT_SLOT_ATTEMPTS} colliding events at ${nowMs}`,
    );
  }

  async listEvents(jobKey: JobKey, options: ListEventsOptions = {}): Promise<StoredEvent[]> {
    validateJobKey(jobKey);
    const limit = eventListLimitOf(options);
    const sinceMs = Math.max(0, options.sinceMs ?? 0);
    return this.#eventLog(jobKey)
      .filter((entry) => entry.firstTsMs >= sinceMs)
      .reverse()
      .slice(0, limit)
      .map(({ dedupeKey: _key, ...event }) => ({ ...event }));
  }

  async listJobKeys(): Promise<JobKey[]> {
    return [...this.#registry.keys()].sort().map((key) => ({ ...this.#registry.get(key)! }));
  }

  async forgetJob(jobKey: JobKey): Promise<ForgetResult> {
    const record = this.#job(jobKey);
    const retained = [...record.samples].filter(([, stored]) => stored.history !== undefined);
    const deleted =
      (record.state ? 1 : 0) +
      (record.samples.size - retained.length) +
      (record.run ? 1 : 0) +
      (this.#registry.delete(recordKeyOf(jobKey)) ? 1 : 0);
    this.#jobs.delete(recordKeyOf(jobKey));
    if (retained.length > 0) this.#jobs.set(recordKeyOf(jobKey), { samples: new Map(retained) });
    return { itemsDeleted: deleted };
  }

  async recordRun(jobKey: JobKey, run: RunRecord): Promise<void> {
    const record = this.#job(jobKey);
    validateEpochMs('run.atMs', run?.atMs);
    // Through JSON, as a durable store keeps it: undefined fields go.
    record.run = JSON.parse(JSON.stringify(run)) as RunRecord;
  }

  async lastRun(jobKey: JobKey): Promise<RunRecord | undefined> {
    const run = this.#job(jobKey).run;
    return run ? structuredClone(run) : undefined;
  }

  /** The record of a (validated) job, created empty on first use. */
  #job(jobKey: JobKey): JobRecord {
    validateJobKey(jobKey);
    const key = recordKeyOf(jobKey);
    let record = this.#jobs.get(key);
    if (!record) {
      record = { samples: new Map() };
      this.#jobs.set(key, record);
    }
    return record;
  }

  #eventLog(jobKey: JobKey): EventEntry[] {
    const key = recordKeyOf(jobKey);
    let log = this.#events.get(key);
    if (!log) {
      log = [];
      this.#events.set(key, log);
    }
    return log;
  }
}

/** The history part of a saved sample, as a durable store keeps it (through JSON). */
function historyOf(request: SaveRequest): Pick<StoredSample, 'history'> {
  const history = request.history;
  if (!history) return {};
  const { decision, missingRequired, context } = history;
  const kept = { decision, ...(missingRequired?.length ? { missingRequired } : {}), context };
  return { history: JSON.parse(JSON.stringify(kept)) as StoredSample['history'] & object };
}

/**
 * Map key of a validated job: its parts joined by `#`, which they cannot contain, so the registry
 * lists jobs in the same order as the durable store's.
 */
function recordKeyOf(jobKey: JobKey): string {
  return [jobKey.cluster, jobKey.namespace, jobKey.kind, jobKey.name].join('#');
}

/** Event-log order: first emission, then reason, then key (the durable store's sort-key order). */
function compareEntries(a: EventEntry, b: EventEntry): number {
  if (a.firstTsMs !== b.firstTsMs) return a.firstTsMs - b.firstTsMs;
  if (a.reason !== b.reason) return a.reason < b.reason ? -1 : 1;
  const ka = a.dedupeKey.slice(0, 8);
  const kb = b.dedupeKey.slice(0, 8);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
