/**
 * A process's memory of the events it reported, so that a repeat within its de-duplication
 * interval is answered without asking the sink again (issue #16: the lookup of a repeated event
 * — a DynamoDB Query and a Kubernetes GET — was one request per sink and steady cycle, e.g. for
 * the memory-tuning recommendation the operator repeats every evaluation).
 *
 * Only positive knowledge is kept: an exact event (same job, reason, message key and message)
 * that a sink answered for at most `interval` ago, with the first-emission time the sink
 * reported. Within that window the sink's own rule (../state/event-log.ts `dedupeWindowOf`; the
 * operator's `EventUtils.intervalCheck` for Kubernetes events) would leave the repeat out too, so
 * the answer is the same without the request. Anything else — another message, an expired window,
 * another process, a restarted container — goes to the sink as before.
 */
import { createHash } from 'node:crypto';
import { type AutoscalerEvent, formatJobKey, type JobKey } from '../../domain/index.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventEmission, EventSink } from '../../ports/event-sink.ts';
import { dedupeWindowOf } from './event-log.ts';

/** Events remembered per process at most; the oldest are forgotten first. */
export const RECENT_EMISSIONS_MAX_ENTRIES = 10_000;

/** Per-process memory shared by every run's sinks (one per container or `fsa run` process). */
export class RecentEmissions {
  readonly #answers = new Map<string, EventEmission>();
  readonly #maxEntries: number;

  constructor(maxEntries = RECENT_EMISSIONS_MAX_ENTRIES) {
    this.#maxEntries = maxEntries;
  }

  /** `sink` answering repeats it reported within their interval from this memory. */
  wrap(sinkName: string, sink: EventSink, clock: Clock): EventSink {
    return {
      emit: async (jobKey: JobKey, event: AutoscalerEvent): Promise<EventEmission> => {
        const window = dedupeWindowOf(event, clock.nowMs());
        if (!window) return sink.emit(jobKey, event);
        const key = emissionKey(sinkName, jobKey, event);
        const known = this.#answers.get(key);
        if (known && known.firstTsMs >= window.fromMs && known.firstTsMs <= window.untilMs) {
          return { emitted: false, count: known.count, firstTsMs: known.firstTsMs };
        }
        const answer = await sink.emit(jobKey, event);
        this.#remember(key, answer);
        return answer;
      },
      flush: () => sink.flush(),
    };
  }

  /** How many answers are remembered (for tests and the memory bound). */
  get size(): number {
    return this.#answers.size;
  }

  #remember(key: string, answer: EventEmission): void {
    this.#answers.delete(key); // re-inserted last: Map order is the forgetting order
    this.#answers.set(key, { emitted: answer.emitted, count: answer.count, firstTsMs: answer.firstTsMs });
    while (this.#answers.size > this.#maxEntries) {
      const oldest = this.#answers.keys().next().value;
      if (oldest === undefined) break;
      this.#answers.delete(oldest);
    }
  }
}

/** Identifies an exact event of one job at one sink (its message included: a changed message is written). */
function emissionKey(sinkName: string, jobKey: JobKey, event: AutoscalerEvent): string {
  return createHash('sha256')
    .update(JSON.stringify([sinkName, formatJobKey(jobKey), event.reason, event.type, event.messageKey ?? '', event.message]))
    .digest('base64url');
}
