import { type AutoscalerEvent, formatJobKey, type JobKey } from '../../domain/index.ts';
import type { EventEmission } from '../../ports/event-sink.ts';
import {
  type ForgetResult,
  type Lease,
  LeaseHeldError,
  type LeaseRequest,
  type ListEventsOptions,
  type LoadedJob,
  type LoadOptions,
  type RunRecord,
  type SaveRequest,
  type SaveResult,
  StateConflictError,
  type StateStore,
  StateStoreError,
  StateStoreInputError,
  type StoredEvent,
} from '../../ports/state-store.ts';
import {
  DEFAULT_EVENT_TTL_MS,
  decodeEventItem,
  eventDedupeKey,
  eventFirstTsOf,
  isDeduplicated,
  newEventItem,
  storedEventMessage,
  validateEvent,
} from '../dynamodb/event-items.ts';
import {
  eventSortKeyFrom,
  eventSortKeyUntil,
  partitionKeyOf,
  sampleSortKey,
  validateEpochMs,
} from '../dynamodb/item-keys.ts';
import {
  decodeJobItems,
  defaultItemLimits,
  type ItemLimits,
  planSave,
  type TableItem,
} from '../dynamodb/job-items.ts';
import {
  decodeRunItem,
  isForgottenOnCleanup,
  jobKeyOfPartitionKey,
  registryItem,
  runItem,
} from '../dynamodb/job-registry.ts';
import { ATTR, REGISTRY_PARTITION_KEY, SORT_KEYS, STATE_TABLE } from '../dynamodb/table-schema.ts';

/** Options of {@link InMemoryStateStore}. */
export interface InMemoryStateStoreOptions {
  /** Event log retention (stored as the items' TTL; nothing expires in memory). Default 90 days. */
  readonly eventTtlMs?: number;
  readonly limits?: Partial<ItemLimits>;
}

/**
 * {@link StateStore} kept in process memory, for unit tests, dry runs and the CLI's local mode.
 * It stores the very items the DynamoDB adapter writes (same encoding, rounding, trimming and
 * window epochs, from `../dynamodb/job-items.ts`) and re-implements only the conditional
 * writes, so the shared contract suite holds for both. Nothing survives the process.
 */
export class InMemoryStateStore implements StateStore {
  readonly #tables = new Map<string, Map<string, TableItem>>();
  readonly #eventTtlMs: number;
  readonly #limits: ItemLimits;

  constructor(options: InMemoryStateStoreOptions = {}) {
    this.#eventTtlMs = options.eventTtlMs ?? DEFAULT_EVENT_TTL_MS;
    if (!Number.isFinite(this.#eventTtlMs) || this.#eventTtlMs <= 0) {
      throw new StateStoreInputError('eventTtlMs', `${this.#eventTtlMs} is not a positive duration`);
    }
    this.#limits = { ...defaultItemLimits(), ...options.limits };
  }

  async load(jobKey: JobKey, options: LoadOptions): Promise<LoadedJob> {
    const pk = partitionKeyOf(jobKey);
    if (!Number.isFinite(options?.sinceMs)) {
      throw new StateStoreInputError('options.sinceMs', `${options?.sinceMs} is not a number`);
    }
    const from = sampleSortKey(Math.max(0, Math.ceil(options.sinceMs)));
    const items = this.#range(pk, from, SORT_KEYS.state);
    return decodeJobItems(items, options.sinceMs);
  }

  async save(jobKey: JobKey, loaded: LoadedJob, request: SaveRequest): Promise<SaveResult> {
    const pk = partitionKeyOf(jobKey);
    const plan = planSave(pk, loaded, request, this.#limits);
    const expected = loaded.basis.revision;
    const storedRevision = this.#get(pk, SORT_KEYS.state)?.[ATTR.revision];
    const matches =
      expected > 0
        ? storedRevision === expected
        : storedRevision === undefined || typeof storedRevision !== 'number';
    if (!matches) throw new StateConflictError(formatJobKey(jobKey), expected);
    if (expected === 0) this.#put(registryItem(pk));
    this.#put(plan.stateItem);
    if (plan.sampleItem) this.#put(plan.sampleItem);
    return {
      revision: plan.revision,
      stateBytes: plan.stateBytes,
      sampleBytes: plan.sampleBytes,
      trimmed: plan.trimmed,
      windowReset: plan.windowReset,
    };
  }

  async acquireLease(jobKey: JobKey, request: LeaseRequest): Promise<Lease> {
    const pk = partitionKeyOf(jobKey);
    if (typeof request?.owner !== 'string' || request.owner.length === 0) {
      throw new StateStoreInputError('request.owner', 'must be a non-empty string');
    }
    validateEpochMs('request.nowMs', request.nowMs);
    if (!Number.isFinite(request.ttlMs) || request.ttlMs <= 0) {
      throw new StateStoreInputError('request.ttlMs', `${request.ttlMs} is not a positive duration`);
    }
    const held = this.#get(pk, SORT_KEYS.lease);
    const owner = held?.[ATTR.leaseOwner] as string | undefined;
    const until = held?.[ATTR.leaseUntilMs] as number | undefined;
    if (held && owner !== request.owner && until !== undefined && until > request.nowMs) {
      throw new LeaseHeldError(
        formatJobKey(jobKey),
        owner !== undefined ? { owner, expiresAtMs: until } : undefined,
      );
    }
    const expiresAtMs = request.nowMs + request.ttlMs;
    this.#put({
      [STATE_TABLE.partitionKey]: pk,
      [STATE_TABLE.sortKey]: SORT_KEYS.lease,
      [ATTR.leaseOwner]: request.owner,
      [ATTR.leaseUntilMs]: expiresAtMs,
    });
    return { owner: request.owner, expiresAtMs };
  }

  async releaseLease(jobKey: JobKey, owner: string): Promise<boolean> {
    const pk = partitionKeyOf(jobKey);
    if (typeof owner !== 'string' || owner.length === 0)
      throw new StateStoreInputError('owner', 'must be non-empty');
    if (this.#get(pk, SORT_KEYS.lease)?.[ATTR.leaseOwner] !== owner) return false;
    this.#tables.get(pk)?.delete(SORT_KEYS.lease);
    return true;
  }

  async appendEvent(jobKey: JobKey, event: AutoscalerEvent, nowMs: number): Promise<EventEmission> {
    const pk = partitionKeyOf(jobKey);
    validateEvent(event, nowMs);
    if (isDeduplicated(event)) {
      const key = eventDedupeKey(event);
      const from = eventSortKeyFrom(nowMs - (event.dedupeIntervalMs ?? 0) + 1);
      const latest = this.#range(pk, from, eventSortKeyUntil(nowMs))
        .reverse()
        .find((item) => item[ATTR.eventKey] === key);
      if (latest) {
        const count = (latest[ATTR.eventCount] as number) + 1;
        this.#put({
          ...latest,
          [ATTR.eventCount]: count,
          [ATTR.eventLastMs]: nowMs,
          [ATTR.eventMessage]: storedEventMessage(event.message),
        });
        const firstTsMs = eventFirstTsOf(latest[STATE_TABLE.sortKey] as string) ?? nowMs;
        return { emitted: false, count, firstTsMs };
      }
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const item = newEventItem(pk, event, nowMs + attempt, this.#eventTtlMs);
      if (this.#get(pk, item[STATE_TABLE.sortKey] as string)) continue;
      this.#put(item);
      return { emitted: true, count: 1, firstTsMs: nowMs + attempt };
    }
    throw new StateStoreError(`append event for ${formatJobKey(jobKey)}: 5 colliding events at ${nowMs}`);
  }

  async listEvents(jobKey: JobKey, options: ListEventsOptions = {}): Promise<StoredEvent[]> {
    const pk = partitionKeyOf(jobKey);
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit <= 0)
      throw new StateStoreInputError('options.limit', `${limit}`);
    return this.#range(pk, eventSortKeyFrom(options.sinceMs ?? 0), `${SORT_KEYS.eventPrefix}~`)
      .reverse()
      .slice(0, limit)
      .flatMap((item) => decodeEventItem(item) ?? []);
  }

  async listJobKeys(): Promise<JobKey[]> {
    const registry = this.#tables.get(REGISTRY_PARTITION_KEY);
    return [...(registry?.keys() ?? [])].sort().flatMap((sk) => jobKeyOfPartitionKey(sk) ?? []);
  }

  async forgetJob(jobKey: JobKey): Promise<ForgetResult> {
    const pk = partitionKeyOf(jobKey);
    let deleted = 0;
    const table = this.#tables.get(pk);
    for (const sk of [...(table?.keys() ?? [])]) {
      if (isForgottenOnCleanup(sk) && table?.delete(sk)) deleted += 1;
    }
    if (this.#tables.get(REGISTRY_PARTITION_KEY)?.delete(pk)) deleted += 1;
    return { itemsDeleted: deleted };
  }

  async recordRun(jobKey: JobKey, run: RunRecord): Promise<void> {
    const pk = partitionKeyOf(jobKey);
    validateEpochMs('run.atMs', run?.atMs);
    this.#put(runItem(pk, run));
  }

  async lastRun(jobKey: JobKey): Promise<RunRecord | undefined> {
    return decodeRunItem(this.#get(partitionKeyOf(jobKey), SORT_KEYS.run));
  }

  /** Items of `pk` with `from ≤ sk ≤ to`, in sort-key order (copies). */
  #range(pk: string, from: string, to: string): TableItem[] {
    const table = this.#tables.get(pk);
    if (!table) return [];
    return [...table.entries()]
      .filter(([sk]) => sk >= from && sk <= to)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => structuredClone(item));
  }

  #get(pk: string, sk: string): TableItem | undefined {
    const item = this.#tables.get(pk)?.get(sk);
    return item ? structuredClone(item) : undefined;
  }

  #put(item: TableItem): void {
    const pk = item[STATE_TABLE.partitionKey] as string;
    let table = this.#tables.get(pk);
    if (!table) {
      table = new Map();
      this.#tables.set(pk, table);
    }
    table.set(item[STATE_TABLE.sortKey] as string, structuredClone(item));
  }
}
