/**
 * The parts of undici the HTTP adapters use (a pooled keep-alive `Agent`, `Dispatcher.request`,
 * the error classes), imported from their own modules instead of the package index.
 *
 * Why: `import … from 'undici'` loads every dispatcher, the mock agents, the cache stores (with
 * `node:sqlite`), fetch and WebSocket – 520 KB of a 690 KB Lambda bundle and about 35 ms of every
 * cold start (`npm run bench`, "Lambda bundles"), for two GET/PATCH clients. The index does
 * nothing else with these modules than re-export them and attach the request API to
 * `Dispatcher.prototype`, which this module repeats. `test/unit/adapters/http/undici-core.test.ts`
 * checks that every value here is the very object the index exports, so an undici upgrade that
 * moves a module fails the tests rather than production.
 */
import type { Dispatcher as DispatcherType } from 'undici';
import type { RestTlsSettings } from '../../ports/metrics-source.ts';
import api from 'undici/lib/api/index.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import errors from 'undici/lib/core/errors.js';
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';

// As undici's index does: `request`, `stream`, … become methods of every dispatcher.
Object.assign(DispatcherClass.prototype, api);

/** undici's `Agent`: one connection pool per origin, keep-alive. */
export const Agent = AgentClass;
/** An undici `Agent` instance. */
export type Agent = InstanceType<typeof AgentClass>;
/** undici's error classes (`HeadersTimeoutError`, `ConnectTimeoutError`, …). */
export const undiciErrors = errors;
/** What undici sends requests through (an `Agent`, a pool, a mock). */
export type Dispatcher = DispatcherType;
/** HTTP methods undici accepts. */
export type HttpMethod = DispatcherType.HttpMethod;

/** Options of {@link dispatchRequest}: undici's request options without origin and path. */
export type DispatchRequestOptions = Omit<DispatcherType.RequestOptions, 'origin' | 'path'>;

/**
 * One request to an absolute `url` through `dispatcher` (undici's `Dispatcher.request`, which
 * takes the origin and the path with its query separately).
 */
export function dispatchRequest(
  dispatcher: DispatcherType,
  url: string,
  options: DispatchRequestOptions,
): Promise<DispatcherType.ResponseData> {
  const parsed = new URL(url);
  return dispatcher.request({ ...options, origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` });
}

/** undici `connect` options (CA, client certificate) of the given TLS settings. */
export function tlsConnectOptions(tls: RestTlsSettings): { ca?: string; cert?: string; key?: string } {
  return {
    ...(tls.caPem ? { ca: tls.caPem } : {}),
    ...(tls.clientCertificate ? { cert: tls.clientCertificate.certPem, key: tls.clientCertificate.keyPem } : {}),
  };
}
