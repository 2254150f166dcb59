import { describe, expect, it } from 'vitest';
import {
  CorruptItemError,
  decodeStateBody,
  encodeStateBody,
  vertexIdsOfState,
} from '../../../../lib/adapters/dynamodb/state-codec.ts';
import { emptyJobState, type JobState, type ScalingSummary } from '../../../../lib/domain/index.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const summary = (tsMs: number, cur: number, next: number, catchUp?: number): ScalingSummary => ({
  tsMs,
  currentParallelism: cur,
  newParallelism: next,
  metrics: { trueProcessingRateAvg: 100, expectedProcessingRate: 200, targetDataRateAvg: 150 },
  ...(catchUp === undefined ? {} : { catchUpCapacity: catchUp }),
});

describe('STATE body: catch-up capacity of scaling history entries (catch-up settle)', () => {
  it('round-trips catchUpCapacity in the separate `u` field', () => {
    const state: JobState = {
      ...emptyJobState(),
      scalingHistory: {
        [A]: [summary(1000, 2, 4), summary(2000, 4, 8, 1234.5)],
        [B]: [summary(2000, 1, 2, 7)],
      },
    };
    const text = encodeStateBody(state, vertexIdsOfState(state));
    // [vertexIndex, tsMs, rec/s]; the 6-element `h` tuples are unchanged for older readers
    expect(JSON.parse(text).u).toEqual([
      [0, 2000, 1234.5],
      [1, 2000, 7],
    ]);
    expect(JSON.parse(text).h[0][1][1]).toHaveLength(6);
    expect(decodeStateBody(text).state.scalingHistory).toEqual(state.scalingHistory);
  });

  it('writes no `u` without catch-up parts, and reads bodies written before it', () => {
    const state: JobState = { ...emptyJobState(), scalingHistory: { [A]: [summary(1000, 2, 4)] } };
    const text = encodeStateBody(state, [A]);
    expect(JSON.parse(text)).not.toHaveProperty('u');
    expect(decodeStateBody(text).state.scalingHistory[A]?.[0]).not.toHaveProperty('catchUpCapacity');
  });

  it('ignores a catch-up part whose entry is gone and rejects a malformed one', () => {
    const base = JSON.parse(
      encodeStateBody({ ...emptyJobState(), scalingHistory: { [A]: [summary(1000, 2, 4)] } }, [A]),
    );
    const orphan = decodeStateBody(JSON.stringify({ ...base, u: [[0, 999, 5]] }));
    expect(orphan.state.scalingHistory[A]).toEqual([summary(1000, 2, 4)]);
    expect(() => decodeStateBody(JSON.stringify({ ...base, u: [[0, 1000]] }))).toThrow(CorruptItemError);
    expect(() => decodeStateBody(JSON.stringify({ ...base, u: [[0, 1000, 'x']] }))).toThrow(/u\[0\]\[2\]/);
  });
});

describe('STATE body: scale-up shortfall checks still due', () => {
  const due = (entry: ScalingSummary): ScalingSummary => ({ ...entry, shortfallCheckDue: true });

  it('round-trips shortfallCheckDue in the separate `s` field', () => {
    const state: JobState = {
      ...emptyJobState(),
      scalingHistory: { [A]: [summary(1000, 2, 4), due(summary(2000, 4, 8, 12))], [B]: [due(summary(3000, 1, 2))] },
    };
    const text = encodeStateBody(state, vertexIdsOfState(state));
    expect(JSON.parse(text).s).toEqual([
      [0, 2000],
      [1, 3000],
    ]);
    expect(decodeStateBody(text).state.scalingHistory).toEqual(state.scalingHistory);
  });

  it('writes no `s` without due checks, ignores orphans and rejects a malformed entry', () => {
    const state: JobState = { ...emptyJobState(), scalingHistory: { [A]: [summary(1000, 2, 4)] } };
    const base = JSON.parse(encodeStateBody(state, [A]));
    expect(base).not.toHaveProperty('s');
    expect(decodeStateBody(JSON.stringify({ ...base, s: [[0, 999]] })).state.scalingHistory[A]).toEqual([
      summary(1000, 2, 4),
    ]);
    expect(() => decodeStateBody(JSON.stringify({ ...base, s: [[0]] }))).toThrow(CorruptItemError);
    expect(() => decodeStateBody(JSON.stringify({ ...base, s: [[7, 1000]] }))).toThrow(/s\[0\]\[0\]/);
  });
});

describe('STATE body: vertex names and the cost ledger', () => {
  const ledger = {
    sinceMs: 1000,
    accruedToMs: 61_000,
    specTaskManagers: 4,
    currentTaskManagers: 2,
    taskManagerUsdPerHour: 0.09874,
    savedUsd: 12.3456789,
  };

  it('round-trips names in `n` (vertex indices) and the ledger in `k`', () => {
    const state: JobState = {
      ...emptyJobState(),
      parallelismOverrides: { [A]: 2 },
      vertexNames: { [A]: 'Source: Kafka', [B]: 'Sink: Print' },
      costLedger: ledger,
    };
    const ids = vertexIdsOfState(state);
    expect(ids).toEqual([A, B]);
    const text = encodeStateBody(state, ids);
    expect(JSON.parse(text).n).toEqual([
      [0, 'Source: Kafka'],
      [1, 'Sink: Print'],
    ]);
    const decoded = decodeStateBody(text).state;
    expect(decoded.vertexNames).toEqual(state.vertexNames);
    expect(decoded.costLedger).toEqual(ledger);
  });

  it('reads bodies written before them and rejects malformed ones, naming the field', () => {
    const base = JSON.parse(encodeStateBody(emptyJobState(), []));
    const old = decodeStateBody(JSON.stringify(base)).state;
    expect(old).not.toHaveProperty('vertexNames');
    expect(old).not.toHaveProperty('costLedger');
    expect(() => decodeStateBody(JSON.stringify({ ...base, k: [1, 2, 3] }))).toThrow(/k has 3 elements/);
    expect(() => decodeStateBody(JSON.stringify({ ...base, n: [[5, 'x']] }))).toThrow(CorruptItemError);
  });
});

describe('STATE body: rollback state (extension, docs/algorithm.md §12)', () => {
  const rollback = {
    watch: {
      appliedAtMs: 5000,
      knownGood: { parallelismOverrides: { [A]: 2 }, configOverrides: { overrides: { 'taskmanager.memory.process.size': '2g' }, removals: [] } },
      preChangeRatePerSecond: 1234.5,
      seenRunning: true,
      restartsSeen: 1,
    },
    blocked: [{ vertexId: B, fromParallelism: 4, toParallelism: 8, untilMs: 9000 }],
    last: { atMs: 4000, cause: 'unschedulable' as const, evidence: '2 pods', vertices: [{ vertexId: B, from: 8, to: 4 }] },
  };

  it('round-trips the watch, the blocked changes and the last rollback in `rb`', () => {
    const state: JobState = { ...emptyJobState(), rollback };
    expect(decodeStateBody(encodeStateBody(state, vertexIdsOfState(state))).state.rollback).toEqual(rollback);
  });

  it('reads bodies written before rollback existed, and names a malformed field', () => {
    const plain = encodeStateBody(emptyJobState(), []);
    expect(JSON.parse(plain).rb).toBeUndefined();
    expect(decodeStateBody(plain).state.rollback).toBeUndefined();
    const bad = JSON.stringify({ ...JSON.parse(plain), rb: { blocked: [{ vertexId: B, fromParallelism: 'x' }] } });
    expect(() => decodeStateBody(bad)).toThrow(CorruptItemError);
    expect(() => decodeStateBody(bad)).toThrow(/rollback\.blocked\[0\]\.fromParallelism/);
  });
});
