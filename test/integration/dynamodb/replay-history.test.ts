/**
 * The replay history on DynamoDB (dynalite over HTTP): what it costs per cycle (no extra write,
 * the context only when it changes, a 10-vertex sample within one write unit), the TTLs, and
 * unreadable items skipped by name rather than failing the read.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CapacityReport, DynamoDbStateStore } from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { itemSizeBytes } from '../../../lib/adapters/dynamodb/item-size.ts';
import { partitionKeyOf } from '../../../lib/adapters/dynamodb/item-keys.ts';
import {
  type DecisionContext,
  emptyJobState,
  type JobKey,
  type RecordedDecision,
  type VertexId,
} from '../../../lib/domain/index.ts';
import { aFullSample, aFullState, aJobKey, vertexIds } from '../../contract/state-fixtures.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const WINDOW_MS = 10 * MIN;
const RETENTION_MS = 7 * DAY;
/** The store's default grace after the window (ItemLimits.sampleTtlGraceMs). */
const GRACE_MS = 60 * MIN;

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite?.close();
});

async function setup() {
  const { tableName, doc } = await createLocalStateTable(dynalite.endpoint);
  const capacity: CapacityReport[] = [];
  const store = new DynamoDbStateStore(doc, { tableName, onCapacity: (r) => capacity.push(r) });
  const items = async (key: JobKey) =>
    (
      await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': partitionKeyOf(key) },
        }),
      )
    ).Items ?? [];
  return { store, doc, tableName, capacity, items };
}

/** A chain of `ids` at `parallelism`, with realistic 32-hex ids and operator names. */
function aContext(ids: readonly VertexId[], parallelism: number, target = '0.7'): DecisionContext {
  return {
    topology: {
      jobId: 'c'.repeat(32),
      jobRunningTsMs: T0 - 30 * MIN,
      vertices: ids.map((id, i) => ({
        id,
        name: `Operator chain ${i}: map -> filter -> keyBy`,
        parallelism,
        maxParallelism: 720,
        inputs: i === 0 ? [] : [{ id: ids[i - 1]!, shipStrategy: 'HASH' as const }],
        finished: false,
        numSourcePartitions: i === 0 ? 24 : 0,
      })),
    },
    configuration: { 'job.autoscaler.utilization.target': target, 'taskmanager.numberOfTaskSlots': '2' },
    cadenceMs: MIN,
  };
}

/** One cycle: load, save with history. */
async function cycle(
  store: DynamoDbStateStore,
  key: JobKey,
  ids: readonly VertexId[],
  tsMs: number,
  context: DecisionContext,
  decision: RecordedDecision = { action: 'balanced', parallelism: {} },
) {
  const loaded = await store.load(key, { sinceMs: tsMs - WINDOW_MS });
  return store.save(key, loaded, {
    state: { ...aFullState(ids, 1), jobId: context.topology.jobId, topologyHash: 't', lastEvaluationMs: tsMs },
    sample: aFullSample(ids, tsMs),
    windowMs: WINDOW_MS,
    history: { retentionMs: RETENTION_MS, decision, context },
  });
}

describe('replay history on DynamoDB', () => {
  it('adds no write per cycle: the context is written on the first cycle, on a change and once per retention', async () => {
    const { store, capacity } = await setup();
    const key = aJobKey();
    const ids = vertexIds(10);
    const writes: string[][] = [];
    const steps: [number, DecisionContext][] = [
      [T0, aContext(ids, 2)], // first cycle: context written
      [T0 + MIN, aContext(ids, 2)], // unchanged
      [T0 + 2 * MIN, aContext(ids, 4)], // rescaled: written
      [T0 + 3 * MIN, aContext(ids, 4, '0.5')], // configuration changed: written
      [T0 + 4 * MIN, aContext(ids, 4, '0.5')], // unchanged
      [T0 + 3 * MIN + RETENTION_MS, aContext(ids, 4, '0.5')], // a retention after the last: refreshed
      [T0 + 4 * MIN + RETENTION_MS, aContext(ids, 4, '0.5')], // unchanged
    ];
    for (const [tsMs, context] of steps) {
      capacity.length = 0;
      await cycle(store, key, ids, tsMs, context);
      writes.push(capacity.map((c) => c.operation).filter((op) => op !== 'load'));
    }

    // An unchanged cycle writes only the sample (its state changed only by bookkeeping); the
    // state item remembers which context was written last, so a context write takes the state along.
    const plain = ['save-sample'];
    const withContext = ['save-history-context', 'save-state', 'save-sample'];
    expect(writes).toEqual([
      ['save-history-context', 'registry', 'save-state', 'save-sample'],
      plain,
      withContext,
      withContext,
      plain,
      withContext,
      plain,
    ]);
  });

  it('keeps a 10-vertex sample with its decision under 1 KB (one write unit), and sets the TTLs', async () => {
    const { store, capacity, items } = await setup();
    const key = aJobKey();
    const ids = vertexIds(10);
    const decision: RecordedDecision = { action: 'scale', parallelism: Object.fromEntries(ids.map((id) => [id, 12])) };

    const saved = await cycle(store, key, ids, T0, aContext(ids, 2), decision);

    const stored = await items(key);
    const sample = stored.find((i) => String(i['sk']).startsWith('SAMPLE#'))!;
    const context = stored.find((i) => String(i['sk']).startsWith('HISTORY#'))!;
    expect(saved.sampleBytes).toBe(itemSizeBytes(sample));
    expect(saved.sampleBytes).toBeLessThanOrEqual(1024);
    expect(capacity.find((c) => c.operation === 'save-sample')!.capacityUnits).toBe(1);
    expect(sample['expiresAt']).toBe(Math.ceil((T0 + RETENTION_MS) / 1000));
    expect(context['sk']).toBe(`HISTORY#${T0}`);
    expect(context['expiresAt']).toBe(Math.ceil((T0 + 2 * RETENTION_MS + GRACE_MS) / 1000));
    expect(context['hh']).toBe(sample['hh']);
  });

  it('keeps the window TTL when the retention is shorter than the window and its grace', async () => {
    const { store, items } = await setup();
    const key = aJobKey();
    const ids = vertexIds(2);
    const loaded = await store.load(key, { sinceMs: 0 });
    await store.save(key, loaded, {
      state: emptyJobState(),
      sample: aFullSample(ids, T0),
      windowMs: WINDOW_MS,
      history: { retentionMs: MIN, decision: { action: 'not-ready', parallelism: {} }, context: aContext(ids, 1) },
    });
    const sample = (await items(key)).find((i) => String(i['sk']).startsWith('SAMPLE#'))!;
    expect(sample['expiresAt']).toBe(Math.ceil((T0 + WINDOW_MS + GRACE_MS) / 1000));
  });

  it('skips unreadable history items by name and reads the rest', async () => {
    const { store, doc, tableName } = await setup();
    const key = aJobKey();
    const ids = vertexIds(3);
    for (let m = 0; m < 4; m++) await cycle(store, key, ids, T0 + m * MIN, aContext(ids, 2));
    const pk = partitionKeyOf(key);
    const put = (item: Record<string, unknown>) => doc.send(new PutCommand({ TableName: tableName, Item: { pk, ...item } }));
    // A sample whose decision is not JSON, one referring to a context never written, and a
    // context item whose body is not JSON.
    await put({ sk: `SAMPLE#${T0 + 10 * MIN}`, sv: 1, ep: 1, b: '{"v":{},"g":{}}', hh: 'x', d: '{oops' });
    await put({ sk: `SAMPLE#${T0 + 11 * MIN}`, sv: 1, ep: 1, b: '{"v":{},"g":{}}', hh: 'feedfeedfeed', d: '{"a":"balanced"}' });
    await put({ sk: `HISTORY#${T0 + 12 * MIN}`, sv: 1, ep: 1, hh: 'x', b: 'not json' });

    const history = await store.readHistory(key, { fromMs: T0, toMs: T0 + DAY });

    expect(history.entries.map((e) => e.sample.tsMs)).toEqual([T0, T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    expect(history.skipped).toEqual([
      { item: `HISTORY#${T0 + 12 * MIN}`, reason: expect.stringMatching(/^unreadable decision context: body is not readable JSON/) },
      { item: `SAMPLE#${T0 + 10 * MIN}`, reason: expect.stringMatching(/decision context x is not stored/) },
      { item: `SAMPLE#${T0 + 11 * MIN}`, reason: expect.stringMatching(/decision context feedfeedfeed is not stored/) },
    ]);
  });

  it('follows query pages when the history holds more than 1 MB of samples', async () => {
    const { store, capacity } = await setup();
    const key = aJobKey();
    const ids = vertexIds(1000);
    const context = aContext(ids, 2);
    for (let m = 0; m < 60; m++) {
      const tsMs = T0 + m * MIN;
      const loaded = await store.load(key, { sinceMs: tsMs });
      await store.save(key, loaded, {
        state: { ...emptyJobState(), jobId: context.topology.jobId, topologyHash: 't', lastEvaluationMs: tsMs },
        sample: aFullSample(ids, tsMs),
        windowMs: WINDOW_MS,
        history: { retentionMs: RETENTION_MS, decision: { action: 'balanced', parallelism: {} }, context },
      });
    }
    capacity.length = 0;

    const history = await store.readHistory(key, { fromMs: T0, toMs: T0 + DAY });

    expect(history.entries.map((e) => e.sample.tsMs)).toEqual(Array.from({ length: 60 }, (_, m) => T0 + m * MIN));
    expect(history.entries[59]!.sample).toEqual(aFullSample(ids, T0 + 59 * MIN));
    expect(capacity.filter((c) => c.operation === 'read-history').length).toBeGreaterThan(2);
  });
});
