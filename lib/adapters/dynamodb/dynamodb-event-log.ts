/**
 * The event log in the state table: one item per first emission under `EVENT#<ts>#<reason>#<key>`;
 * a repeat within the event's interval writes nothing (the rules are in `../state/event-log.ts`).
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AutoscalerEvent, formatJobKey, type JobKey } from '../../domain/index.ts';
import type { EventEmission } from '../../ports/event-sink.ts';
import { type ListEventsOptions, StateStoreError, type StoredEvent } from '../../ports/state-store.ts';
import {
  EVENT_SLOT_ATTEMPTS,
  eventListLimitOf,
  prepareEvent,
} from '../state/event-log.ts';
import { decodeEventItem, eventFirstTsOf, newEventItem } from './event-items.ts';
import { eventSortKeyFrom, eventSortKeyUntil } from './item-keys.ts';
import { failedForJob, forJob, isConditionFailure, type StateTable } from './state-table.ts';
import { ATTR, SORT_KEYS, STATE_TABLE } from './table-schema.ts';

/** Appends `event` to the job's log (see {@link StateStore.appendEvent}); `pk` is the job's partition key. */
export async function appendEventItem(
  table: StateTable,
  eventTtlMs: number,
  jobKey: JobKey,
  pk: string,
  event: AutoscalerEvent,
  nowMs: number,
): Promise<EventEmission> {
  const { dedupeKey, window } = prepareEvent(event, nowMs);
  if (window) {
    const folded = await foldIntoRecent(table, pk, jobKey, dedupeKey, window);
    if (folded) return folded;
  }
  // Same-ms collisions of the same key (never-deduplicated events) move on by one ms.
  for (let attempt = 0; attempt < EVENT_SLOT_ATTEMPTS; attempt++) {
    const tsMs = nowMs + attempt;
    try {
      const out = await table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: newEventItem(pk, event, tsMs, eventTtlMs),
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': STATE_TABLE.sortKey },
          ...table.capacityRequest(),
        }),
      );
      table.report('event', out.ConsumedCapacity?.CapacityUnits);
      return { emitted: true, count: 1, firstTsMs: tsMs };
    } catch (error) {
      if (!isConditionFailure(error)) throw failedForJob(error, 'append event', jobKey);
    }
  }
  throw new StateStoreError(
    `append event for ${formatJobKey(jobKey)}: ${EVENT_SLOT_ATTEMPTS} colliding events at ${nowMs}`,
  );
}

/** The newest events of the job's log (see {@link StateStore.listEvents}). */
export async function listEventItems(
  table: StateTable,
  jobKey: JobKey,
  pk: string,
  options: ListEventsOptions,
): Promise<StoredEvent[]> {
  const limit = eventListLimitOf(options);
  const items = await table.queryAll(
    forJob('list-events', jobKey),
    'list-events',
    {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': STATE_TABLE.partitionKey, '#sk': STATE_TABLE.sortKey },
      ExpressionAttributeValues: {
        ':pk': pk,
        ':from': eventSortKeyFrom(options.sinceMs ?? 0),
        ':to': `${SORT_KEYS.eventPrefix}~`,
      },
      ScanIndexForward: false,
      Limit: limit,
    },
    limit,
  );
  return items.flatMap((item) => decodeEventItem(item) ?? []).slice(0, limit);
}

/**
 * The newest same-key entry first emitted within the event's interval, if any: the event repeats it
 * and writes nothing. That is the operator's rule for its Kubernetes events
 * (`EventUtils.createOrUpdateEventWithLabels`: an existing event is left alone while
 * `now < lastTimestamp + interval`), and it keeps a condition that holds every cycle from costing a
 * write unit per cycle. One eventually consistent read (0.5 read units up to 4 KB): the entry it
 * looks for was written a cycle or more ago, long since readable everywhere, and the worst a stale
 * read could do is start a second entry.
 */
async function foldIntoRecent(
  table: StateTable,
  pk: string,
  jobKey: JobKey,
  dedupeKey: string,
  window: { readonly fromMs: number; readonly untilMs: number },
): Promise<EventEmission | undefined> {
  const recent = await table.queryAll(
    forJob('event', jobKey),
    'event',
    {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      FilterExpression: '#dk = :dk',
      ExpressionAttributeNames: {
        '#pk': STATE_TABLE.partitionKey,
        '#sk': STATE_TABLE.sortKey,
        '#dk': ATTR.eventKey,
      },
      ExpressionAttributeValues: {
        ':pk': pk,
        ':from': eventSortKeyFrom(window.fromMs),
        ':to': eventSortKeyUntil(window.untilMs),
        ':dk': dedupeKey,
      },
      ScanIndexForward: false,
      ConsistentRead: false,
    },
    1,
  );
  const latest = recent[0];
  if (!latest) return undefined;
  const firstTsMs = eventFirstTsOf(String(latest[STATE_TABLE.sortKey]));
  return {
    emitted: false,
    count: Number(latest[ATTR.eventCount] ?? 1),
    firstTsMs: firstTsMs ?? window.untilMs,
  };
}
