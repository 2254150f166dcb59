import type { RestTlsSettings } from '../../ports/metrics-source.ts';
import {
  Agent,
  type Dispatcher,
  dispatchRequest,
  type HttpMethod,
  tlsConnectOptions,
} from '../http/undici-core.ts';
import type { BearerTokenProvider } from './auth/eks-token.ts';
import {
  InvalidKubernetesInputError,
  KubernetesApiError,
  type KubernetesStatusCause,
} from './kubernetes-errors.ts';
import {
  DEFAULT_RETRY_POLICY,
  isConnectionReset,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
  retryDelayMs,
} from './retry-policy.ts';

/** How to reach and authenticate to one Kubernetes API server. */
export interface KubernetesClientOptions {
  /** API server base URL (`https://…` in production; `http://127.0.0.1:…` only for the emulator). */
  readonly baseUrl: string;
  /** PEM CA bundle the server certificate is verified against (the cluster CA). */
  readonly caPem?: string;
  /** Bearer token source (static, EKS token, kubeconfig exec plugin). */
  readonly token?: BearerTokenProvider;
  /** Client certificate authentication (kubeconfig `client-certificate-data`/`client-key-data`). */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout. Default 15 s (a Lambda cycle must not hang on a slow API server). */
  readonly requestTimeoutMs?: number;
  /** Injected for tests: wait and jitter source. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Receives `Warning` response headers (deprecations, unknown fields; docs/kubernetes-and-eks.md §8). */
  readonly onWarning?: (warning: string, method: string, path: string) => void;
}

/** Options of one call. */
export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  /** Body content type; `application/json` by default (`application/merge-patch+json` for patches). */
  readonly contentType?: string;
}

/** Options of a paginated list. */
export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size (`limit`); pages are followed through `metadata.continue`. Default 250. */
  readonly pageSize?: number;
}

const IS_LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/**
 * A small Kubernetes API client on undici: JSON in and out, Kubernetes `Status` errors mapped to
 * {@link KubernetesApiError}, one token refresh after a 401, bounded `Retry-After`-honouring
 * retries on 429/5xx (docs/kubernetes-and-eks.md §1, §8). TLS is always verified against `caPem`.
 */
export class KubernetesClient {
  readonly #baseUrl: string;
  readonly #dispatcher: Dispatcher;
  /** TLS settings of the API server; undefined for the plain-HTTP loopback emulator. */
  readonly #tls: RestTlsSettings | undefined;
  readonly #token: BearerTokenProvider | undefined;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #onWarning: KubernetesClientOptions['onWarning'];

  constructor(options: KubernetesClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch (error) {
      throw new InvalidKubernetesInputError('baseUrl', `'${options.baseUrl}' is not a URL`, { cause: error });
    }
    // Plain HTTP only to loopback (the emulator); a real API server is always reached over TLS.
    if (url.protocol !== 'https:' && !IS_LOOPBACK.test(options.baseUrl)) {
      throw new InvalidKubernetesInputError(
        'baseUrl',
        `'${options.baseUrl}' must be https (plain http is allowed only on loopback)`,
      );
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    // One keep-alive pool per client (plain HTTP reaches only the loopback emulator).
    this.#tls =
      url.protocol === 'https:'
        ? {
            ...(options.caPem ? { caPem: options.caPem } : {}),
            ...(options.clientCertificate ? { clientCertificate: options.clientCertificate } : {}),
          }
        : undefined;
    this.#dispatcher = this.#tls ? new Agent({ connect: tlsConnectOptions(this.#tls) }) : new Agent();
    this.#token = options.token;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#timeoutMs = options.requestTimeoutMs ?? 15_000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#random = options.random ?? Math.random;
    this.#onWarning = options.onWarning;
  }

  get<T>(path: string, options: Omit<RequestOptions, 'body' | 'contentType'> = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  /**
   * JSON merge patch (RFC 7386) unless another patch content type is given. `fieldManager`
   * records the writer in `metadata.managedFields`, so GitOps tools can tell whose keys these are.
   */
  patch<T>(
    path: string,
    body: unknown,
    contentType = 'application/merge-patch+json',
    query: RequestOptions['query'] = {},
  ): Promise<T> {
    return this.request<T>('PATCH', path, { body, contentType, query });
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  /** Lists every item of a collection, following `continue` tokens page by page. */
  async list<T>(path: string, options: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.get<{ items?: T[]; metadata?: { continue?: string } }>(path, {
        query: {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: options.pageSize ?? 250,
          continue: continueToken,
        },
      });
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  /** One API call with retries; returns the parsed JSON body (or the text when not JSON). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (!path.startsWith('/')) throw new InvalidKubernetesInputError('path', `'${path}' must start with '/'`);
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {}))
      if (v !== undefined && v !== '') query.set(k, String(v));
    const url = `${this.#baseUrl}${path}${query.size > 0 ? `?${query}` : ''}`;
    let refreshedToken = false;
    let retriedReset = false;
    for (let attempt = 0; ; attempt += 1) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (this.#token) headers['authorization'] = `Bearer ${await this.#token.getToken()}`;
      if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
      let response: Awaited<ReturnType<typeof dispatchRequest>>;
      try {
        response = await dispatchRequest(this.#dispatcher, url, {
          method: method as HttpMethod,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
        });
      } catch (error) {
        // A kept-alive connection closed while idle: once, at once, on a new connection.
        if (retriedReset || !isConnectionReset(error, method)) throw error;
        retriedReset = true;
        attempt -= 1;
        continue;
      }
      const text = await response.body.text();
      const status = response.statusCode;
      const warning = response.headers['warning'];
      if (warning && this.#onWarning) {
        for (const w of Array.isArray(warning) ? warning : [warning]) this.#onWarning(w, method, path);
      }
      if (status >= 200 && status < 300) return parseBody(text) as T;
      const retryAfterHeader = response.headers['retry-after'];
      const error = toApiError(
        method,
        path,
        status,
        text,
        parseRetryAfterMs(typeof retryAfterHeader === 'string' ? retryAfterHeader : undefined, Date.now()),
      );
      if (status === 401 && this.#token && !refreshedToken) {
        // an expired token: build a new one and try once more (docs/kubernetes-and-eks.md §1 step 4)
        refreshedToken = true;
        this.#token.invalidate();
        attempt -= 1;
        continue;
      }
      if (!isRetryableStatus(status, method) || attempt >= this.#retry.maxRetries) throw error;
      await this.#sleep(retryDelayMs(attempt + 1, error.retryAfterMs, this.#retry, this.#random));
    }
  }

  /**
   * What another HTTP client needs to call through this API server (the Flink REST API via the
   * service proxy, docs/flink-rest.md §1): a fresh `authorization` header and this client's TLS
   * settings (the cluster CA, a kubeconfig client certificate); no TLS for the loopback emulator.
   */
  async proxyAccess(): Promise<{ headers: Record<string, string>; tls?: RestTlsSettings }> {
    const headers: Record<string, string> = {};
    if (this.#token) headers['authorization'] = `Bearer ${await this.#token.getToken()}`;
    return { headers, ...(this.#tls ? { tls: this.#tls } : {}) };
  }

  /** The API server URL (scheme, host, port), without a trailing slash. */
  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** Releases the TLS connection pool. */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Maps a non-2xx answer (a `Status` body when the API server sent one) to a typed error. */
export function toApiError(
  method: string,
  path: string,
  status: number,
  text: string,
  retryAfterMs: number | undefined,
): KubernetesApiError {
  const body = parseBody(text) as
    | {
        kind?: string;
        reason?: string;
        message?: string;
        details?: { causes?: KubernetesStatusCause[]; retryAfterSeconds?: number };
      }
    | string
    | undefined;
  const isStatus = typeof body === 'object' && body !== null && body.kind === 'Status';
  const detailsRetry = isStatus ? body.details?.retryAfterSeconds : undefined;
  return new KubernetesApiError({
    status,
    method,
    path,
    reason: (isStatus && body.reason) || reasonForCode(status),
    message: isStatus ? (body.message ?? '') : typeof body === 'string' ? body.slice(0, 500) : '',
    causes: isStatus ? (body.details?.causes ?? []) : [],
    ...(retryAfterMs !== undefined
      ? { retryAfterMs }
      : detailsRetry !== undefined
        ? { retryAfterMs: detailsRetry * 1000 }
        : {}),
  });
}

function reasonForCode(status: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[status] ?? 'Unknown';
}
