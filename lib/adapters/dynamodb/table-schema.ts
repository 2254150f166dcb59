import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single autoscaler table (docs/design.md §5). Exported for the CDK construct and the local world so
 * the key schema is declared once.
 *
 * | sk                                   | item                                    |
 * | ------------------------------------ | --------------------------------------- |
 * | `STATE`                              | job state, revision, vertex dictionary  |
 * | `SAMPLE#<13-digit epoch ms>`         | one compact metric sample per cycle     |
 * | `EVENT#<13-digit epoch ms>#<reason>#<key hash>` | event log entry              |
 * | `STATE#RUN`                          | last cycle's outcome (`fsa status`)     |
 * | `HISTORY#<13-digit epoch ms>`        | replay history: decision context        |
 *
 * Plus the registry partition `JOBS` (sk = a job's pk), see {@link REGISTRY_PARTITION_KEY}.
 * Versions before the FIFO job queue also wrote a `LEASE` item per job; none is written now, and a
 * leftover one expires by its TTL (one day) or goes with the job's clean-up.
 */
export const STATE_TABLE = {
  /** Partition key: `JOB#cluster#namespace#kind#name` (string). */
  partitionKey: 'pk',
  /** Sort key (string). */
  sortKey: 'sk',
  /** TTL attribute, epoch seconds (DynamoDB deletes expired items lazily, within days). */
  ttlAttribute: 'expiresAt',
  billingMode: 'PAY_PER_REQUEST',
} as const;

/** Sort keys and sort-key prefixes of the item types. */
export const SORT_KEYS = {
  state: 'STATE',
  /**
   * Last-run record for `fsa status` and the not-ready spell. Sorts right after `STATE`, so the
   * load query (`SAMPLE#<since>` … `STATE#RUN`) returns it at no extra request; versions before
   * 2026-12 wrote it under `RUN`, which nothing reads any more and clean-up removes.
   */
  run: 'STATE#RUN',
  samplePrefix: 'SAMPLE#',
  eventPrefix: 'EVENT#',
  /**
   * Decision context of the replay history (topology, configuration, vertex dictionary), written
   * when it changes; sorts before RUN and SAMPLE#, outside the load query.
   */
  historyPrefix: 'HISTORY#',
} as const;

/**
 * Version of the item encodings below, stored as `sv` on every item. Items with another
 * version are ignored (samples, events) or discarded with an event (state).
 */
export const ITEM_SCHEMA_VERSION = 1;

/** Attribute names used by the items (short, because names count towards item size). */
export const ATTR = {
  schemaVersion: 'sv',
  revision: 'rev',
  epoch: 'ep',
  jobId: 'jid',
  topologyHash: 'th',
  updatedAtMs: 'upd',
  /** Body as plain (tagged) JSON text. */
  body: 'b',
  /** Body as Brotli-compressed JSON text (used when it saves space). */
  compressedBody: 'z',
  eventKey: 'dk',
  eventReason: 'reason',
  eventType: 'type',
  eventMessage: 'msg',
  eventMessageKey: 'mk',
  eventCount: 'cnt',
  eventLastMs: 'last',
  /** Run record body (JSON text). */
  run: 'run',
  /** On a retained SAMPLE item: the cycle's decision (JSON text, vertices by dictionary index). */
  decision: 'd',
  /**
   * On a retained SAMPLE item and a HISTORY item: hash of the decision context; on the STATE
   * item: the hash of the context last written, with {@link ATTR.historyWrittenAtMs}.
   */
  historyHash: 'hh',
  historyWrittenAtMs: 'hat',
} as const;

/**
 * Partition of the job registry: one item per job with state (`sk` = the job's partition key),
 * written on a job's first save and removed by its clean-up. Lets the dispatcher list managed
 * jobs with one Query instead of a Scan over every sample.
 */
export const REGISTRY_PARTITION_KEY = 'JOBS';

/**
 * `CreateTable` input for local use (dynalite, DynamoDB Local, tests). TTL is enabled separately
 * with `UpdateTimeToLive` (see `createStateTable`); the CDK construct sets `timeToLiveAttribute`.
 */
export function stateTableCreateParams(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: STATE_TABLE.billingMode,
    AttributeDefinitions: [
      { AttributeName: STATE_TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: STATE_TABLE.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: STATE_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: STATE_TABLE.sortKey, KeyType: 'RANGE' },
    ],
  };
}
