import type { AutoscalerEvent, JobKey } from '../../domain/index.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventEmission, EventSink } from '../../ports/event-sink.ts';
import type { StateStore } from '../../ports/state-store.ts';

/**
 * {@link EventSink} writing to a {@link StateStore}'s event log (the DynamoDB table in
 * production, the in-memory store in tests), at the clock's time. Writes through: `flush`
 * has nothing to do.
 */
export class StateStoreEventSink implements EventSink {
  readonly #store: Pick<StateStore, 'appendEvent'>;
  readonly #clock: Clock;

  constructor(store: Pick<StateStore, 'appendEvent'>, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  emit(jobKey: JobKey, event: AutoscalerEvent): Promise<EventEmission> {
    return this.#store.appendEvent(jobKey, event, this.#clock.nowMs());
  }

  async flush(): Promise<void> {}
}
