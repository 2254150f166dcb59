import type { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import type { AutoscalerEvent, JobKey } from '../../lib/domain/index.ts';
import type { EventEmission, EventSink } from '../../lib/ports/event-sink.ts';
import type { WorldEvent } from './world-timeline.ts';

/**
 * Records what the DynamoDB event-log sink actually emitted, for the report: the sinks
 * de-duplicate (`scaling.event.interval`), so the report lists the events a user would see, not
 * every repetition the core produced. The composition root builds an event-log sink per run;
 * {@link EmittedEventRecorder.wrap} wraps each one, and all of them record here.
 */
export class EmittedEventRecorder {
  readonly events: WorldEvent[] = [];
  readonly #clock: ManualClock;
  readonly #startMs: number;

  constructor(clock: ManualClock, startMs: number) {
    this.#clock = clock;
    this.#startMs = startMs;
  }

  /** The event-log sink `inner`, recording every event it emitted. */
  wrap(inner: EventSink): EventSink {
    return {
      emit: async (key: JobKey, event: AutoscalerEvent): Promise<EventEmission> => {
        const emission = await inner.emit(key, event);
        if (emission.emitted) {
          this.events.push({
            tMs: this.#clock.nowMs() - this.#startMs,
            reason: event.reason,
            type: event.type,
            message: event.message,
          });
        }
        return emission;
      },
      flush: () => inner.flush(),
    };
  }
}
