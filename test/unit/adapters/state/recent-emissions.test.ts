import { describe, expect, it } from 'vitest';
import { StateStoreEventSink } from '../../../../lib/adapters/dynamodb/state-store-event-sink.ts';
import { ManualClock } from '../../../../lib/adapters/clock/manual-clock.ts';
import { InMemoryStateStore } from '../../../../lib/adapters/memory/in-memory-state-store.ts';
import { RecentEmissions } from '../../../../lib/adapters/state/recent-emissions.ts';
import type { AutoscalerEvent, JobKey } from '../../../../lib/domain/index.ts';
import type { EventEmission, EventSink } from '../../../../lib/ports/event-sink.ts';

const KEY: JobKey = { cluster: 'c', namespace: 'n', kind: 'FlinkDeployment', name: 'j' };
const MIN = 60_000;
const recommendation = (message = 'taskmanager.memory.process.size: 3 gb'): AutoscalerEvent => ({
  reason: 'Configuration recommendation',
  type: 'Normal',
  message,
  messageKey: 'memory-tuning',
  dedupeIntervalMs: 30 * MIN,
});

/** The real event-log sink over the in-memory store, counting the calls that reach it. */
function countedSink(clock: ManualClock) {
  const store = new InMemoryStateStore();
  const real = new StateStoreEventSink(store, clock);
  const calls: EventEmission[] = [];
  const sink: EventSink = {
    emit: async (key, event) => {
      const answer = await real.emit(key, event);
      calls.push(answer);
      return answer;
    },
    flush: () => real.flush(),
  };
  return { store, sink, calls };
}

describe('RecentEmissions', () => {
  it('answers a repeat within the interval as the sink would, without asking it', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { store, sink, calls } = countedSink(clock);
    const direct = countedSink(clock);
    const wrapped = new RecentEmissions().wrap('event-log', sink, clock);

    const answers: EventEmission[] = [];
    const directAnswers: EventEmission[] = [];
    for (let minute = 0; minute < 35; minute++) {
      answers.push(await wrapped.emit(KEY, recommendation()));
      directAnswers.push(await direct.sink.emit(KEY, recommendation()));
      clock.advance(MIN);
    }

    // The same answers as the sink alone, and the same event log.
    expect(answers).toEqual(directAnswers);
    expect((await store.listEvents(KEY)).map((e) => [e.firstTsMs, e.count])).toEqual(
      (await direct.store.listEvents(KEY)).map((e) => [e.firstTsMs, e.count]),
    );
    // Asked at the first emission and once the interval had passed (minute 30), not in between.
    expect(calls.map((c) => c.emitted)).toEqual([true, true]);
    expect(answers.filter((a) => a.emitted)).toHaveLength(2);
  });

  it('passes a changed message, an event without an interval and another job to the sink', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const { sink, calls } = countedSink(clock);
    const wrapped = new RecentEmissions().wrap('event-log', sink, clock);

    await wrapped.emit(KEY, recommendation('a'));
    await wrapped.emit(KEY, recommendation('b'));
    await wrapped.emit({ ...KEY, name: 'other' }, recommendation('a'));
    const once: AutoscalerEvent = { reason: 'ScalingReport', type: 'Normal', message: 'x' };
    await wrapped.emit(KEY, once);
    await wrapped.emit(KEY, once);

    expect(calls).toHaveLength(5);
  });

  it('forgets the oldest answers beyond its bound', async () => {
    const clock = new ManualClock(0);
    const { sink, calls } = countedSink(clock);
    const recent = new RecentEmissions(2);
    const wrapped = recent.wrap('event-log', sink, clock);
    for (const name of ['a', 'b', 'c']) await wrapped.emit({ ...KEY, name }, recommendation());
    expect(recent.size).toBe(2);
    await wrapped.emit({ ...KEY, name: 'a' }, recommendation()); // forgotten: asked again
    await wrapped.emit({ ...KEY, name: 'c' }, recommendation()); // remembered
    expect(calls).toHaveLength(4);
  });
});
