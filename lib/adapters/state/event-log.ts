/**
 * The rules of the event log every `StateStore` keeps (docs/algorithm.md §5.4): which events fold into
 * an earlier entry, under which key, and how long a stored message may be. The adapters differ
 * only in how they find the earlier entry.
 */
import { createHash } from 'node:crypto';
import type { AutoscalerEvent } from '../../domain/index.ts';
import { type ListEventsOptions, StateStoreInputError } from '../../ports/state-store.ts';
import { validateEpochMs } from './store-input.ts';

/** Default retention of the event log: 90 days. */
export const DEFAULT_EVENT_TTL_MS = 90 * 24 * 60 * 60 * 1000;
/**
 * Longest stored message. A ScalingReport of a 1,000-vertex job runs to ~100 KB; the log keeps
 * the head (Kubernetes Events are truncated far shorter anyway) so one event stays a few WCU.
 */
export const EVENT_MESSAGE_MAX_CHARS = 16 * 1024;

/**
 * De-duplication key of an event: hash of its reason and `messageKey` (or message when there is
 * none), like the operator's event name hash (docs/algorithm.md §5.4). 16 hex characters.
 */
export function eventDedupeKey(event: AutoscalerEvent): string {
  return createHash('sha256')
    .update(JSON.stringify([event.reason, event.messageKey ?? event.message]))
    .digest('hex')
    .slice(0, 16);
}

/** The message as stored: cut to {@link EVENT_MESSAGE_MAX_CHARS}. */
export function storedEventMessage(message: string): string {
  return message.length <= EVENT_MESSAGE_MAX_CHARS
    ? message
    : `${message.slice(0, EVENT_MESSAGE_MAX_CHARS - 1)}…`;
}

/** Checks the fields of an event to append; throws {@link StateStoreInputError}. */
export function validateEvent(event: AutoscalerEvent, nowMs: number): void {
  validateEpochMs('nowMs', nowMs);
  if (typeof event?.reason !== 'string' || event.reason.length === 0 || event.reason.includes('#')) {
    throw new StateStoreInputError(
      'event.reason',
      `${JSON.stringify(event?.reason)} is not a reason without '#'`,
    );
  }
  if (event.type !== 'Normal' && event.type !== 'Warning') {
    throw new StateStoreInputError('event.type', `${JSON.stringify(event.type)} is not Normal or Warning`);
  }
  if (typeof event.message !== 'string') throw new StateStoreInputError('event.message', 'must be a string');
  const interval = event.dedupeIntervalMs;
  if (interval !== undefined && (!Number.isFinite(interval) || interval < 0)) {
    throw new StateStoreInputError('event.dedupeIntervalMs', `${interval} is not a non-negative duration`);
  }
}

/**
 * First-emission times an earlier entry must have for `event` at `nowMs` to be repeated by it:
 * within the interval, `[nowMs − interval + 1, nowMs]`. A repeat writes nothing, as the operator's
 * Kubernetes events (`EventUtils.intervalCheck`); an entry is never updated, so its first emission
 * is its last timestamp. Undefined when the event is never de-duplicated (no interval, or 0).
 */
export function dedupeWindowOf(
  event: AutoscalerEvent,
  nowMs: number,
): { fromMs: number; untilMs: number } | undefined {
  const interval = event.dedupeIntervalMs;
  if (interval === undefined || interval <= 0) return undefined;
  return { fromMs: nowMs - interval + 1, untilMs: nowMs };
}

/** How many later milliseconds an event may move to when its first-emission slot is taken. */
export const EVENT_SLOT_ATTEMPTS = 5;

/** The checked `limit` of `StateStore.listEvents`: at most this many newest events, default 100. */
export function eventListLimitOf(options: ListEventsOptions): number {
  const limit = options.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new StateStoreInputError('options.limit', `${limit}`);
  return limit;
}

/** An event checked for appending, with what finding an earlier entry to fold into needs. */
export interface PreparedEvent {
  /** {@link eventDedupeKey} of the event. */
  readonly dedupeKey: string;
  /** {@link dedupeWindowOf} the event; undefined when it is never folded. */
  readonly window: { readonly fromMs: number; readonly untilMs: number } | undefined;
}

/** Checks an event to append at `nowMs` ({@link validateEvent}) and works out its key and window. */
export function prepareEvent(event: AutoscalerEvent, nowMs: number): PreparedEvent {
  validateEvent(event, nowMs);
  return { dedupeKey: eventDedupeKey(event), window: dedupeWindowOf(event, nowMs) };
}
