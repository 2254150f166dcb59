import { createHash } from 'node:crypto';
import type { AutoscalerEvent } from '../../domain/autoscaler-event.ts';

/** `source.component` / `reportingComponent` of the autoscaler's Events. */
export const EVENT_COMPONENT = 'flink-serverless-autoscaler';

/** Identity of the object an event is about. */
export interface EventTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

/**
 * Name of the aggregated Event for (reason, key, type, kind, name, uid), like the operator's
 * `EventUtils.generateEventName`: the same occurrence always maps to the same Event, which is
 * then updated (count, lastTimestamp) instead of creating a new one. The uid keeps a recreated
 * resource from inheriting the old resource's events. A DNS-1123 subdomain by construction.
 */
export function aggregatedEventName(target: EventTarget, event: AutoscalerEvent): string {
  const key = event.messageKey ?? event.message;
  const hash = createHash('sha256')
    .update([event.reason, key, event.type, target.kind, target.name, target.uid].join('\u0000'))
    .digest('hex')
    .slice(0, 20);
  return `${EVENT_COMPONENT}.${hash}`;
}

/** Whether a repeat at `nowMs` falls inside the de-duplication interval of the last report. */
export function isWithinDedupeInterval(
  lastTimestamp: string | undefined,
  nowMs: number,
  dedupeIntervalMs: number | undefined,
): boolean {
  if (dedupeIntervalMs === undefined || lastTimestamp === undefined) return false;
  const last = Date.parse(lastTimestamp);
  return !Number.isNaN(last) && nowMs - last < dedupeIntervalMs;
}

/** RFC 3339 with second precision, the format of core/v1 Event timestamps. */
export function eventTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
