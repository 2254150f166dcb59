import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type AutoscalerEvent, formatJobKey, type JobKey } from '../../domain/index.ts';
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
  StateStoreInputError,
  type StoredEvent,
  type StoredHistory,
} from '../../ports/state-store.ts';
import { DEFAULT_EVENT_TTL_MS } from '../state/event-log.ts';
import { defaultItemLimits, type ItemLimits } from '../state/save-window.ts';
import {
  validateEpochMs,
  validateEventTtlMs,
  validateHistoryRange,
  validateLoadOptions,
} from '../state/store-input.ts';
import { appendEventItem, listEventItems } from './dynamodb-event-log.ts';
import { decodeHistoryItems } from './history-read.ts';
import { historySortKey } from './history-items.ts';
import { partitionKeyOf, sampleSortKey } from './item-keys.ts';
import { decodeJobItems, planSave } from './job-items.ts';
import {
  decodeRunItem,
  isForgottenOnCleanup,
  jobKeyOfPartitionKey,
  registryItem,
  runItem,
} from './job-registry.ts';
import {
  type CapacityReport,
  type DocumentClient,
  failedForJob,
  forJob,
  isConditionFailure,
  StateTable,
} from './state-table.ts';
import { ATTR, REGISTRY_PARTITION_KEY, SORT_KEYS, STATE_TABLE } from './table-schema.ts';

export type { CapacityReport, DocumentClient } from './state-table.ts';

/** Options of {@link DynamoDbStateStore}. */
export interface DynamoDbStateStoreOptions {
  readonly tableName: string;
  /** Event log retention. Default 90 days. */
  readonly eventTtlMs?: number;
  /** Item size limits. Default {@link defaultItemLimits}. */
  readonly limits?: Partial<ItemLimits>;
  /** Called with the consumed capacity of every request (the benchmark uses it). */
  readonly onCapacity?: (report: CapacityReport) => void;
}

/**
 * {@link StateStore} on the single DynamoDB table of docs/design.md §5.
 *
 * Per cycle: one eventually consistent Query (`sk BETWEEN SAMPLE#<since> AND STATE#RUN`: the window's
 * samples, the state and the last run, but neither the event log, the replay history's contexts nor
 * samples older than the window), then at most two writes: the STATE item conditional on its
 * revision, then the sample (which carries the cycle's decision when the replay history is kept).
 * A steady cycle, whose state changed only by bookkeeping, writes the sample alone
 * (../state/state-write-elision.ts); its state is written again every 15 minutes.
 * A third write, the history context, comes only when the job's topology, configuration or epoch
 * changed, or once per retention. Not a TransactWriteItems: that
 * doubles the write units, and the order already guarantees that a run losing the revision race
 * never writes its sample; a crash between the two writes loses one sample, which the window
 * math tolerates.
 */
export class DynamoDbStateStore implements StateStore {
  readonly #table: StateTable;
  readonly #eventTtlMs: number;
  readonly #limits: ItemLimits;

  constructor(client: DocumentClient, options: DynamoDbStateStoreOptions) {
    if (typeof options?.tableName !== 'string' || options.tableName.length < 3) {
      throw new StateStoreInputError(
        'tableName',
        `${JSON.stringify(options?.tableName)} is not a table name`,
      );
    }
    const eventTtlMs = options.eventTtlMs ?? DEFAULT_EVENT_TTL_MS;
    validateEventTtlMs(eventTtlMs);
    this.#table = new StateTable(client, options.tableName, options.onCapacity);
    this.#eventTtlMs = eventTtlMs;
    this.#limits = { ...defaultItemLimits(), ...options.limits };
  }

  async load(jobKey: JobKey, options: LoadOptions): Promise<LoadedJob> {
    const pk = partitionKeyOf(jobKey);
    validateLoadOptions(options);
    const since = Math.max(0, Math.ceil(options.sinceMs));
    const items = await this.#table.queryAll(forJob('load', jobKey), 'load', {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': STATE_TABLE.partitionKey, '#sk': STATE_TABLE.sortKey },
      ExpressionAttributeValues: { ':pk': pk, ':from': sampleSortKey(since), ':to': SORT_KEYS.run },
      // Eventually consistent, half the read units: the items were written by the job's previous
      // cycle, a cadence ago, long since readable everywhere ("Read consistency", DynamoDB
      // Developer Guide: usually within a second). Should a read ever be stale, the state write
      // is conditional on the loaded revision: the cycle stops before realize, and the next tick
      // runs normally.
      ConsistentRead: false,
    });
    return decodeJobItems(items, options.sinceMs);
  }

  async save(jobKey: JobKey, loaded: LoadedJob, request: SaveRequest): Promise<SaveResult> {
    const pk = partitionKeyOf(jobKey);
    const plan = planSave(pk, loaded, request, this.#limits);
    const expected = loaded.basis.revision;
    if (plan.historyContextItem) {
      try {
        const out = await this.#table.client.send(
          new PutCommand({ TableName: this.#table.name, Item: plan.historyContextItem, ...this.#table.capacityRequest() }),
        );
        this.#table.report('save-history-context', out.ConsumedCapacity?.CapacityUnits);
      } catch (error) {
        throw failedForJob(error, 'save history context', jobKey);
      }
    }
    if (expected === 0) {
      // First save of this job (or of replaced state): register it before the state exists, so a
      // job with state is always listed for clean-up. A repeat is an idempotent overwrite.
      try {
        const out = await this.#table.client.send(
          new PutCommand({ TableName: this.#table.name, Item: registryItem(pk), ...this.#table.capacityRequest() }),
        );
        this.#table.report('registry', out.ConsumedCapacity?.CapacityUnits);
      } catch (error) {
        throw failedForJob(error, 'register job', jobKey);
      }
    }
    if (plan.stateItem) {
      try {
        const out = await this.#table.client.send(
          new PutCommand({
            TableName: this.#table.name,
            Item: plan.stateItem,
            ...(expected > 0
              ? {
                  ConditionExpression: '#rev = :expected',
                  ExpressionAttributeValues: { ':expected': expected },
                }
              : {
                  // Nothing stored, or a corrupt item without a numeric revision to overwrite.
                  ConditionExpression: 'attribute_not_exists(#rev) OR NOT attribute_type(#rev, :number)',
                  ExpressionAttributeValues: { ':number': 'N' },
                }),
            ExpressionAttributeNames: { '#rev': ATTR.revision },
            ...this.#table.capacityRequest(),
          }),
        );
        this.#table.report('save-state', out.ConsumedCapacity?.CapacityUnits);
      } catch (error) {
        if (isConditionFailure(error))
          throw new StateConflictError(formatJobKey(jobKey), expected, { cause: error });
        throw failedForJob(error, 'save state', jobKey);
      }
    }
    if (plan.sampleItem) {
      try {
        const out = await this.#table.client.send(
          new PutCommand({ TableName: this.#table.name, Item: plan.sampleItem, ...this.#table.capacityRequest() }),
        );
        this.#table.report('save-sample', out.ConsumedCapacity?.CapacityUnits);
      } catch (error) {
        throw failedForJob(error, 'save sample', jobKey);
      }
    }
    return {
      revision: plan.revision,
      stateWritten: plan.stateItem !== undefined,
      stateBytes: plan.stateBytes,
      sampleBytes: plan.sampleBytes,
      trimmed: plan.trimmed,
      windowReset: plan.windowReset,
    };
  }

  async readHistory(jobKey: JobKey, range: HistoryRange): Promise<StoredHistory> {
    const pk = partitionKeyOf(jobKey);
    validateHistoryRange(range);
    const names = { '#pk': STATE_TABLE.partitionKey, '#sk': STATE_TABLE.sortKey };
    // Every context up to the range's end: a sample may refer to one written before the range.
    const contextItems = await this.#table.queryAll(forJob('read history contexts', jobKey), 'read-history', {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': pk, ':from': historySortKey(0), ':to': historySortKey(range.toMs) },
    });
    // Eventually consistent (half the read units): a replay does not need the last second.
    const sampleItems = await this.#table.queryAll(forJob('read history samples', jobKey), 'read-history', {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': pk, ':from': sampleSortKey(range.fromMs), ':to': sampleSortKey(range.toMs) },
    });
    return decodeHistoryItems(contextItems, sampleItems);
  }

  async appendEvent(jobKey: JobKey, event: AutoscalerEvent, nowMs: number): Promise<EventEmission> {
    return appendEventItem(this.#table, this.#eventTtlMs, jobKey, partitionKeyOf(jobKey), event, nowMs);
  }

  async listEvents(jobKey: JobKey, options: ListEventsOptions = {}): Promise<StoredEvent[]> {
    return listEventItems(this.#table, jobKey, partitionKeyOf(jobKey), options);
  }

  async listJobKeys(): Promise<JobKey[]> {
    const items = await this.#table.queryAll('list job keys', 'registry', {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': STATE_TABLE.partitionKey },
      ExpressionAttributeValues: { ':pk': REGISTRY_PARTITION_KEY },
    });
    return items.flatMap((item) => jobKeyOfPartitionKey(String(item[STATE_TABLE.sortKey])) ?? []);
  }

  async forgetJob(jobKey: JobKey): Promise<ForgetResult> {
    const pk = partitionKeyOf(jobKey);
    const items = await this.#table.queryAll(forJob('forget', jobKey), 'forget', {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: {
        '#pk': STATE_TABLE.partitionKey,
        '#sk': STATE_TABLE.sortKey,
        '#hh': ATTR.historyHash,
      },
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: '#pk, #sk, #hh',
      ConsistentRead: true,
    });
    // The replay history (retained samples, with a context hash, and their contexts) is left to
    // its TTL: deleting a week of samples one by one would cost a write each.
    const keys = items
      .filter((item) => !isRetainedHistory(item))
      .map((item) => String(item[STATE_TABLE.sortKey]))
      .filter(isForgottenOnCleanup)
      .map((sk) => ({ pk, sk }));
    keys.push({ pk: REGISTRY_PARTITION_KEY, sk: pk });
    let deleted = 0;
    // Plain deletes (the worker's role already has DeleteItem); a job has a window of samples,
    // tens of items, and this runs once per job.
    for (const key of keys) {
      try {
        const out = await this.#table.client.send(
          new DeleteCommand({
            TableName: this.#table.name,
            Key: { [STATE_TABLE.partitionKey]: key.pk, [STATE_TABLE.sortKey]: key.sk },
            ReturnValues: 'ALL_OLD',
            ...this.#table.capacityRequest(),
          }),
        );
        this.#table.report('forget', out.ConsumedCapacity?.CapacityUnits);
        if (out.Attributes) deleted += 1;
      } catch (error) {
        throw failedForJob(error, 'forget job', jobKey);
      }
    }
    return { itemsDeleted: deleted };
  }

  async recordRun(jobKey: JobKey, run: RunRecord): Promise<void> {
    const pk = partitionKeyOf(jobKey);
    validateEpochMs('run.atMs', run?.atMs);
    try {
      const out = await this.#table.client.send(
        new PutCommand({ TableName: this.#table.name, Item: runItem(pk, run), ...this.#table.capacityRequest() }),
      );
      this.#table.report('run', out.ConsumedCapacity?.CapacityUnits);
    } catch (error) {
      throw failedForJob(error, 'record run', jobKey);
    }
  }

  async lastRun(jobKey: JobKey): Promise<RunRecord | undefined> {
    const pk = partitionKeyOf(jobKey);
    try {
      const out = await this.#table.client.send(
        new GetCommand({
          TableName: this.#table.name,
          Key: { [STATE_TABLE.partitionKey]: pk, [STATE_TABLE.sortKey]: SORT_KEYS.run },
        }),
      );
      return decodeRunItem(out.Item);
    } catch (error) {
      throw failedForJob(error, 'read run', jobKey);
    }
  }
}

/** A SAMPLE item kept for the replay history, or a history context: left to TTL by a clean-up. */
function isRetainedHistory(item: Readonly<Record<string, unknown>>): boolean {
  const sortKey = String(item[STATE_TABLE.sortKey]);
  if (sortKey.startsWith(SORT_KEYS.historyPrefix)) return true;
  return sortKey.startsWith(SORT_KEYS.samplePrefix) && item[ATTR.historyHash] !== undefined;
}
