import type { AutoscalerEvent, JobKey } from '../domain/index.ts';

/**
 * Outcome of reporting one event. `emitted: false` means the event repeated an earlier one
 * within its `dedupeIntervalMs` and was left out, as the operator's Kubernetes events are
 * (docs/algorithm.md §5.4): the earlier entry stays as it was.
 */
export interface EventEmission {
  readonly emitted: boolean;
  /** Occurrences recorded on the (new or existing) event, including this one. */
  readonly count: number;
  /** Epoch ms when the recorded event was first emitted. */
  readonly firstTsMs: number;
}

/**
 * Where the autoscaler reports events: the DynamoDB event log, Kubernetes Events on the
 * resource, or a collecting fake in tests. De-duplication by `dedupeIntervalMs` is the sink's
 * job because only the sink knows what it already reported.
 */
export interface EventSink {
  /** Reports `event` for `jobKey` at the sink's current time. */
  emit(jobKey: JobKey, event: AutoscalerEvent): Promise<EventEmission>;
  /** Writes out anything buffered; a no-op for sinks that write through. */
  flush(): Promise<void>;
}
