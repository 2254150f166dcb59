/**
 * Argument checks every `StateStore` adapter makes, so a bad call fails the same way (same
 * error, same field name) whichever store a cycle runs on; the contract suite checks it.
 */
import type { JobKey } from '../../domain/index.ts';
import {
  type HistoryRange,
  type LoadedJob,
  type LoadOptions,
  type SaveRequest,
  StateStoreInputError,
} from '../../ports/state-store.ts';

const RESOURCE_KINDS = new Set(['FlinkDeployment', 'FlinkSessionJob']);
/**
 * 13 digits of epoch ms (until the year 2286): the DynamoDB sort keys are zero-padded to this
 * width so they order by time, and every store accepts the same range.
 */
export const EPOCH_MS_DIGITS = 13;
/** Largest accepted epoch-ms timestamp. */
export const MAX_EPOCH_MS = 10 ** EPOCH_MS_DIGITS - 1;

/** Checks a job key: every part non-empty and free of `#`, which separates the key parts. */
export function validateJobKey(key: JobKey): void {
  for (const field of ['cluster', 'namespace', 'name'] as const) {
    const value: unknown = key?.[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw new StateStoreInputError(`jobKey.${field}`, 'must be a non-empty string');
    }
    if (value.includes('#')) throw new StateStoreInputError(`jobKey.${field}`, `"${value}" contains '#'`);
  }
  if (!RESOURCE_KINDS.has(key.kind)) {
    throw new StateStoreInputError(
      'jobKey.kind',
      `"${String(key.kind)}" is not FlinkDeployment or FlinkSessionJob`,
    );
  }
}

/** Checks an epoch-ms timestamp; `field` names it in the error. */
export function validateEpochMs(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_EPOCH_MS) {
    throw new StateStoreInputError(field, `${value} is not an epoch-ms integer in [0, ${MAX_EPOCH_MS}]`);
  }
}

/** Checks the options of `StateStore.load`. */
export function validateLoadOptions(options: LoadOptions): void {
  if (!Number.isFinite(options?.sinceMs)) {
    throw new StateStoreInputError('options.sinceMs', `${options?.sinceMs} is not a number`);
  }
}

/** Checks the arguments of `StateStore.save`. */
export function validateSaveRequest(loaded: LoadedJob, request: SaveRequest): void {
  const basis = loaded?.basis;
  if (!basis || !Number.isSafeInteger(basis.revision) || basis.revision < 0) {
    throw new StateStoreInputError('loaded', 'must be the LoadedJob returned by load()');
  }
  const state = request?.state;
  if (typeof state !== 'object' || state === null || state.schemaVersion !== 1) {
    throw new StateStoreInputError('request.state', 'must be a JobState with schemaVersion 1');
  }
  if (!Number.isFinite(request.windowMs) || request.windowMs <= 0) {
    throw new StateStoreInputError('request.windowMs', `${request.windowMs} is not a positive duration`);
  }
  const sample = request.sample;
  if (sample !== undefined) {
    validateEpochMs('request.sample.tsMs', sample.tsMs);
    if (typeof sample.vertices !== 'object' || sample.vertices === null) {
      throw new StateStoreInputError('request.sample.vertices', 'must be an object');
    }
    if (typeof sample.global !== 'object' || sample.global === null) {
      throw new StateStoreInputError('request.sample.global', 'must be an object');
    }
  }
  const history = request.history;
  if (history !== undefined) {
    if (!Number.isFinite(history.retentionMs) || history.retentionMs <= 0) {
      throw new StateStoreInputError('request.history.retentionMs', `${history.retentionMs} is not a positive duration`);
    }
    if (sample === undefined) {
      throw new StateStoreInputError('request.history', 'needs request.sample: the history is kept with the sample');
    }
  }
}

/** Checks the range of `StateStore.readHistory`: two epoch-ms times, `fromMs` ≤ `toMs`. */
export function validateHistoryRange(range: HistoryRange): void {
  validateEpochMs('range.fromMs', range?.fromMs);
  validateEpochMs('range.toMs', range.toMs);
  if (range.fromMs > range.toMs) {
    throw new StateStoreInputError('range', `fromMs ${range.fromMs} is after toMs ${range.toMs}`);
  }
}

/** Checks the event-log retention an adapter is configured with. */
export function validateEventTtlMs(eventTtlMs: number): void {
  if (!Number.isFinite(eventTtlMs) || eventTtlMs <= 0) {
    throw new StateStoreInputError('eventTtlMs', `${eventTtlMs} is not a positive duration`);
  }
}
