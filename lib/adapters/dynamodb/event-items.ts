import type { AutoscalerEvent, AutoscalerEventReason, AutoscalerEventType } from '../../domain/index.ts';
import type { StoredEvent } from '../../ports/state-store.ts';
import { eventDedupeKey, storedEventMessage } from '../state/event-log.ts';
import { eventSortKey } from './item-keys.ts';
import type { TableItem } from './job-items.ts';
import { ATTR, ITEM_SCHEMA_VERSION, STATE_TABLE } from './table-schema.ts';

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
