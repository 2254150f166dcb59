/**
 * The replay-history part of the {@link StateStore} contract (`SaveRequest.history`,
 * `readHistory`, clean-up), run against every adapter like `state-store.contract.ts`.
 */
import { describe, expect, it } from 'vitest';
import {
  type DecisionContext,
  emptyJobState,
  type HistoryRecord,
  type JobKey,
  type JobState,
  type MetricSample,
  type VertexId,
} from '../../lib/domain/index.ts';
import { type StateStore, StateStoreInputError } from '../../lib/ports/state-store.ts';
import type { StateStoreFactory } from './state-store.contract.ts';
import { aFullSample, aJobKey, vertexIds } from './state-fixtures.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const WINDOW_MS = 10 * MIN;
const RETENTION_MS = 7 * DAY;

/** A two-vertex context with `parallelism` for both vertices. */
function aContext(ids: readonly VertexId[], parallelism: number, jobId = 'a'.repeat(32)): DecisionContext {
  return {
    topology: {
      jobId,
      jobRunningTsMs: T0 - 10 * MIN,
      vertices: ids.map((id, i) => ({
        id,
        name: `vertex ${i}`,
        parallelism,
        maxParallelism: 128,
        inputs: i === 0 ? [] : [{ id: ids[i - 1]!, shipStrategy: 'HASH' as const }],
        finished: false,
        numSourcePartitions: i === 0 ? 8 : 0,
      })),
    },
    configuration: { 'job.autoscaler.utilization.target': '0.7', 'job.autoscaler.metrics.window': '10 min' },
    cadenceMs: MIN,
    taskManager: { cpu: 1, memoryBytes: 2 * 1024 ** 3, memorySource: 'resource.memory' },
  };
}

/** Saves one cycle with its history; returns what was saved. */
async function saveCycle(
  store: StateStore,
  key: JobKey,
  sample: MetricSample,
  history: Omit<HistoryRecord, 'retentionMs'>,
  state: JobState = { ...emptyJobState(), jobId: history.context.topology.jobId, topologyHash: 'h1' },
): Promise<void> {
  const loaded = await store.load(key, { sinceMs: sample.tsMs - WINDOW_MS });
  await store.save(key, loaded, {
    state: { ...state, lastEvaluationMs: sample.tsMs },
    sample,
    windowMs: WINDOW_MS,
    history: { ...history, retentionMs: RETENTION_MS },
  });
}

export function defineStateStoreHistoryContract(name: string, createStore: StateStoreFactory): void {
  describe(`StateStore contract, replay history: ${name}`, () => {
    it('keeps each cycle with its decision and context for the retention, while load reads only the window', async () => {
      // Prepare: 20 minutes of cycles at parallelism 2, a scale-up to 4 at minute 12, then parallelism 4.
      const store = await createStore();
      const key = aJobKey();
      const ids = vertexIds(2);
      for (let minute = 0; minute < 20; minute++) {
        const tsMs = T0 + minute * MIN;
        const scale = minute === 12;
        await saveCycle(store, key, aFullSample(ids, tsMs), {
          decision: scale ? { action: 'scale', parallelism: { [ids[1]!]: 4 } } : { action: 'balanced', parallelism: {} },
          ...(minute === 3 ? { missingRequired: ['LAG'] } : {}),
          context: aContext(ids, minute > 12 ? 4 : 2),
        });
      }

      // Act
      const history = await store.readHistory(key, { fromMs: T0, toMs: T0 + 19 * MIN });
      const window = await store.load(key, { sinceMs: T0 + 19 * MIN - WINDOW_MS });

      // Assess: every cycle, as stored, oldest first; the rescale visible in the contexts.
      expect(history.skipped).toEqual([]);
      expect(history.windowOnlySamples).toBe(0);
      expect(history.entries.map((e) => e.sample.tsMs)).toEqual(Array.from({ length: 20 }, (_, m) => T0 + m * MIN));
      expect(history.entries.map((e) => e.sample)).toEqual(Array.from({ length: 20 }, (_, m) => aFullSample(ids, T0 + m * MIN)));
      expect(history.entries[12]!.decision).toEqual({ action: 'scale', parallelism: { [ids[1]!]: 4 } });
      expect(history.entries[11]!.decision).toEqual({ action: 'balanced', parallelism: {} });
      expect(history.entries[3]!.missingRequired).toEqual(['LAG']);
      expect(history.entries[4]!.missingRequired).toBeUndefined();
      expect(history.entries[12]!.context.topology.vertices.map((v) => v.parallelism)).toEqual([2, 2]);
      expect(history.entries[13]!.context).toEqual(aContext(ids, 4));
      expect(new Set(history.entries.map((e) => e.epoch)).size).toBe(1);
      expect(window.samples.map((s) => s.tsMs)).toEqual(Array.from({ length: 11 }, (_, m) => T0 + (m + 9) * MIN));
    });

    it('reads only the range, both ends inclusive, and counts samples kept for the window only', async () => {
      const store = await createStore();
      const key = aJobKey();
      const ids = vertexIds(2);
      for (let minute = 0; minute < 6; minute++) {
        const sample = aFullSample(ids, T0 + minute * MIN);
        if (minute === 4) {
          // A cycle with history.retention 0: a window sample as before.
          const loaded = await store.load(key, { sinceMs: 0 });
          await store.save(key, loaded, { state: loaded.state, sample, windowMs: WINDOW_MS });
          continue;
        }
        await saveCycle(store, key, sample, { decision: { action: 'not-ready', parallelism: {} }, context: aContext(ids, 2) });
      }

      const history = await store.readHistory(key, { fromMs: T0 + MIN, toMs: T0 + 4 * MIN });

      expect(history.entries.map((e) => e.sample.tsMs)).toEqual([T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
      expect(history.windowOnlySamples).toBe(1);
      expect(await store.readHistory(aJobKey(), { fromMs: T0, toMs: T0 + DAY })).toEqual({
        entries: [],
        skipped: [],
        windowOnlySamples: 0,
      });
    });

    it('leaves the history to its TTL on clean-up, and a re-created job never reads it as its window', async () => {
      // Prepare: a job with 5 retained cycles, forgotten, then re-created under the same key.
      const store = await createStore();
      const key = aJobKey();
      const ids = vertexIds(2);
      for (let minute = 0; minute < 5; minute++) {
        await saveCycle(store, key, aFullSample(ids, T0 + minute * MIN), {
          decision: { action: 'balanced', parallelism: {} },
          context: aContext(ids, 2),
        });
      }
      const forgotten = await store.forgetJob(key);
      const newJob = aContext(ids, 3, 'b'.repeat(32));

      // Act: the new incarnation's first two cycles, within the old samples' window.
      await saveCycle(store, key, aFullSample(ids, T0 + 5 * MIN, 99), { decision: { action: 'not-ready', parallelism: {} }, context: newJob });
      const loaded = await store.load(key, { sinceMs: T0 + 6 * MIN - WINDOW_MS });
      await saveCycle(store, key, aFullSample(ids, T0 + 6 * MIN, 99), { decision: { action: 'not-ready', parallelism: {} }, context: newJob });
      const window = await store.load(key, { sinceMs: T0 + 6 * MIN - WINDOW_MS });
      const history = await store.readHistory(key, { fromMs: T0, toMs: T0 + 6 * MIN });

      // Assess: only state, run record (none) and registry entry went; the new window holds only its own samples.
      expect(forgotten.itemsDeleted).toBe(2);
      expect(loaded.revision).toBe(1);
      expect(loaded.samples.map((s) => s.tsMs)).toEqual([T0 + 5 * MIN]);
      expect(window.samples.map((s) => s.tsMs)).toEqual([T0 + 5 * MIN, T0 + 6 * MIN]);
      expect(history.entries).toHaveLength(7);
      const [oldEpoch, newEpoch] = [history.entries[0]!.epoch, history.entries[6]!.epoch];
      expect(oldEpoch).not.toBe(newEpoch);
      expect(history.entries.slice(5).map((e) => e.context.topology.jobId)).toEqual(['b'.repeat(32), 'b'.repeat(32)]);
    });

    it('names a bad range and a history without a sample', async () => {
      const store = await createStore();
      const key = aJobKey();
      await expect(store.readHistory(key, { fromMs: T0 + MIN, toMs: T0 })).rejects.toThrow(
        expect.objectContaining({ name: 'StateStoreInputError', field: 'range' }) as unknown as Error,
      );
      await expect(store.readHistory(key, { fromMs: -1, toMs: T0 })).rejects.toBeInstanceOf(StateStoreInputError);
      const loaded = await store.load(key, { sinceMs: 0 });
      const history: HistoryRecord = {
        retentionMs: RETENTION_MS,
        decision: { action: 'balanced', parallelism: {} },
        context: aContext(vertexIds(2), 2),
      };
      await expect(store.save(key, loaded, { state: emptyJobState(), windowMs: WINDOW_MS, history })).rejects.toThrow(
        /request\.history.*needs request\.sample/,
      );
      await expect(
        store.save(key, loaded, {
          state: emptyJobState(),
          sample: aFullSample(vertexIds(2), T0),
          windowMs: WINDOW_MS,
          history: { ...history, retentionMs: 0 },
        }),
      ).rejects.toThrow(/request\.history\.retentionMs.*0 is not a positive duration/);
    });
  });
}
