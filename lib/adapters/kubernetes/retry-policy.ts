/**
 * When to retry a Kubernetes API call and how long to wait (docs/kubernetes-and-eks.md §8): 429 and 5xx
 * are retried a bounded number of times, honouring `Retry-After`. No other 4xx is retried within a
 * cycle: 400/403/404/415/422 give the same answer again, and a 409 is not a retry of the same
 * request — the realizer re-reads the resource and rebuilds its patch once (kubernetes-scaling-realizer.ts).
 * A 401 only refreshes the token once (an expired token, kubernetes-client.ts). A failed cycle is
 * retried by the next tick, never by the queue (docs/architecture.md "Failure policy").
 */

export interface RetryPolicy {
  /** Retries after the first attempt. Default 3. */
  readonly maxRetries: number;
  /** First backoff when the server gives no `Retry-After`. Default 200 ms. */
  readonly baseDelayMs: number;
  /** Cap on any single wait, including a server's `Retry-After`. Default 10 s. */
  readonly maxDelayMs: number;
}

/** Three retries from 200 ms up to 10 s: enough for API-server hiccups within one Lambda cycle. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, baseDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Whether a status may be retried for a method. POST (event creation) is retried only when the
 * server says it did not process the request (429 throttling, 503 unavailable), so a retry
 * cannot duplicate a create; other methods also on 500/502/504.
 */
export function isRetryableStatus(status: number, method: string): boolean {
  if (status === 429 || status === 503) return true;
  if (method === 'POST') return false;
  return status === 500 || status === 502 || status === 504;
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) to ms; undefined when absent/unparseable. */
export function parseRetryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Wait before retry number `retry` (1-based): the server's `Retry-After` plus up to 20 % jitter
 * (so throttled clients do not return in lock-step), else exponential backoff with full jitter;
 * always capped at `maxDelayMs`. `random` is injected for deterministic tests.
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(policy.maxDelayMs, retryAfterMs * (1 + 0.2 * random()));
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return ceiling / 2 + (ceiling / 2) * random();
}

/** Socket error codes of a connection the server closed before answering (Node and undici). */
const CONNECTION_RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * Whether a request failed because its kept-alive connection was already closed by the server (an
 * idle connection the API server or a load balancer dropped, seen as a reset on the next request):
 * the request never reached the server's handler, so one immediate retry on a new connection is
 * safe for any method but POST (an event create, which must never be duplicated).
 */
export function isConnectionReset(error: unknown, method: string): boolean {
  if (method === 'POST') return false;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_RESET_CODES.has(code)) return true;
  }
  return false;
}
