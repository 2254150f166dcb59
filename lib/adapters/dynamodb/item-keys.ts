import type { JobKey } from '../../domain/index.ts';
import { EPOCH_MS_DIGITS, MAX_EPOCH_MS, validateJobKey } from '../state/store-input.ts';
import { SORT_KEYS } from './table-schema.ts';

/** Partition key of a job: `JOB#cluster#namespace#kind#name`. */
export function partitionKeyOf(key: JobKey): string {
  validateJobKey(key);
  return `JOB#${key.cluster}#${key.namespace}#${key.kind}#${key.name}`;
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
