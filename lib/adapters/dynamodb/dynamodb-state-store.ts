import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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
} from './event-items.ts';
import {
  eventSortKeyFrom,
  eventSortKeyUntil,
  partitionKeyOf,
  sampleSortKey,
  validateEpochMs,
} from './item-keys.ts';
import { decodeJobItems, defaultItemLimits, type ItemLimits, planSave, type TableItem } from './job-items.ts';
import {
  decodeRunItem,
  isForgottenOnCleanup,
  jobKeyOfPartitionKey,
  registryItem,
  runItem,
} from './job-registry.ts';
import { ATTR, ITEM_SCHEMA_VERSION, REGISTRY_PARTITION_KEY, SORT_KEYS, STATE_TABLE } from './table-schema.ts';

/** The only client capability the adapter needs; a `DynamoDBDocumentClient` satisfies it. */
export type DocumentClient = Pick<DynamoDBDocumentClient, 'send'>;

/** Capacity consumed by one DynamoDB request (reported when a listener is set). */
export interface CapacityReport {
  readonly operation:
    | 'load'
    | 'save-state'
    | 'save-sample'
    | 'lease'
    | 'release'
    | 'event'
    | 'list-events'
    | 'registry'
    | 'forget'
    | 'run';
  readonly capacityUnits: number;
}

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

/** Days a released-by-expiry lease item lingers before TTL removes it. */
const LEASE_ITEM_TTL_GRACE_S = 24 * 60 * 60;

/**
 * {@link StateStore} on the single DynamoDB table of design §5.
 *
 * Per cycle: one strongly consistent Query (`sk BETWEEN SAMPLE#<since> AND STATE`, so neither the
 * event log nor samples that TTL has not yet removed are read), then at most two writes: the
 * STATE item conditional on its revision, then the sample. Not a TransactWriteItems: that
 * doubles the write units, and the order already guarantees that a run losing the revision race
 * never writes its sample; a crash between the two writes loses one sample, which the window
 * math tolerates.
 */
export class DynamoDbStateStore implements StateStore {
  readonly #client: DocumentClient;
  readonly #table: string;
  readonly #eventTtlMs: number;
  readonly #limits: ItemLimits;
  readonly #onCapacity: ((report: CapacityReport) => void) | undefined;

  constructor(client: DocumentClient, options: DynamoDbStateStoreOptions) {
    if (typeof options?.tableName !== 'string' || options.tableName.length < 3) {
      throw new StateStoreInputError(
        'tableName',
        `${JSON.stringify(options?.tableName)} is not a table name`,
      );
    }
    const eventTtlMs = options.eventTtlMs ?? DEFAULT_EVENT_TTL_MS;
    if (!Number.isFinite(eventTtlMs) || eventTtlMs <= 0) {
      throw new StateStoreInputError('eventTtlMs', `${eventTtlMs} is not a positive duration`);
    }
    this.#client = client;
    this.#table = options.tableName;
    this.#eventTtlMs = eventTtlMs;
    this.#limits = { ...defaultItemLimits(), ...options.limits };
    this.#onCapacity = options.onCapacity;
  }

  async load(jobKey: JobKey, options: LoadOptions): Promise<LoadedJob> {
    const pk = partitionKeyOf(jobKey);
    if (!Number.isFinite(options?.sinceMs)) {
      throw new StateStoreInputError('options.sinceMs', `${options?.sinceMs} is not a number`);
    }
    const since = Math.max(0, Math.ceil(options.sinceMs));
    const items = await this.#queryAll(forJob('load', jobKey), 'load', {
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': STATE_TABLE.partitionKey, '#sk': STATE_TABLE.sortKey },
      ExpressionAttributeValues: { ':pk': pk, ':from': sampleSortKey(since), ':to': SORT_KEYS.state },
      // Strongly consistent: a stale revision would only produce a conflict on save.
      ConsistentRead: true,
    });
    return decodeJobItems(items, options.sinceMs);
  }

  async save(jobKey: JobKey, loaded: LoadedJob, request: SaveRequest): Promise<SaveResult> {
    const pk = partitionKeyOf(jobKey);
    const plan = planSave(pk, loaded, request, this.#limits);
    const expected = loaded.basis.revision;
    if (expected === 0) {
      // First save of this job (or of replaced state): register it before the state exists, so a
      // job with state is always listed for clean-up. A repeat is an idempotent overwrite.
      try {
        const out = await this.#client.send(
          new PutCommand({ TableName: this.#table, Item: registryItem(pk), ...this.#capacityRequest() }),
        );
        this.#report('registry', out.ConsumedCapacity?.CapacityUnits);
      } catch (error) {
        throw this.#wrap(error, 'register job', jobKey);
      }
    }
    try {
      const out = await this.#client.send(
        new PutCommand({
          TableName: this.#table,
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
          ...this.#capacityRequest(),
        }),
      );
      this.#report('save-state', out.ConsumedCapacity?.CapacityUnits);
    } catch (error) {
      if (isConditionFailure(error))
        throw new StateConflictError(formatJobKey(jobKey), expected, { cause: error });
      throw this.#wrap(error, 'save state', jobKey);
    }
    if (plan.sampleItem) {
      try {
        const out = await this.#client.send(
          new PutCommand({ TableName: this.#table, Item: plan.sampleItem, ...this.#capacityRequest() }),
        );
        this.#report('save-sample', out.ConsumedCapacity?.CapacityUnits);
      } catch (error) {
        throw this.#wrap(error, 'save sample', jobKey);
      }
    }
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
    validateLeaseRequest(request);
    const expiresAtMs = request.nowMs + request.ttlMs;
    try {
      const out = await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            [STATE_TABLE.partitionKey]: pk,
            [STATE_TABLE.sortKey]: SORT_KEYS.lease,
            [ATTR.schemaVersion]: ITEM_SCHEMA_VERSION,
            [ATTR.leaseOwner]: request.owner,
            [ATTR.leaseUntilMs]: expiresAtMs,
            // TTL only tidies up; expiry is decided by `until`, since TTL deletion lags by days.
            [STATE_TABLE.ttlAttribute]: Math.ceil(expiresAtMs / 1000) + LEASE_ITEM_TTL_GRACE_S,
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #until <= :now OR #owner = :owner',
          ExpressionAttributeNames: {
            '#pk': STATE_TABLE.partitionKey,
            '#until': ATTR.leaseUntilMs,
            '#owner': ATTR.leaseOwner,
          },
          ExpressionAttributeValues: { ':now': request.nowMs, ':owner': request.owner },
          ...this.#capacityRequest(),
        }),
      );
      this.#report('lease', out.ConsumedCapacity?.CapacityUnits);
      return { owner: request.owner, expiresAtMs };
    } catch (error) {
      if (!isConditionFailure(error)) throw this.#wrap(error, 'acquire lease', jobKey);
      throw new LeaseHeldError(formatJobKey(jobKey), await this.#readLease(pk), { cause: error });
    }
  }

  async releaseLease(jobKey: JobKey, owner: string): Promise<boolean> {
    const pk = partitionKeyOf(jobKey);
    if (typeof owner !== 'string' || owner.length === 0)
      throw new StateStoreInputError('owner', 'must be non-empty');
    try {
      const out = await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { [STATE_TABLE.partitionKey]: pk, [STATE_TABLE.sortKey]: SORT_KEYS.lease },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': ATTR.leaseOwner },
          ExpressionAttributeValues: { ':owner': owner },
          ...this.#capacityRequest(),
        }),
      );
      this.#report('release', out.ConsumedCapacity?.CapacityUnits);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw this.#wrap(error, 'release lease', jobKey);
    }
  }

  async appendEvent(jobKey: JobKey, event: AutoscalerEvent, nowMs: number): Promise<EventEmission> {
    const pk = partitionKeyOf(jobKey);
    validateEvent(event, nowMs);
    if (isDeduplicated(event)) {
      const folded = await this.#foldIntoRecent(pk, jobKey, event, nowMs);
      if (folded) return folded;
    }
    // Same-ms collisions of the same key (never-deduplicated events) move on by one ms.
    for (let attempt = 0; attempt < 5; attempt++) {
      const tsMs = nowMs + attempt;
      try {
        const out = await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: newEventItem(pk, event, tsMs, this.#eventTtlMs),
            ConditionExpression: 'attribute_not_exists(#sk)',
            ExpressionAttributeNames: { '#sk': STATE_TABLE.sortKey },
            ...this.#capacityRequest(),
          }),
        );
        this.#report('event', out.ConsumedCapacity?.CapacityUnits);
        return { emitted: true, count: 1, firstTsMs: tsMs };
      } catch (error) {
        if (!isConditionFailure(error)) throw this.#wrap(error, 'append event', jobKey);
      }
    }
    throw new StateStoreError(`append event for ${formatJobKey(jobKey)}: 5 colliding events at ${nowMs}`);
  }

  async listEvents(jobKey: JobKey, options: ListEventsOptions = {}): Promise<StoredEvent[]> {
    const pk = partitionKeyOf(jobKey);
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit <= 0)
      throw new StateStoreInputError('options.limit', `${limit}`);
    const items = await this.#queryAll(
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

  async listJobKeys(): Promise<JobKey[]> {
    const items = await this.#queryAll('list job keys', 'registry', {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': STATE_TABLE.partitionKey },
      ExpressionAttributeValues: { ':pk': REGISTRY_PARTITION_KEY },
    });
    return items.flatMap((item) => jobKeyOfPartitionKey(String(item[STATE_TABLE.sortKey])) ?? []);
  }

  async forgetJob(jobKey: JobKey): Promise<ForgetResult> {
    const pk = partitionKeyOf(jobKey);
    const items = await this.#queryAll(forJob('forget', jobKey), 'forget', {
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': STATE_TABLE.partitionKey, '#sk': STATE_TABLE.sortKey },
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: '#pk, #sk',
      ConsistentRead: true,
    });
    const keys = items
      .map((item) => String(item[STATE_TABLE.sortKey]))
      .filter(isForgottenOnCleanup)
      .map((sk) => ({ pk, sk }));
    keys.push({ pk: REGISTRY_PARTITION_KEY, sk: pk });
    let deleted = 0;
    // Plain deletes (the worker's role already has DeleteItem); a job has a window of samples,
    // tens of items, and this runs once per job.
    for (const key of keys) {
      try {
        const out = await this.#client.send(
          new DeleteCommand({
            TableName: this.#table,
            Key: { [STATE_TABLE.partitionKey]: key.pk, [STATE_TABLE.sortKey]: key.sk },
            ReturnValues: 'ALL_OLD',
            ...this.#capacityRequest(),
          }),
        );
        this.#report('forget', out.ConsumedCapacity?.CapacityUnits);
        if (out.Attributes) deleted += 1;
      } catch (error) {
        throw this.#wrap(error, 'forget job', jobKey);
      }
    }
    return { itemsDeleted: deleted };
  }

  async recordRun(jobKey: JobKey, run: RunRecord): Promise<void> {
    const pk = partitionKeyOf(jobKey);
    validateEpochMs('run.atMs', run?.atMs);
    try {
      const out = await this.#client.send(
        new PutCommand({ TableName: this.#table, Item: runItem(pk, run), ...this.#capacityRequest() }),
      );
      this.#report('run', out.ConsumedCapacity?.CapacityUnits);
    } catch (error) {
      throw this.#wrap(error, 'record run', jobKey);
    }
  }

  async lastRun(jobKey: JobKey): Promise<RunRecord | undefined> {
    const pk = partitionKeyOf(jobKey);
    try {
      const out = await this.#client.send(
        new GetCommand({
          TableName: this.#table,
          Key: { [STATE_TABLE.partitionKey]: pk, [STATE_TABLE.sortKey]: SORT_KEYS.run },
        }),
      );
      return decodeRunItem(out.Item);
    } catch (error) {
      throw this.#wrap(error, 'read run', jobKey);
    }
  }

  /** Folds `event` into the newest same-key entry first emitted within its interval, if any. */
  async #foldIntoRecent(
    pk: string,
    jobKey: JobKey,
    event: AutoscalerEvent,
    nowMs: number,
  ): Promise<EventEmission | undefined> {
    const recent = await this.#queryAll(
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
          // "Within the interval" of the first emission, as the JDBC event handler measures it.
          ':from': eventSortKeyFrom(nowMs - (event.dedupeIntervalMs ?? 0) + 1),
          ':to': eventSortKeyUntil(nowMs),
          ':dk': eventDedupeKey(event),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      1,
    );
    const latest = recent[0];
    if (!latest) return undefined;
    try {
      const out = await this.#client.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { [STATE_TABLE.partitionKey]: pk, [STATE_TABLE.sortKey]: latest[STATE_TABLE.sortKey] },
          UpdateExpression: 'SET #cnt = #cnt + :one, #last = :now, #msg = :msg',
          ConditionExpression: 'attribute_exists(#cnt)',
          ExpressionAttributeNames: {
            '#cnt': ATTR.eventCount,
            '#last': ATTR.eventLastMs,
            '#msg': ATTR.eventMessage,
          },
          ExpressionAttributeValues: { ':one': 1, ':now': nowMs, ':msg': storedEventMessage(event.message) },
          ReturnValues: 'ALL_NEW',
          ...this.#capacityRequest(),
        }),
      );
      this.#report('event', out.ConsumedCapacity?.CapacityUnits);
      return {
        emitted: false,
        count: Number(out.Attributes?.[ATTR.eventCount] ?? 0),
        firstTsMs: eventFirstTsOf(String(latest[STATE_TABLE.sortKey])) ?? nowMs,
      };
    } catch (error) {
      if (isConditionFailure(error)) return undefined; // expired meanwhile: emit a new entry
      throw this.#wrap(error, 'update event', jobKey);
    }
  }

  async #readLease(pk: string): Promise<Lease | undefined> {
    try {
      const out = await this.#client.send(
        new GetCommand({
          TableName: this.#table,
          Key: { [STATE_TABLE.partitionKey]: pk, [STATE_TABLE.sortKey]: SORT_KEYS.lease },
          ConsistentRead: true,
        }),
      );
      const owner = out.Item?.[ATTR.leaseOwner];
      const until = out.Item?.[ATTR.leaseUntilMs];
      return typeof owner === 'string' && typeof until === 'number'
        ? { owner, expiresAtMs: until }
        : undefined;
    } catch {
      return undefined; // the holder is only informational
    }
  }

  /**
   * Runs a Query to the end (or until `stopAfter` items), following LastEvaluatedKey; a failure
   * names `what` ("load for <job>").
   */
  async #queryAll(
    what: string,
    operation: CapacityReport['operation'],
    input: Omit<QueryCommandInput, 'TableName'>,
    stopAfter = Number.POSITIVE_INFINITY,
  ): Promise<TableItem[]> {
    const items: TableItem[] = [];
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.#client.send(
          new QueryCommand({
            ...input,
            TableName: this.#table,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
            ...this.#capacityRequest(),
          }),
        );
        this.#report(operation, out.ConsumedCapacity?.CapacityUnits);
        items.push(...(out.Items ?? []));
        startKey = out.LastEvaluatedKey;
      } while (startKey && items.length < stopAfter);
    } catch (error) {
      throw failed(error, what);
    }
    return items;
  }

  #capacityRequest(): { ReturnConsumedCapacity?: 'TOTAL' } {
    return this.#onCapacity ? { ReturnConsumedCapacity: 'TOTAL' } : {};
  }

  #report(operation: CapacityReport['operation'], capacityUnits: number | undefined): void {
    if (this.#onCapacity && capacityUnits !== undefined) this.#onCapacity({ operation, capacityUnits });
  }

  #wrap(error: unknown, operation: string, jobKey: JobKey): StateStoreError {
    return failed(error, forJob(operation, jobKey));
  }
}

/** "load for cluster/namespace/Kind/name". */
function forJob(operation: string, jobKey: JobKey): string {
  return `${operation} for ${formatJobKey(jobKey)}`;
}

/** The StateStoreError of a failed DynamoDB call, naming what was attempted. */
function failed(error: unknown, what: string): StateStoreError {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new StateStoreError(`DynamoDB ${what} failed: ${message}`, { cause: error });
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function validateLeaseRequest(request: LeaseRequest): void {
  if (typeof request?.owner !== 'string' || request.owner.length === 0) {
    throw new StateStoreInputError('request.owner', 'must be a non-empty string');
  }
  validateEpochMs('request.nowMs', request.nowMs);
  if (!Number.isFinite(request.ttlMs) || request.ttlMs <= 0) {
    throw new StateStoreInputError('request.ttlMs', `${request.ttlMs} is not a positive duration`);
  }
}
