import type { JobKey } from '../../domain/index.ts';
import { StateStoreInputError } from '../../ports/state-store.ts';
import { SORT_KEYS } from './table-schema.ts';

const RESOURCE_KINDS = new Set(['FlinkDeployment', 'FlinkSessionJob']);
/** 13 digits cover epoch ms until the year 2286, so sort keys order by time. */
const EPOCH_MS_DIGITS = 13;
const MAX_EPOCH_MS = 10 ** EPOCH_MS_DIGITS - 1;

/** Checks a job key: every part non-empty and free of `#`, which separates the pk parts. */
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

/** Partition key of a job: `JOB#cluster#namespace#kind#name`. */
export function partitionKeyOf(key: JobKey): string {
  validateJobKey(key);
  return `JOB#${key.cluster}#${key.namespace}#${key.kind}#${key.name}`;
}

/** Checks an epoch-ms timestamp used in a sort key; `field` names it in the error. */
export function validateEpochMs(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_EPOCH_MS) {
    throw new StateStoreInputError(field, `${value} is not an epoch-ms integer in [0, ${MAX_EPOCH_MS}]`);
  }
}

/** Zero-padded epoch ms, so lexical sort-key order is time order. */
export function paddedEpochMs(epochMs: number): string {
  return String(epochMs).padStart(EPOCH_MS_DIGITS, '0');
}

/** Sort key of the sample taken at `tsMs`. */
export function sampleSortKey(tsMs: number): string {
  return `${SORT_KEYS.samplePrefix}${paddedEpochMs(tsMs)}`;
}

/** Timestamp of a sample sort key, or undefined when malformed. */
export function sampleTsOf(sortKey: string): number | undefined {
  const digits = sortKey.slice(SORT_KEYS.samplePrefix.length);
  return /^\d{13}$/.test(digits) ? Number(digits) : undefined;
}

/** Sort key of an event first emitted at `tsMs`; the key hash keeps same-ms events apart. */
export function eventSortKey(tsMs: number, reason: string, dedupeKey: string): string {
  return `${SORT_KEYS.eventPrefix}${paddedEpochMs(tsMs)}#${reason}#${dedupeKey.slice(0, 8)}`;
}

/** Lower bound of the event sort keys first emitted at or after `tsMs`. */
export function eventSortKeyFrom(tsMs: number): string {
  return `${SORT_KEYS.eventPrefix}${paddedEpochMs(Math.max(0, tsMs))}`;
}

/** Upper bound (inclusive) of the event sort keys first emitted at or before `tsMs`. */
export function eventSortKeyUntil(tsMs: number): string {
  // '~' sorts after every character used in the rest of the key.
  return `${SORT_KEYS.eventPrefix}${paddedEpochMs(Math.min(MAX_EPOCH_MS, tsMs))}#~`;
}
