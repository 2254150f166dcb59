import { describe, expect, it } from 'vitest';
import { StateStoreEventSink } from '../../../../lib/adapters/dynamodb/state-store-event-sink.ts';
import { InMemoryStateStore } from '../../../../lib/adapters/memory/in-memory-state-store.ts';
import { ManualClock } from '../../../../lib/adapters/clock/manual-clock.ts';
import type { JobKey } from '../../../../lib/domain/index.ts';

const key: JobKey = { cluster: 'c', namespace: 'n', kind: 'FlinkDeployment', name: 'j' };

describe('StateStoreEventSink', () => {
  it("emits at the clock's time and reports suppressed repeats", async () => {
    const store = new InMemoryStateStore();
    const clock = new ManualClock(1_700_000_000_000);
    const sink = new StateStoreEventSink(store, clock);
    const event = {
      reason: 'MemoryPressure',
      type: 'Normal',
      message: 'heap 95 %',
      dedupeIntervalMs: 60_000,
    } as const;

    const first = await sink.emit(key, event);
    clock.advance(30_000);
    const repeat = await sink.emit(key, event);
    clock.advance(30_000);
    const again = await sink.emit(key, event);
    await sink.flush();

    expect([first.emitted, repeat.emitted, again.emitted]).toEqual([true, false, true]);
    expect(again.firstTsMs).toBe(1_700_000_060_000);
    // The repeat wrote nothing: two entries, each emitted once.
    expect((await store.listEvents(key)).map((e) => [e.firstTsMs, e.count])).toEqual([
      [1_700_000_060_000, 1],
      [1_700_000_000_000, 1],
    ]);
  });

  it('refuses to move the manual clock backwards', () => {
    const clock = new ManualClock(10);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.set(5)).toThrow(RangeError);
  });
});
