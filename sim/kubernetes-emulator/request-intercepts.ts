import { failureStatus, type StatusResponse } from './kube-status.ts';

/** Matches requests for {@link KubernetesEmulator.intercept}. */
export interface RequestMatcher {
  readonly method?: string;
  readonly pathIncludes?: string;
  /** How many matching requests to intercept. Default 1. */
  readonly times?: number;
}

/** A canned answer, or an action run before the request is handled normally. */
export type InterceptAction =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | (() => void | Promise<void>);

/**
 * Test hooks in front of the API: the next matching request(s) get a canned answer (429/5xx
 * injection) or run an action first (a concurrent write just before a patch). Not a Kubernetes
 * behaviour; the first matching registration with uses left wins.
 */
export class RequestIntercepts {
  readonly #entries: Array<{ matcher: RequestMatcher; remaining: number; action: InterceptAction }> = [];

  /** Registers an intercept for the next `matcher.times` (default 1) matching requests. */
  add(matcher: RequestMatcher, action: InterceptAction): void {
    this.#entries.push({ matcher, remaining: matcher.times ?? 1, action });
  }

  /** Uses up one match: runs an action (then undefined) or returns the canned answer. */
  async take(method: string, pathname: string): Promise<StatusResponse | undefined> {
    const match = this.#entries.find(
      (i) =>
        i.remaining > 0 &&
        (!i.matcher.method || i.matcher.method === method) &&
        (!i.matcher.pathIncludes || pathname.includes(i.matcher.pathIncludes)),
    );
    if (!match) return undefined;
    match.remaining -= 1;
    if (typeof match.action === 'function') {
      await match.action();
      return undefined;
    }
    const body = (match.action.body ??
      failureStatus(match.action.status, 'Intercepted', 'intercepted').body) as Record<string, unknown>;
    const headers = match.action.headers;
    return { code: match.action.status, body, ...(headers ? { headers } : {}) };
  }
}
