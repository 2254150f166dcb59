import { describe, expect, it } from 'vitest';
import type { ItemLimits } from '../../lib/adapters/state/save-window.ts';
import { emptyJobState, type JobState, type MetricSample } from '../../lib/domain/index.ts';
import {
  StateConflictError,
  type StateStore,
  StateStoreInputError,
} from '../../lib/ports/state-store.ts';
import { aFullSample, aFullState, aJobKey, vertexIds } from './state-fixtures.ts';

/** Options a contract test may ask the factory to apply to the store under test. */
export interface StateStoreFactoryOptions {
  readonly limits?: Partial<ItemLimits>;
  readonly eventTtlMs?: number;
}

/** Creates a fresh store (its own table or memory) for one test. */
export type StateStoreFactory = (options?: StateStoreFactoryOptions) => Promise<StateStore>;

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const WINDOW_MS = 15 * MIN;

/**
 * The behaviour every {@link StateStore} must have (like Flink's
 * `AbstractAutoScalerStateStoreTest`). Run it with a factory per adapter.
 */
export function defineStateStoreContract(name: string, createStore: StateStoreFactory): void {
  describe(`StateStore contract: ${name}`, () => {
    describe('load and save', () => {
      it('returns the empty state at revision 0 for a job never saved', async () => {
        const store = await createStore();
        const loaded = await store.load(aJobKey(), { sinceMs: T0 - WINDOW_MS });
        expect(loaded.state).toEqual(emptyJobState());
        expect(loaded.revision).toBe(0);
        expect(loaded.samples).toEqual([]);
        expect(loaded.discarded).toBeUndefined();
      });

      it('round-trips a full state and a sample, keeping NaN, ±Infinity, -0 and ~strings', async () => {
        const store = await createStore();
        const key = aJobKey();
        const ids = vertexIds(5);
        const state = aFullState(ids);
        const sample: MetricSample = {
          tsMs: T0,
          vertices: {
            [ids[0]!]: { LOAD: 0.5, OBSERVED_TPR: Number.POSITIVE_INFINITY, LAG: 0 },
            [ids[1]!]: { LOAD: Number.NaN, NUM_RECORDS_IN: 12_345_678_901 },
            [ids[2]!]: {},
            [ids[3]!]: { NUM_RECORDS_IN_PER_SECOND: Number.NEGATIVE_INFINITY },
          },
          global: { GC_PRESSURE: 0.01, HEAP_MAX_USAGE_RATIO: Number.NaN },
        };
        const loaded = await store.load(key, { sinceMs: T0 - WINDOW_MS });

        const saved = await store.save(key, loaded, { state, sample, windowMs: WINDOW_MS });
        const reloaded = await store.load(key, { sinceMs: T0 - WINDOW_MS });

        expect(saved.revision).toBe(1);
        expect(reloaded.revision).toBe(1);
        expect(reloaded.state).toEqual(state);
        expect(Object.is((reloaded.state.memoryHistory as { peaks: number[] }).peaks[3], -0)).toBe(true);
        expect(reloaded.samples).toHaveLength(1);
        expect(reloaded.samples[0]).toEqual(sample);
        expect(reloaded.skippedSamples).toBe(0);
      });

      it('rounds stored metrics like the Java store: half-up to 3 decimals, never to 0', async () => {
        const store = await createStore();
        const key = aJobKey();
        const [a] = vertexIds(1);
        const loaded = await store.load(key, { sinceMs: 0 });
        const sample: MetricSample = {
          tsMs: T0,
          vertices: { [a!]: { LOAD: 0.123_456, OBSERVED_TPR: 0.000_12, LAG: 2.0005 } },
          global: { GC_PRESSURE: 0.999_99 },
        };

        await store.save(key, loaded, { state: emptyJobState(), sample, windowMs: WINDOW_MS });
        const [stored] = (await store.load(key, { sinceMs: 0 })).samples;

        // 0.123456 → 0.123; 0.00012 would round to 0 → kept; 0.99999 → 1
        expect(stored?.vertices[a!]).toEqual({
          LOAD: 0.123,
          OBSERVED_TPR: 0.000_12,
          LAG: expect.closeTo(2.001, 3),
        });
        expect(stored?.global).toEqual({ GC_PRESSURE: 1 });
      });

      it('returns the window samples at or after sinceMs, oldest first, one per cycle', async () => {
        const store = await createStore();
        const key = aJobKey();
        const ids = vertexIds(3);
        let loaded = await store.load(key, { sinceMs: 0 });
        for (let cycle = 0; cycle < 5; cycle++) {
          const tsMs = T0 + cycle * MIN;
          // A state that changes every cycle (one more history entry), so every save writes it.
          await store.save(key, loaded, {
            state: { ...aFullState(ids, cycle + 1), lastEvaluationMs: tsMs },
            sample: aFullSample(ids, tsMs),
            windowMs: WINDOW_MS,
          });
          loaded = await store.load(key, { sinceMs: tsMs - WINDOW_MS });
        }

        const window = await store.load(key, { sinceMs: T0 + 2 * MIN });

        expect(window.revision).toBe(5);
        expect(window.samples.map((s) => s.tsMs)).toEqual([T0 + 2 * MIN, T0 + 3 * MIN, T0 + 4 * MIN]);
        expect(window.samples[2]).toEqual(aFullSample(ids, T0 + 4 * MIN));
        expect(window.state.lastEvaluationMs).toBe(T0 + 4 * MIN);
      });

      it('lets exactly one of two concurrent savers of the same revision win', async () => {
        const store = await createStore();
        const key = aJobKey();
        const ids = vertexIds(2);
        const first = await store.load(key, { sinceMs: 0 });
        await store.save(key, first, { state: aFullState(ids, 1), windowMs: WINDOW_MS });
        const loadedA = await store.load(key, { sinceMs: 0 });
        const loadedB = await store.load(key, { sinceMs: 0 });
        // Both change the state (a new override), so both must write it.
        const changed = (state: JobState, parallelism: number, lastEvaluationMs: number): JobState => ({
          ...state,
          parallelismOverrides: { ...state.parallelismOverrides, [ids[0]!]: parallelism },
          lastEvaluationMs,
        });
        const stateA = changed(loadedA.state, 7, T0 + 10);
        const stateB = changed(loadedB.state, 9, T0 + 20);

        const results = await Promise.allSettled([
          store.save(key, loadedA, { state: stateA, sample: aFullSample(ids, T0, 1), windowMs: WINDOW_MS }),
          store.save(key, loadedB, {
            state: stateB,
            sample: aFullSample(ids, T0 + 1, 2),
            windowMs: WINDOW_MS,
          }),
        ]);

        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(StateConflictError);
        expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ expectedRevision: 1 });
        const after = await store.load(key, { sinceMs: 0 });
        const winner = results[0]!.status === 'fulfilled' ? 0 : 1;
        expect(after.revision).toBe(2);
        expect(after.state.lastEvaluationMs).toBe(winner === 0 ? T0 + 10 : T0 + 20);
        // The loser's sample never lands: the state write gates it.
        expect(after.samples.map((s) => s.tsMs)).toEqual([winner === 0 ? T0 : T0 + 1]);
      });

      it('lets exactly one of two first-ever savers win', async () => {
        const store = await createStore();
        const key = aJobKey();
        const a = await store.load(key, { sinceMs: 0 });
        const b = await store.load(key, { sinceMs: 0 });

        const results = await Promise.allSettled([
          store.save(key, a, { state: emptyJobState(), windowMs: WINDOW_MS }),
          store.save(key, b, { state: emptyJobState(), windowMs: WINDOW_MS }),
        ]);

        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(rejected.reason).toBeInstanceOf(StateConflictError);
      });

      it('rejects a save from a stale load', async () => {
        const store = await createStore();
        const key = aJobKey();
        const stale = await store.load(key, { sinceMs: 0 });
        await store.save(key, stale, { state: emptyJobState(), windowMs: WINDOW_MS });

        await expect(store.save(key, stale, { state: emptyJobState(), windowMs: WINDOW_MS })).rejects.toThrow(
          StateConflictError,
        );
      });

      it.each([
        { change: 'a new Flink job id', patch: { jobId: 'ffffffffffffffffffffffffffffffff' } },
        { change: 'a changed topology', patch: { topologyHash: 'topo-2' } },
      ])('restarts the metric window on $change', async ({ patch }) => {
        const store = await createStore();
        const key = aJobKey();
        const ids = vertexIds(3);
        const state = aFullState(ids, 1);
        const first = await store.load(key, { sinceMs: 0 });
        await store.save(key, first, { state, sample: aFullSample(ids, T0), windowMs: WINDOW_MS });
        const second = await store.load(key, { sinceMs: 0 });
        expect(second.samples).toHaveLength(1);

        const result = await store.save(key, second, {
          state: { ...state, ...patch },
          sample: aFullSample(ids, T0 + MIN),
          windowMs: WINDOW_MS,
        });
        const third = await store.load(key, { sinceMs: 0 });

        expect(result.windowReset).toBe(true);
        expect(result.stateWritten).toBe(true);
        expect(third.samples.map((s) => s.tsMs)).toEqual([T0 + MIN]);
        expect(third.samples[0]).toEqual(aFullSample(ids, T0 + MIN));
        // The evaluation time a load reports is the newest sample's when that is later.
        expect(third.state).toEqual({ ...state, ...patch, lastEvaluationMs: T0 + MIN });
      });

      describe('a state that changed only by bookkeeping', () => {
        const ids = vertexIds(3);
        /** The fixture state with a cost ledger, as of `nowMs`, accrued by one more cycle when `accrued`. */
        const steadyState = (nowMs: number): JobState => ({
          ...aFullState(ids, 2, T0),
          lastEvaluationMs: nowMs,
          costLedger: {
            sinceMs: T0,
            accruedToMs: nowMs,
            specTaskManagers: 4,
            currentTaskManagers: 3,
            taskManagerUsdPerHour: 0.5,
            savedUsd: ((nowMs - T0) / 3_600_000) * 0.5,
          },
        });
        /** Saves the first state and returns the store, key and the load after it. */
        async function savedOnce(options?: StateStoreFactoryOptions) {
          const store = await createStore(options);
          const key = aJobKey();
          const first = await store.save(key, await store.load(key, { sinceMs: 0 }), {
            state: steadyState(T0),
            sample: aFullSample(ids, T0),
            windowMs: WINDOW_MS,
          });
          return { store, key, first, loaded: await store.load(key, { sinceMs: 0 }) };
        }

        it('writes only the sample, without a revision check, and loads its time as the evaluation', async () => {
          const { store, key, first, loaded } = await savedOnce();

          const result = await store.save(key, loaded, {
            state: steadyState(T0 + MIN),
            sample: aFullSample(ids, T0 + MIN),
            windowMs: WINDOW_MS,
          });
          // Saved again from the same (now stale) load: still no conflict, nothing was decided.
          const again = await store.save(key, loaded, {
            state: steadyState(T0 + 2 * MIN),
            sample: aFullSample(ids, T0 + 2 * MIN),
            windowMs: WINDOW_MS,
          });
          const after = await store.load(key, { sinceMs: 0 });

          expect(result).toMatchObject({ stateWritten: false, revision: 1 });
          expect(again).toMatchObject({ stateWritten: false, revision: 1 });
          // The size reported is the stored state's, which the unwritten saves left in place.
          expect(first.stateBytes).toBeGreaterThan(0);
          expect(result.stateBytes).toBe(first.stateBytes);
          expect(again.stateBytes).toBe(first.stateBytes);
          expect(after.revision).toBe(1);
          expect(after.samples.map((s) => s.tsMs)).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
          expect(after.state.lastEvaluationMs).toBe(T0 + 2 * MIN);
          // The ledger is loaded as of the last evaluation, accrued at its unchanged rate.
          expect(after.state.costLedger).toEqual(steadyState(T0 + 2 * MIN).costLedger);
        });

        it.each([
          {
            what: 'a changed override',
            state: (s: JobState): JobState => ({ ...s, parallelismOverrides: { ...s.parallelismOverrides, [ids[1]!]: 77 } }),
          },
          {
            what: 'another TaskManager count in the ledger',
            state: (s: JobState): JobState => ({ ...s, costLedger: { ...s.costLedger!, currentTaskManagers: 2 } }),
          },
          { what: 'a new memory peak', state: (s: JobState): JobState => ({ ...s, memoryHistory: { peaks: [2] } }) },
        ])('writes the state, conditional on the revision, for $what', async ({ state }) => {
          const { store, key, loaded } = await savedOnce();

          const result = await store.save(key, loaded, {
            state: state(steadyState(T0 + MIN)),
            sample: aFullSample(ids, T0 + MIN),
            windowMs: WINDOW_MS,
          });

          expect(result).toMatchObject({ stateWritten: true, revision: 2 });
          await expect(
            store.save(key, loaded, { state: state(steadyState(T0 + 2 * MIN)), sample: aFullSample(ids, T0 + 2 * MIN), windowMs: WINDOW_MS }),
          ).rejects.toThrow(StateConflictError);
        });

        it('writes the state when asked to (always), when saved without a sample, and once per refresh interval', async () => {
          const { store, key, loaded } = await savedOnce({ limits: { stateRefreshMs: 10 * MIN } });

          const always = await store.save(key, loaded, {
            state: steadyState(T0 + MIN),
            sample: aFullSample(ids, T0 + MIN),
            windowMs: WINDOW_MS,
            writeState: 'always',
          });
          const afterAlways = await store.load(key, { sinceMs: 0 });
          const noSample = await store.save(key, afterAlways, { state: steadyState(T0 + 2 * MIN), windowMs: WINDOW_MS });
          const afterNoSample = await store.load(key, { sinceMs: 0 });
          const young = await store.save(key, afterNoSample, {
            state: steadyState(T0 + 11 * MIN),
            sample: aFullSample(ids, T0 + 11 * MIN),
            windowMs: WINDOW_MS,
          });
          const old = await store.save(key, await store.load(key, { sinceMs: 0 }), {
            state: steadyState(T0 + 12 * MIN),
            sample: aFullSample(ids, T0 + 12 * MIN),
            windowMs: WINDOW_MS,
          });
          const after = await store.load(key, { sinceMs: 0 });

          expect(always).toMatchObject({ stateWritten: true, revision: 2 });
          expect(noSample).toMatchObject({ stateWritten: true, revision: 3 });
          // 9 minutes after the state was written: left alone; 10 minutes after: written again.
          expect(young).toMatchObject({ stateWritten: false, revision: 3 });
          expect(old).toMatchObject({ stateWritten: true, revision: 4 });
          expect(after.state.costLedger).toEqual(steadyState(T0 + 12 * MIN).costLedger);
        });
      });

      it('keeps the window when job id and topology are unchanged', async () => {
        const store = await createStore();
        const key = aJobKey();
        const ids = vertexIds(2);
        const first = await store.load(key, { sinceMs: 0 });
        await store.save(key, first, {
          state: aFullState(ids, 1),
          sample: aFullSample(ids, T0),
          windowMs: WINDOW_MS,
        });
        const second = await store.load(key, { sinceMs: 0 });

        const result = await store.save(key, second, {
          state: aFullState(ids, 2),
          sample: aFullSample(ids, T0 + MIN),
          windowMs: WINDOW_MS,
        });

        expect(result.windowReset).toBe(false);
        expect((await store.load(key, { sinceMs: 0 })).samples).toHaveLength(2);
      });

      it('keeps every item of a 1,000-vertex job with full histories under 100 KB', async () => {
        const store = await createStore();
        const key = aJobKey();
        const ids = vertexIds(1000);
        const state = aFullState(ids, 3);
        const loaded = await store.load(key, { sinceMs: 0 });

        const saved = await store.save(key, loaded, {
          state,
          sample: aFullSample(ids, T0),
          windowMs: WINDOW_MS,
        });
        const reloaded = await store.load(key, { sinceMs: 0 });

        expect(saved.stateBytes).toBeLessThan(100 * 1024);
        expect(saved.sampleBytes).toBeLessThan(100 * 1024);
        expect(saved.trimmed).toEqual({
          historyEntries: 0,
          trackingRecords: 0,
          delayedVertices: 0,
          memoryHistory: false,
        });
        expect(reloaded.state).toEqual(state);
        expect(reloaded.samples[0]).toEqual(aFullSample(ids, T0));
      });

      it('trims the oldest history before the state item reaches the trim threshold', async () => {
        const store = await createStore({ limits: { stateTrimThresholdBytes: 40 * 1024 } });
        const key = aJobKey();
        const ids = vertexIds(200);
        const state = aFullState(ids, 20);
        const loaded = await store.load(key, { sinceMs: 0 });

        const saved = await store.save(key, loaded, { state, windowMs: WINDOW_MS });
        const reloaded = await store.load(key, { sinceMs: 0 });

        expect(saved.stateBytes).toBeLessThanOrEqual(40 * 1024);
        expect(saved.trimmed.historyEntries).toBeGreaterThan(0);
        const newest = Math.max(...state.scalingHistory[ids[0]!]!.map((s) => s.tsMs));
        const kept = Object.values(reloaded.state.scalingHistory).flat();
        expect(kept.length).toBe(200 * 20 - saved.trimmed.historyEntries);
        // Oldest first: whatever is left includes the newest decision of every vertex.
        expect(kept.filter((s) => s.tsMs === newest)).toHaveLength(200);
        expect(reloaded.state.parallelismOverrides).toEqual(state.parallelismOverrides);
      });
    });

    describe('events', () => {
      const report = { reason: 'ScalingReport', type: 'Normal', message: 'v1: 2 -> 4' } as const;

      it('lists appended events newest first with their counts', async () => {
        const store = await createStore();
        const key = aJobKey();
        await store.appendEvent(key, report, T0);
        await store.appendEvent(key, { reason: 'AutoscalerError', type: 'Warning', message: 'boom' }, T0 + 5);

        const events = await store.listEvents(key);

        expect(events).toEqual([
          {
            reason: 'AutoscalerError',
            type: 'Warning',
            message: 'boom',
            firstTsMs: T0 + 5,
            lastTsMs: T0 + 5,
            count: 1,
          },
          { ...report, firstTsMs: T0, lastTsMs: T0, count: 1 },
        ]);
      });

      it('leaves a repeat within the interval out, keeping the first entry as it was, and emits again after it', async () => {
        const store = await createStore();
        const key = aJobKey();
        const event = { ...report, messageKey: 'ScalingExecutor', dedupeIntervalMs: 30 * MIN };

        const first = await store.appendEvent(key, event, T0);
        const repeat = await store.appendEvent(key, { ...event, message: 'v1: 2 -> 5' }, T0 + 10 * MIN);
        const later = await store.appendEvent(key, event, T0 + 30 * MIN);

        expect(first).toEqual({ emitted: true, count: 1, firstTsMs: T0 });
        expect(repeat).toEqual({ emitted: false, count: 1, firstTsMs: T0 });
        expect(later).toEqual({ emitted: true, count: 1, firstTsMs: T0 + 30 * MIN });
        const events = await store.listEvents(key);
        // The operator's Kubernetes-event rule: nothing is written within the interval.
        expect(events.map((e) => [e.firstTsMs, e.lastTsMs, e.count, e.message])).toEqual([
          [T0 + 30 * MIN, T0 + 30 * MIN, 1, 'v1: 2 -> 4'],
          [T0, T0, 1, 'v1: 2 -> 4'],
        ]);
      });

      it('de-duplicates by reason and message key (or message), never without an interval', async () => {
        const store = await createStore();
        const key = aJobKey();
        const interval = 30 * MIN;

        const results = [
          await store.appendEvent(key, { ...report, dedupeIntervalMs: interval }, T0),
          await store.appendEvent(key, { ...report, message: 'other', dedupeIntervalMs: interval }, T0 + 1),
          await store.appendEvent(
            key,
            { ...report, reason: 'MemoryPressure', dedupeIntervalMs: interval },
            T0 + 2,
          ),
          await store.appendEvent(key, { ...report, dedupeIntervalMs: interval }, T0 + 3),
          await store.appendEvent(key, report, T0 + 4),
          await store.appendEvent(key, report, T0 + 4),
        ];

        expect(results.map((r) => r.emitted)).toEqual([true, true, true, false, true, true]);
        expect(await store.listEvents(key)).toHaveLength(5);
      });

      it('filters by sinceMs and limit', async () => {
        const store = await createStore();
        const key = aJobKey();
        for (let i = 0; i < 5; i++)
          await store.appendEvent(key, { ...report, message: `m${i}` }, T0 + i * MIN);

        const recent = await store.listEvents(key, { sinceMs: T0 + 2 * MIN });
        const limited = await store.listEvents(key, { limit: 2 });

        expect(recent.map((e) => e.message)).toEqual(['m4', 'm3', 'm2']);
        expect(limited.map((e) => e.message)).toEqual(['m4', 'm3']);
      });

      it('keeps the event log out of the state load', async () => {
        const store = await createStore();
        const key = aJobKey();
        await store.appendEvent(key, report, T0);

        const loaded = await store.load(key, { sinceMs: 0 });

        expect(loaded.revision).toBe(0);
        expect(loaded.samples).toEqual([]);
      });
    });

    describe('job registry, clean-up and run records', () => {
      it('lists every job with state once, and forgets a job but keeps its event log', async () => {
        // Prepare: two jobs saved (one twice), events and a run record for the first.
        const store = await createStore();
        const a = aJobKey();
        const b: ReturnType<typeof aJobKey> = { ...aJobKey(), kind: 'FlinkSessionJob' };
        const sample: MetricSample = { tsMs: T0, vertices: {}, global: {} };
        const first = await store.load(a, { sinceMs: 0 });
        await store.save(a, first, { state: emptyJobState(), sample, windowMs: WINDOW_MS });
        const second = await store.load(a, { sinceMs: 0 });
        await store.save(a, second, {
          state: { ...emptyJobState(), lastEvaluationMs: T0 },
          windowMs: WINDOW_MS,
        });
        await store.save(b, await store.load(b, { sinceMs: 0 }), {
          state: emptyJobState(),
          windowMs: WINDOW_MS,
        });
        await store.appendEvent(a, { reason: 'ScalingReport', type: 'Normal', message: 'scaled' }, T0);
        await store.recordRun(a, { atMs: T0, outcome: 'decided', reason: 'balanced', action: 'balanced' });

        // Act
        const listed = await store.listJobKeys();
        const forgotten = await store.forgetJob(a);
        const again = await store.forgetJob(a);

        // Assess: state, sample, run record and registry entry went (4 items); events stay.
        expect(listed).toHaveLength(2);
        expect(listed).toEqual(expect.arrayContaining([a, b]));
        expect(forgotten.itemsDeleted).toBe(4);
        expect(again.itemsDeleted).toBe(0);
        expect(await store.listJobKeys()).toEqual([b]);
        const reloaded = await store.load(a, { sinceMs: 0 });
        expect(reloaded.revision).toBe(0);
        expect(reloaded.samples).toEqual([]);
        expect(await store.lastRun(a)).toBeUndefined();
        expect((await store.listEvents(a)).map((e) => e.message)).toEqual(['scaled']);
      });

      it('replaces the run record on every cycle', async () => {
        const store = await createStore();
        const key = aJobKey();
        expect(await store.lastRun(key)).toBeUndefined();
        await store.recordRun(key, { atMs: T0, outcome: 'not-ready', reason: 'stabilizing' });
        await store.recordRun(key, {
          atMs: T0 + MIN,
          outcome: 'decided',
          reason: 'scaled',
          mode: 'active',
          action: 'scale',
          realized: 'patched',
          upgradePath: 'in-place',
          policy: { verdict: 'modify', reason: 'ceiling 4' },
        });
        expect(await store.lastRun(key)).toEqual({
          atMs: T0 + MIN,
          outcome: 'decided',
          reason: 'scaled',
          mode: 'active',
          action: 'scale',
          realized: 'patched',
          upgradePath: 'in-place',
          policy: { verdict: 'modify', reason: 'ceiling 4' },
        });
        // The run record comes with the load (no state saved yet: revision 0).
        const loaded = await store.load(key, { sinceMs: 0 });
        expect(loaded.revision).toBe(0);
        expect(loaded.lastRun).toMatchObject({ atMs: T0 + MIN, action: 'scale' });
      });

      it('loads the last run with the state and the window, and none before the first record', async () => {
        const store = await createStore();
        const key = aJobKey();
        const loaded = await store.load(key, { sinceMs: 0 });
        await store.save(key, loaded, { state: { ...emptyJobState(), jobId: 'j1' }, windowMs: 10 * MIN });
        expect((await store.load(key, { sinceMs: 0 })).lastRun).toBeUndefined();
        await store.recordRun(key, { atMs: T0, outcome: 'decided', reason: 'balanced', action: 'balanced' });
        const reloaded = await store.load(key, { sinceMs: 0 });
        expect(reloaded.revision).toBe(1);
        expect(reloaded.state.jobId).toBe('j1');
        expect(reloaded.lastRun).toEqual({ atMs: T0, outcome: 'decided', reason: 'balanced', action: 'balanced' });
      });
    });

    describe('bad input', () => {
      it.each([
        { field: 'jobKey.name', key: { ...aJobKey(), name: 'a#b' } },
        { field: 'jobKey.namespace', key: { ...aJobKey(), namespace: '' } },
        { field: 'jobKey.kind', key: { ...aJobKey(), kind: 'Deployment' as 'FlinkDeployment' } },
      ])('rejects a job key with a bad $field', async ({ field, key }) => {
        const store = await createStore();
        await expect(store.load(key, { sinceMs: 0 })).rejects.toMatchObject({
          name: 'StateStoreInputError',
          field,
        });
      });

      it('names the bad field of a save and an event', async () => {
        const store = await createStore();
        const key = aJobKey();
        const loaded = await store.load(key, { sinceMs: 0 });
        const sample = { tsMs: -5, vertices: {}, global: {} };

        const failures = await Promise.allSettled([
          store.save(key, loaded, { state: emptyJobState(), sample, windowMs: WINDOW_MS }),
          store.save(key, loaded, { state: emptyJobState(), windowMs: 0 }),
          store.appendEvent(key, { reason: 'ScalingReport', message: 'm', type: 'Info' as 'Normal' }, T0),
        ]);

        expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected', 'rejected']);
        const errors = failures.map((f) => (f as PromiseRejectedResult).reason as StateStoreInputError);
        for (const error of errors) expect(error).toBeInstanceOf(StateStoreInputError);
        expect(errors.map((e) => e.field)).toEqual([
          'request.sample.tsMs',
          'request.windowMs',
          'event.type',
        ]);
      });
    });
  });
}
