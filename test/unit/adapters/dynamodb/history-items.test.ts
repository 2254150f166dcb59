import { describe, expect, it } from 'vitest';
import { decodeHistoryItems } from '../../../../lib/adapters/dynamodb/history-read.ts';
import {
  contextBodyText,
  contextDue,
  contextHashOf,
  decodeContextItem,
  decodeRecordedDecision,
  encodeRecordedDecision,
  historyContextItem,
} from '../../../../lib/adapters/dynamodb/history-items.ts';
import { encodeBody } from '../../../../lib/adapters/dynamodb/compressed-body.ts';
import { encodeSampleBody } from '../../../../lib/adapters/dynamodb/sample-codec.ts';
import { CorruptItemError } from '../../../../lib/adapters/dynamodb/state-codec.ts';
import type { DecisionContext } from '../../../../lib/domain/index.ts';
import { aFullSample, vertexIds } from '../../../contract/state-fixtures.ts';

const T0 = 1_700_000_000_000;
const IDS = vertexIds(3);
const CONTEXT: DecisionContext = {
  topology: {
    jobId: 'f'.repeat(32),
    jobRunningTsMs: T0 - 60_000,
    vertices: IDS.map((id, i) => ({
      id,
      ...(i === 1 ? {} : { name: `op ${i}` }),
      parallelism: 2 + i,
      maxParallelism: 128,
      inputs: i === 0 ? [] : [{ id: IDS[i - 1]!, shipStrategy: i === 1 ? ('HASH' as const) : ('FORWARD' as const) }],
      finished: i === 2,
      ...(i === 0 ? { slotSharingGroupId: 'ssg' } : {}),
      numSourcePartitions: i === 0 ? 8 : 0,
    })),
  },
  configuration: { 'job.autoscaler.utilization.target': '0.6', 'job.autoscaler.metrics.window': '5 min' },
  cadenceMs: 60_000,
  taskManager: { cpu: 2, memoryBytes: 4 * 1024 ** 3, memorySource: 'resource.memory' },
};

function contextItem(context = CONTEXT, epoch = 7) {
  const body = contextBodyText(context, epoch, IDS);
  return historyContextItem('JOB#a', T0, epoch, body, contextHashOf(body), 1);
}

describe('replay history items', () => {
  it('round-trips a decision context, and equal contexts hash equally whatever their key order', () => {
    const reordered: DecisionContext = {
      ...CONTEXT,
      configuration: { 'job.autoscaler.metrics.window': '5 min', 'job.autoscaler.utilization.target': '0.6' },
    };
    const decoded = decodeContextItem(contextItem());

    expect(decoded.context).toEqual(CONTEXT);
    expect(decoded.epoch).toBe(7);
    expect(decoded.vertexIds).toEqual(IDS);
    expect(decoded.hash).toBe(contextHashOf(contextBodyText(reordered, 7, IDS)));
    expect(contextHashOf(contextBodyText(CONTEXT, 8, IDS))).not.toBe(decoded.hash);
  });

  it('round-trips a decision with vertices by dictionary index, and the missing metrics', () => {
    const decision = { action: 'blocked' as const, parallelism: { [IDS[2]!]: 9, [IDS[0]!]: 1 } };
    const text = encodeRecordedDecision(decision, ['LAG'], IDS);

    expect(text).toBe('{"a":"blocked","p":[[2,9],[0,1]],"m":["LAG"]}');
    expect(decodeRecordedDecision(text, IDS)).toEqual({ decision, missingRequired: ['LAG'] });
    expect(decodeRecordedDecision('{"a":"not-ready"}', IDS)).toEqual({ decision: { action: 'not-ready', parallelism: {} } });
    expect(() => encodeRecordedDecision({ action: 'scale', parallelism: { other: 2 } }, undefined, IDS)).toThrow(
      /vertex other of the decision is missing from the dictionary/,
    );
  });

  it.each([
    { text: '{x', message: /decision is not valid JSON/ },
    { text: '{"a":"grow"}', message: /decision action "grow" is not one of not-ready, balanced, blocked, scale/ },
    { text: '{"a":"scale","p":[[5,2]]}', message: /decision parallelism \[5,2\] is not \[vertex index, parallelism ≥ 1\]/ },
    { text: '{"a":"scale","p":[[0,0]]}', message: /decision parallelism \[0,0\]/ },
    { text: '{"a":"balanced","m":[1]}', message: /decision m \(missing metrics\) is not a list of strings/ },
  ])('names what is wrong with a corrupt decision: $text', ({ text, message }) => {
    expect(() => decodeRecordedDecision(text, IDS)).toThrow(CorruptItemError);
    expect(() => decodeRecordedDecision(text, IDS)).toThrow(message);
  });

  it.each([
    { change: { sv: 2 }, message: /schema version 2 is not 1/ },
    { change: { hh: 5 }, message: /hh is not a hash/ },
    { change: { ep: 8 }, message: /epoch 7 is not the item's 8/ },
    { change: { b: '{"e":7,"v":[],"k":60000,"j":"x","r":1,"t":[{"id":"a"}],"c":{}}', z: undefined }, message: /t\[0\]\.inputs is not a list/ },
    { change: { b: '{"e":7,"v":[],"k":60000,"j":"x","r":1,"t":[],"c":{"k":1}}', z: undefined }, message: /c \(configuration\)\.k is not a string/ },
  ])('names what is wrong with a corrupt context item ($message)', ({ change, message }) => {
    expect(() => decodeContextItem({ ...contextItem(), ...change })).toThrow(message);
  });

  it('writes the context again when it changed, was never written, or is a retention old', () => {
    const last = { hash: 'abc', writtenAtMs: T0 };
    expect(contextDue(undefined, 'abc', T0, 1000)).toBe(true);
    expect(contextDue(last, 'abd', T0 + 1, 1000)).toBe(true);
    expect(contextDue(last, 'abc', T0 + 999, 1000)).toBe(false);
    expect(contextDue(last, 'abc', T0 + 1000, 1000)).toBe(true);
  });

  it('joins samples with their contexts, and skips an unusable sample by name without failing the rest', () => {
    const item = contextItem();
    const hash = item['hh'];
    const sample = (tsMs: number, extra: Record<string, unknown> = {}) => ({
      pk: 'JOB#a',
      sk: `SAMPLE#${tsMs}`,
      sv: 1,
      ep: 7,
      hh: hash,
      d: '{"a":"balanced"}',
      ...encodeBody(encodeSampleBody(aFullSample(IDS, tsMs), IDS)),
      ...extra,
    });
    const windowOnly = { pk: 'JOB#a', sk: `SAMPLE#${T0 + 5}`, sv: 1, ep: 7, b: '{"v":{},"g":{}}' };

    const history = decodeHistoryItems([item], [
      sample(T0 + 3),
      sample(T0 + 1),
      sample(T0 + 2, { ep: 3 }),
      sample(T0 + 4, { b: '{"v":{"LOAD":"x"}}' }),
      windowOnly,
    ]);

    expect(history.entries.map((e) => e.sample)).toEqual([aFullSample(IDS, T0 + 1), aFullSample(IDS, T0 + 3)]);
    expect(history.entries[0]!.context).toEqual(CONTEXT);
    expect(history.windowOnlySamples).toBe(1);
    expect(history.skipped).toEqual([
      { item: `SAMPLE#${T0 + 2}`, reason: 'epoch 3 differs from its context\'s 7' },
      { item: `SAMPLE#${T0 + 4}`, reason: 'column LOAD[0] is not a number: x' },
    ]);
  });

  it('leaves out samples that expired before the newest sample read, which DynamoDB has not deleted yet', () => {
    const item = contextItem();
    const sample = (tsMs: number, expiresAtMs: number) => ({
      pk: 'JOB#a',
      sk: `SAMPLE#${tsMs}`,
      sv: 1,
      ep: 7,
      hh: item['hh'],
      d: '{"a":"balanced"}',
      expiresAt: Math.ceil(expiresAtMs / 1000),
      ...encodeBody(encodeSampleBody(aFullSample(IDS, tsMs), IDS)),
    });
    // Expired at T0 + 5 s, read with a sample of T0 + 60 s: gone, even without its context.
    const history = decodeHistoryItems([], [sample(T0, T0 + 5_000), sample(T0 + 60_000, T0 + 600_000)]);
    expect(history.entries).toEqual([]);
    expect(history.skipped.map((s) => s.item)).toEqual([`SAMPLE#${T0 + 60_000}`]);
    const kept = decodeHistoryItems([item], [sample(T0, T0 + 5_000), sample(T0 + 1_000, T0 + 600_000)]);
    expect(kept.entries.map((e) => e.sample.tsMs)).toEqual([T0, T0 + 1_000]);
  });
});
