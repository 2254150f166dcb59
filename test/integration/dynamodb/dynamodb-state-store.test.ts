import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CapacityReport,
  DynamoDbStateStore,
} from '../../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { partitionKeyOf } from '../../../lib/adapters/dynamodb/item-keys.ts';
import { emptyJobState } from '../../../lib/domain/index.ts';
import { aFullSample, aFullState, aJobKey, vertexIds } from '../../contract/state-fixtures.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../../support/dynalite.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const WINDOW_MS = 15 * MIN;

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite?.close();
});

async function setup(options: { eventTtlMs?: number } = {}) {
  const { tableName, doc } = await createLocalStateTable(dynalite.endpoint);
  const capacity: CapacityReport[] = [];
  const store = new DynamoDbStateStore(doc, { tableName, ...options, onCapacity: (r) => capacity.push(r) });
  return { store, doc, tableName, capacity };
}

async function rawItems(doc: DynamoDBDocumentClient, tableName: string, pk: string) {
  const out = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return out.Items ?? [];
}

describe('DynamoDbStateStore on dynalite', () => {
  describe('discarding unreadable state', () => {
    it.each([
      {
        name: 'a body that is not JSON',
        item: { sv: 1, rev: 4, ep: 4, b: '{not json' },
        code: 'corrupt',
        revision: 4,
      },
      {
        name: 'a body of the wrong shape',
        item: { sv: 1, rev: 4, ep: 4, b: '{"vx":[],"h":7}' },
        code: 'corrupt',
        revision: 4,
      },
      {
        name: 'an unknown schema version',
        item: { sv: 99, rev: 4, ep: 4, b: '{}' },
        code: 'unknown-version',
        revision: 4,
      },
      {
        name: 'a non-numeric revision',
        item: { sv: 1, rev: 'x', ep: 1, b: '{}' },
        code: 'corrupt',
        revision: 0,
      },
      { name: 'no body at all', item: { sv: 1, rev: 2, ep: 2 }, code: 'corrupt', revision: 2 },
    ])('replaces $name by the empty state with a reason, and lets the next save overwrite it', async (c) => {
      const { store, doc, tableName } = await setup();
      const key = aJobKey();
      const pk = partitionKeyOf(key);
      await doc.send(new PutCommand({ TableName: tableName, Item: { pk, sk: 'STATE', ...c.item } }));
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk, sk: 'SAMPLE#1700000000000', sv: 1, ep: 4, b: '{}' },
        }),
      );

      const loaded = await store.load(key, { sinceMs: 0 });
      const saved = await store.save(key, loaded, {
        state: aFullState(vertexIds(2), 1),
        sample: aFullSample(vertexIds(2), T0 + MIN),
        windowMs: WINDOW_MS,
      });
      const reloaded = await store.load(key, { sinceMs: 0 });

      expect(loaded.state).toEqual(emptyJobState());
      expect(loaded.discarded?.code).toBe(c.code);
      expect(loaded.discarded?.detail).toMatch(/\w/);
      expect(loaded.revision).toBe(c.revision);
      expect(loaded.samples).toEqual([]);
      expect(saved.windowReset).toBe(true);
      expect(reloaded.discarded).toBeUndefined();
      // Its evaluation time is the newest sample's, which is later than the fixture's.
      expect(reloaded.state).toEqual({ ...aFullState(vertexIds(2), 1), lastEvaluationMs: T0 + MIN });
      // The sample of the discarded state belongs to an old epoch and stays out of the window.
      expect(reloaded.samples.map((s) => s.tsMs)).toEqual([T0 + MIN]);
    });

    it('skips and counts a sample it cannot decode', async () => {
      const { store, doc, tableName } = await setup();
      const key = aJobKey();
      const ids = vertexIds(2);
      const first = await store.load(key, { sinceMs: 0 });
      await store.save(key, first, {
        state: aFullState(ids, 1),
        sample: aFullSample(ids, T0),
        windowMs: WINDOW_MS,
      });
      const epoch = (
        await doc.send(
          new GetCommand({ TableName: tableName, Key: { pk: partitionKeyOf(key), sk: 'STATE' } }),
        )
      ).Item?.['ep'];
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: partitionKeyOf(key),
            sk: 'SAMPLE#1700000060000',
            sv: 1,
            ep: epoch,
            b: '{"v":{"LOAD":"x"}}',
          },
        }),
      );

      const loaded = await store.load(key, { sinceMs: 0 });

      expect(loaded.samples.map((s) => s.tsMs)).toEqual([T0]);
      expect(loaded.skippedSamples).toBe(1);
    });
  });

  describe('item layout', () => {
    it('writes a schema version on every item and TTLs on samples (past the window) and events (90 days)', async () => {
      const { store, doc, tableName } = await setup();
      const key = aJobKey();
      const ids = vertexIds(3);
      const loaded = await store.load(key, { sinceMs: 0 });
      await store.save(key, loaded, {
        state: aFullState(ids, 1),
        sample: aFullSample(ids, T0),
        windowMs: WINDOW_MS,
      });
      await store.appendEvent(key, { reason: 'ScalingReport', type: 'Normal', message: 'm' }, T0);

      const items = await rawItems(doc, tableName, partitionKeyOf(key));

      expect(items.map((i) => String(i['sk']).split('#')[0])).toEqual(['EVENT', 'SAMPLE', 'STATE']);
      for (const item of items) expect(item['sv']).toBe(1);
      const [event, sample] = items;
      // (T0 + 15 min window + 1 h grace) / 1000
      expect(sample?.['expiresAt']).toBe((T0 + WINDOW_MS + 3_600_000) / 1000);
      expect(event?.['expiresAt']).toBe((T0 + 90 * 24 * 3_600_000) / 1000);
      expect(String(sample?.['sk'])).toBe('SAMPLE#1700000000000');
    });

    it('uses the configured event retention', async () => {
      const { store, doc, tableName } = await setup({ eventTtlMs: 7 * 24 * 3_600_000 });
      const key = aJobKey();
      await store.appendEvent(key, { reason: 'MemoryPressure', type: 'Normal', message: 'heap' }, T0);

      const [event] = await rawItems(doc, tableName, partitionKeyOf(key));

      expect(event?.['expiresAt']).toBe((T0 + 7 * 24 * 3_600_000) / 1000);
    });

    it('stores vertex ids once: a sample of a 10-vertex job holds no 32-hex id', async () => {
      const { store, doc, tableName } = await setup();
      const key = aJobKey();
      const ids = vertexIds(10);
      const loaded = await store.load(key, { sinceMs: 0 });
      await store.save(key, loaded, {
        state: emptyJobState(),
        sample: aFullSample(ids, T0),
        windowMs: WINDOW_MS,
      });

      const sample = (await rawItems(doc, tableName, partitionKeyOf(key))).find((i) =>
        String(i['sk']).startsWith('SAMPLE'),
      );

      expect(JSON.stringify(sample)).not.toMatch(/[0-9a-f]{32}/);
    });
  });

  describe('requests per cycle', () => {
    it('loads with one Query and saves a changed state with two writes, a steady one with one', async () => {
      const { store, capacity } = await setup();
      const key = aJobKey();
      const ids = vertexIds(10);
      let loaded = await store.load(key, { sinceMs: 0 });
      for (let cycle = 0; cycle < 3; cycle++) {
        await store.save(key, loaded, {
          state: aFullState(ids, 1),
          sample: aFullSample(ids, T0 + cycle * MIN),
          windowMs: WINDOW_MS,
        });
        loaded = await store.load(key, { sinceMs: T0 + cycle * MIN - WINDOW_MS });
      }
      capacity.length = 0;

      loaded = await store.load(key, { sinceMs: T0 });
      await store.save(key, loaded, {
        state: aFullState(ids, 2),
        sample: aFullSample(ids, T0 + 3 * MIN),
        windowMs: WINDOW_MS,
      });
      expect(capacity.map((c) => c.operation)).toEqual(['load', 'save-state', 'save-sample']);
      for (const c of capacity) expect(c.capacityUnits).toBeGreaterThan(0);

      capacity.length = 0;
      loaded = await store.load(key, { sinceMs: T0 });
      await store.save(key, loaded, {
        state: { ...aFullState(ids, 2), lastEvaluationMs: T0 + 4 * MIN },
        sample: aFullSample(ids, T0 + 4 * MIN),
        windowMs: WINDOW_MS,
      });
      expect(capacity.map((c) => c.operation)).toEqual(['load', 'save-sample']);
      expect(capacity[1]?.capacityUnits).toBe(1);
    });

    it('does not read samples older than sinceMs that TTL has not removed yet', async () => {
      const { store, capacity } = await setup();
      const key = aJobKey();
      const ids = vertexIds(50);
      let loaded = await store.load(key, { sinceMs: 0 });
      for (let cycle = 0; cycle < 30; cycle++) {
        await store.save(key, loaded, {
          state: emptyJobState(),
          sample: aFullSample(ids, T0 + cycle * MIN),
          windowMs: MIN,
        });
        loaded = await store.load(key, { sinceMs: 0 });
      }
      capacity.length = 0;

      const recent = await store.load(key, { sinceMs: T0 + 29 * MIN });
      const all = await store.load(key, { sinceMs: 0 });

      expect(recent.samples).toHaveLength(1);
      expect(all.samples).toHaveLength(30);
      const [recentUnits, allUnits] = capacity.map((c) => c.capacityUnits);
      expect(recentUnits).toBeLessThan(allUnits! / 10);
    });
  });

  describe('large windows', () => {
    it('follows query pages when the window holds more than 1 MB of samples', async () => {
      const { store, capacity } = await setup();
      const key = aJobKey();
      const ids = vertexIds(1000);
      let loaded = await store.load(key, { sinceMs: 0 });
      for (let cycle = 0; cycle < 60; cycle++) {
        const tsMs = T0 + cycle * MIN;
        await store.save(key, loaded, {
          state: emptyJobState(),
          sample: aFullSample(ids, tsMs),
          windowMs: 60 * MIN,
        });
        loaded = await store.load(key, { sinceMs: tsMs });
      }
      capacity.length = 0;

      const window = await store.load(key, { sinceMs: 0 });

      expect(window.samples).toHaveLength(60);
      expect(capacity.filter((c) => c.operation === 'load').length).toBeGreaterThan(1);
    });
  });

  describe('size discipline with the default limits', () => {
    it('trims a huge history before 350 KB and DynamoDB accepts the item', async () => {
      const { store } = await setup();
      const key = aJobKey();
      const ids = vertexIds(1000);
      const state = aFullState(ids, 60);
      const loaded = await store.load(key, { sinceMs: 0 });

      const saved = await store.save(key, loaded, { state, windowMs: WINDOW_MS });
      const reloaded = await store.load(key, { sinceMs: 0 });

      expect(saved.trimmed.historyEntries).toBeGreaterThan(0);
      expect(saved.stateBytes).toBeLessThanOrEqual(300 * 1024);
      expect(saved.stateBytes).toBeLessThan(350 * 1024);
      expect(Object.keys(reloaded.state.parallelismOverrides)).toHaveLength(1000);
    });

    it('loads a full 15-sample window of a 1,000-vertex job with every item under 100 KB', async () => {
      const { store } = await setup();
      const key = aJobKey();
      const ids = vertexIds(1000);
      let loaded = await store.load(key, { sinceMs: 0 });
      const sizes: number[] = [];
      for (let cycle = 0; cycle < 15; cycle++) {
        const saved = await store.save(key, loaded, {
          state: aFullState(ids, 3),
          sample: aFullSample(ids, T0 + cycle * MIN),
          windowMs: WINDOW_MS,
        });
        sizes.push(saved.stateBytes, saved.sampleBytes);
        // Only the newest sample: keeps the test fast, the revision is what matters here.
        loaded = await store.load(key, { sinceMs: T0 + cycle * MIN });
      }

      const window = await store.load(key, { sinceMs: 0 });

      expect(window.samples).toHaveLength(15);
      expect(window.samples[14]).toEqual(aFullSample(ids, T0 + 14 * MIN));
      expect(Math.max(...sizes)).toBeLessThan(100 * 1024);
    });
  });
});
