import { createHash } from 'node:crypto';
import type { AutoscalerEvent, AutoscalerEventReason, AutoscalerEventType } from '../../domain/index.ts';
import { StateStoreInputError, type StoredEvent } from '../../ports/state-store.ts';
import { eventSortKey, validateEpochMs } from './item-keys.ts';
import type { TableItem } from './job-items.ts';
import { ATTR, ITEM_SCHEMA_VERSION, STATE_TABLE } from './table-schema.ts';

/** Default retention of the event log: 90 days. */
export const DEFAULT_EVENT_TTL_MS = 90 * 24 * 60 * 60 * 1000;
/**
 * Longest stored message. A ScalingReport of a 1,000-vertex job runs to ~100 KB; the log keeps
 * the head (Kubernetes Events are truncated far shorter anyway) so one event stays a few WCU.
 */
export const EVENT_MESSAGE_MAX_CHARS = 16 * 1024;

/**
 * De-duplication key of an event: hash of its reason and `messageKey` (or message when there is
 * none), like the operator's event name hash (spec §5.4). 16 hex characters.
 */
export function eventDedupeKey(event: AutoscalerEvent): string {
  return createHash('sha256')
    .update(JSON.stringify([event.reason, event.messageKey ?? event.message]))
    .digest('hex')
    .slice(0, 16);
}

/** The message as stored: cut to {@link EVENT_MESSAGE_MAX_CHARS}. */
export function storedEventMessage(message: string): string {
  return message.length <= EVENT_MESSAGE_MAX_CHARS
    ? message
    : `${message.slice(0, EVENT_MESSAGE_MAX_CHARS - 1)}…`;
}

/** Checks the fields of an event to append; throws {@link StateStoreInputError}. */
export function validateEvent(event: AutoscalerEvent, nowMs: number): void {
  validateEpochMs('nowMs', nowMs);
  if (typeof event?.reason !== 'string' || event.reason.length === 0 || event.reason.includes('#')) {
    throw new StateStoreInputError(
      'event.reason',
      `${JSON.stringify(event?.reason)} is not a reason without '#'`,
    );
  }
  if (event.type !== 'Normal' && event.type !== 'Warning') {
    throw new StateStoreInputError('event.type', `${JSON.stringify(event.type)} is not Normal or Warning`);
  }
  if (typeof event.message !== 'string') throw new StateStoreInputError('event.message', 'must be a string');
  const interval = event.dedupeIntervalMs;
  if (interval !== undefined && (!Number.isFinite(interval) || interval < 0)) {
    throw new StateStoreInputError('event.dedupeIntervalMs', `${interval} is not a non-negative duration`);
  }
}

/** Whether an event with this interval is de-duplicated at all (absent or 0 = never). */
export function isDeduplicated(event: AutoscalerEvent): boolean {
  return event.dedupeIntervalMs !== undefined && event.dedupeIntervalMs > 0;
}

/** A new event log item first emitted at `tsMs`. */
export function newEventItem(pk: string, event: AutoscalerEvent, tsMs: number, ttlMs: number): TableItem {
  const key = eventDedupeKey(event);
  return {
    [STATE_TABLE.partitionKey]: pk,
    [STATE_TABLE.sortKey]: eventSortKey(tsMs, event.reason, key),
    [ATTR.schemaVersion]: ITEM_SCHEMA_VERSION,
    [ATTR.eventKey]: key,
    [ATTR.eventReason]: event.reason,
    [ATTR.eventType]: event.type,
    [ATTR.eventMessage]: storedEventMessage(event.message),
    ...(event.messageKey !== undefined ? { [ATTR.eventMessageKey]: event.messageKey } : {}),
    [ATTR.eventCount]: 1,
    [ATTR.eventLastMs]: tsMs,
    [STATE_TABLE.ttlAttribute]: Math.ceil((tsMs + ttlMs) / 1000),
  };
}

/** First-emission time encoded in an event sort key. */
export function eventFirstTsOf(sortKey: string): number | undefined {
  const match = /^EVENT#(\d{13})#/.exec(sortKey);
  return match ? Number(match[1]) : undefined;
}

/** Decodes an event item; undefined for items of another schema or with missing fields. */
export function decodeEventItem(item: TableItem): StoredEvent | undefined {
  const firstTsMs = eventFirstTsOf(String(item[STATE_TABLE.sortKey]));
  const reason = item[ATTR.eventReason];
  const type = item[ATTR.eventType];
  const message = item[ATTR.eventMessage];
  const count = item[ATTR.eventCount];
  const lastTsMs = item[ATTR.eventLastMs];
  if (
    item[ATTR.schemaVersion] !== ITEM_SCHEMA_VERSION ||
    firstTsMs === undefined ||
    typeof reason !== 'string' ||
    (type !== 'Normal' && type !== 'Warning') ||
    typeof message !== 'string' ||
    typeof count !== 'number' ||
    typeof lastTsMs !== 'number'
  ) {
    return undefined;
  }
  const messageKey = item[ATTR.eventMessageKey];
  return {
    reason: reason as AutoscalerEventReason,
    type: type as AutoscalerEventType,
    message,
    ...(typeof messageKey === 'string' ? { messageKey } : {}),
    firstTsMs,
    lastTsMs,
    count,
  };
}
