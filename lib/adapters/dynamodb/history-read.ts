/**
 * Decoding of a replay-history read (`StateStore.readHistory` on DynamoDB): the `HISTORY#` context
 * items and the retained `SAMPLE#` items of a range, joined by context hash. Never throws on bad
 * content: an unusable item is skipped and named with the reason.
 */
import type { HistoryEntry } from '../../domain/index.ts';
import type { SkippedHistoryItem, StoredHistory } from '../../ports/state-store.ts';
import { decodeBody } from './compressed-body.ts';
import { decodeContextItem, decodeRecordedDecision, type StoredContext } from './history-items.ts';
import { sampleTsOf } from './item-keys.ts';
import type { TableItem } from './job-items.ts';
import { decodeSampleBody } from './sample-codec.ts';
import { CorruptItemError } from './state-codec.ts';
import { ATTR, ITEM_SCHEMA_VERSION, STATE_TABLE } from './table-schema.ts';

/**
 * Joins the samples of a range (any order) with their contexts; the entries come oldest first.
 * Samples that expired before the newest sample read was taken are left out: DynamoDB deletes
 * expired items only within days and still returns them meanwhile ("Working with Time to Live",
 * DynamoDB developer guide), and their context may already be gone. The newest sample's time is
 * a lower bound of now in the table's own timeline, so virtual clocks (local world, sandbox) read
 * their history as a real one does.
 */
export function decodeHistoryItems(
  contextItems: readonly TableItem[],
  sampleItems: readonly TableItem[],
): StoredHistory {
  const skipped: SkippedHistoryItem[] = [];
  const contexts = new Map<string, StoredContext>();
  for (const item of contextItems) {
    try {
      const context = decodeContextItem(item);
      contexts.set(context.hash, context);
    } catch (error) {
      skipped.push({ item: String(item[STATE_TABLE.sortKey]), reason: `unreadable decision context: ${messageOf(error)}` });
    }
  }
  const entries: HistoryEntry[] = [];
  let windowOnlySamples = 0;
  const newestMs = sampleItems.reduce(
    (newest, item) => Math.max(newest, sampleTsOf(String(item[STATE_TABLE.sortKey])) ?? 0),
    0,
  );
  for (const item of sampleItems) {
    const expiresAt = item[STATE_TABLE.ttlAttribute];
    if (typeof expiresAt === 'number' && expiresAt * 1000 < newestMs) continue;
    const sortKey = String(item[STATE_TABLE.sortKey]);
    const hash = item[ATTR.historyHash];
    const decisionText = item[ATTR.decision];
    if (hash === undefined && decisionText === undefined) {
      windowOnlySamples++; // kept for the metric window only (retention 0, or written before the history)
      continue;
    }
    try {
      entries.push(historyEntryOf(item, sortKey, contexts));
    } catch (error) {
      skipped.push({ item: sortKey, reason: messageOf(error) });
    }
  }
  entries.sort((a, b) => a.sample.tsMs - b.sample.tsMs);
  return { entries, skipped, windowOnlySamples };
}

function historyEntryOf(item: TableItem, sortKey: string, contexts: ReadonlyMap<string, StoredContext>): HistoryEntry {
  const tsMs = sampleTsOf(sortKey);
  if (tsMs === undefined) throw new CorruptItemError('sort key has no 13-digit time');
  if (item[ATTR.schemaVersion] !== ITEM_SCHEMA_VERSION) {
    throw new CorruptItemError(`schema version ${JSON.stringify(item[ATTR.schemaVersion])} is not ${ITEM_SCHEMA_VERSION}`);
  }
  const hash = item[ATTR.historyHash];
  const decisionText = item[ATTR.decision];
  if (typeof hash !== 'string' || typeof decisionText !== 'string') {
    throw new CorruptItemError(`${ATTR.historyHash} and ${ATTR.decision} must both be strings`);
  }
  const stored = contexts.get(hash);
  if (!stored) throw new CorruptItemError(`its decision context ${hash} is not stored (expired, or its write failed)`);
  if (item[ATTR.epoch] !== stored.epoch) {
    throw new CorruptItemError(`epoch ${JSON.stringify(item[ATTR.epoch])} differs from its context's ${stored.epoch}`);
  }
  const sample = decodeSampleBody(decodeBody(item), tsMs, stored.vertexIds);
  const { decision, missingRequired } = decodeRecordedDecision(decisionText, stored.vertexIds);
  return {
    sample,
    epoch: stored.epoch,
    decision,
    ...(missingRequired ? { missingRequired } : {}),
    context: stored.context,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
