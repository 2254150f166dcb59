import type { AutoscalerEvent } from '../../domain/autoscaler-event.ts';
import type { JobKey } from '../../domain/job-key.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventEmission, EventSink } from '../../ports/event-sink.ts';
import {
  aggregatedEventName,
  EVENT_COMPONENT,
  type EventTarget,
  eventTimestamp,
  isWithinDedupeInterval,
} from './event-naming.ts';
import type { FlinkResource } from './flink-resource.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import { KubernetesApiError } from './kubernetes-errors.ts';
import { assertNamespace, flinkResourcePath } from './resource-names.ts';

interface CoreEvent {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

/** Kubernetes messages are capped; keep the event readable and under the API server's limit. */
const MAX_MESSAGE_CHARS = 1024;

/**
 * {@link EventSink} writing core/v1 Events on the FlinkDeployment / FlinkSessionJob, aggregated
 * like the operator's (docs/kubernetes-and-eks.md §9; docs/flink-resources.md §4): one Event per
 * (reason, key, type, kind, name, uid); a repeat updates `count`, `message` and
 * `lastTimestamp`; a repeat within `dedupeIntervalMs` of the last report is skipped.
 */
export class KubernetesEventSink implements EventSink {
  readonly #client: KubernetesClient;
  readonly #clock: Clock;
  readonly #reportingInstance: string;
  readonly #targets = new Map<string, EventTarget>();

  constructor(client: KubernetesClient, clock: Clock, options: { reportingInstance?: string } = {}) {
    this.#client = client;
    this.#clock = clock;
    this.#reportingInstance = (options.reportingInstance ?? EVENT_COMPONENT).slice(0, 128);
  }

  async emit(jobKey: JobKey, event: AutoscalerEvent): Promise<EventEmission> {
    const nowMs = this.#clock.nowMs();
    const target = await this.#target(jobKey);
    const name = aggregatedEventName(target, event);
    const eventsPath = `/api/v1/namespaces/${assertNamespace(target.namespace)}/events`;
    const existing = await this.#getEvent(`${eventsPath}/${name}`);
    const message =
      event.message.length > MAX_MESSAGE_CHARS
        ? `${event.message.slice(0, MAX_MESSAGE_CHARS - 1)}…`
        : event.message;
    if (existing) return this.#update(`${eventsPath}/${name}`, existing, message, event, nowMs);
    try {
      await this.#client.post(eventsPath, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: target.namespace },
        involvedObject: {
          apiVersion: target.apiVersion,
          kind: target.kind,
          name: target.name,
          namespace: target.namespace,
          uid: target.uid,
        },
        reason: event.reason,
        message,
        type: event.type,
        source: { component: EVENT_COMPONENT },
        reportingComponent: EVENT_COMPONENT,
        reportingInstance: this.#reportingInstance,
        count: 1,
        firstTimestamp: eventTimestamp(nowMs),
        lastTimestamp: eventTimestamp(nowMs),
      });
      return { emitted: true, count: 1, firstTsMs: nowMs };
    } catch (error) {
      // another invocation created it first: fold into theirs
      if (error instanceof KubernetesApiError && error.status === 409) {
        const raced = await this.#getEvent(`${eventsPath}/${name}`);
        if (raced) return this.#update(`${eventsPath}/${name}`, raced, message, event, nowMs);
      }
      throw error;
    }
  }

  async flush(): Promise<void> {
    /* writes through */
  }

  async #update(
    path: string,
    existing: CoreEvent,
    message: string,
    event: AutoscalerEvent,
    nowMs: number,
  ): Promise<EventEmission> {
    const firstTsMs = Date.parse(existing.firstTimestamp ?? '') || nowMs;
    const count = existing.count ?? 1;
    if (isWithinDedupeInterval(existing.lastTimestamp, nowMs, event.dedupeIntervalMs)) {
      return { emitted: false, count, firstTsMs };
    }
    await this.#client.patch(path, {
      metadata: { resourceVersion: existing.metadata.resourceVersion },
      count: count + 1,
      message,
      lastTimestamp: eventTimestamp(nowMs),
    });
    return { emitted: true, count: count + 1, firstTsMs };
  }

  async #getEvent(path: string): Promise<CoreEvent | undefined> {
    try {
      return await this.#client.get<CoreEvent>(path);
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** The involved object (uid needed for the name); cached for this sink's lifetime (one cycle). */
  async #target(key: JobKey): Promise<EventTarget> {
    const id = `${key.namespace}/${key.kind}/${key.name}`;
    const cached = this.#targets.get(id);
    if (cached) return cached;
    const resource = await this.#client.get<FlinkResource>(
      flinkResourcePath(key.kind, key.namespace, key.name),
    );
    const target: EventTarget = {
      apiVersion: resource.apiVersion,
      kind: key.kind,
      namespace: key.namespace,
      name: key.name,
      uid: resource.metadata.uid ?? '',
    };
    this.#targets.set(id, target);
    return target;
  }
}
