import { Agent, dispatchRequest, tlsConnectOptions, undiciErrors } from '../http/undici-core.ts';
import {
  type FlinkJobTarget,
  FlinkRestError,
  JobNotFoundError,
  type RestTlsSettings,
} from '../../ports/metrics-source.ts';
import { flinkErrorMessages } from './parse-metric-responses.ts';

/** Settings of the shared connection pool. */
export interface FlinkRestClientOptions {
  /** Max sockets per origin; bounds server load together with the collector's concurrency. @default 8 */
  readonly connectionsPerOrigin?: number;
  /** Idle keep-alive of pooled sockets. @default 30_000 */
  readonly keepAliveTimeoutMs?: number;
}

/** One GET to the Flink REST API. */
export interface FlinkGet {
  /** Flink path starting with `/`, e.g. `/jobs/<id>`; ids inside are already encoded. */
  readonly path: string;
  /** Query parameters; values are sent verbatim, so encode ids with {@link encodeMetricIds}. */
  readonly query?: Readonly<Record<string, string>>;
  /** Overall deadline of the call (connect + headers + body). */
  readonly timeoutMs: number;
}

/**
 * What the collector needs of a client: JSON GETs with the typed errors of {@link FlinkRestClient}
 * (`JobNotFoundError`, `FlinkRestError`), and a close.
 */
export interface FlinkJsonClient {
  getJson(target: FlinkJobTarget, get: FlinkGet): Promise<unknown>;
  close(): Promise<void>;
}

const JOB_PATH = /^\/jobs\/([0-9A-Za-z]+)(?:\/|$)/;

/**
 * Encodes metric ids for `get=`: each id percent-encoded (operator names may contain `+`, `>`,
 * `(`…; `+` would otherwise decode as a space), joined with a literal comma.
 */
export function encodeMetricIds(ids: readonly string[]): string {
  return ids
    .map((id) =>
      encodeURIComponent(id).replace(
        /[!'()*]/g,
        (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join(',');
}

/**
 * Minimal JSON GET client for the Flink REST API on one pooled, keep-alive undici `Agent`
 * (reused across jobs and warm Lambda invocations). Maps every failure to a typed error:
 * 404 under `/jobs/<id>` → {@link JobNotFoundError}; other statuses, timeouts, connection errors
 * and non-JSON bodies → {@link FlinkRestError} with the path.
 */
export class FlinkRestClient implements FlinkJsonClient {
  readonly #poolOptions: { connections: number; keepAliveTimeout: number };
  readonly #agent: Agent;
  /** One pool per distinct TLS setting (one per cluster CA in practice), kept like the shared one. */
  readonly #tlsAgents = new Map<string, Agent>();

  constructor(options: FlinkRestClientOptions = {}) {
    this.#poolOptions = {
      connections: options.connectionsPerOrigin ?? 8,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    };
    this.#agent = new Agent(this.#poolOptions);
  }

  /** GETs `path` and returns the parsed JSON body. */
  async getJson(target: FlinkJobTarget, get: FlinkGet): Promise<unknown> {
    const url = buildUrl(target.restBaseUrl, get.path, get.query);
    const dispatcher = target.tls ? this.#agentFor(target.tls) : this.#agent;
    let status: number;
    let text: string;
    try {
      const response = await dispatchRequest(dispatcher, url, {
        method: 'GET',
        headers: { accept: 'application/json', ...target.headers },
        headersTimeout: get.timeoutMs,
        bodyTimeout: get.timeoutMs,
        signal: AbortSignal.timeout(get.timeoutMs),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw transportError(error, get.path, get.timeoutMs);
    }
    if (status >= 400) throw statusError(status, text, get.path);
    try {
      return JSON.parse(text);
    } catch (cause) {
      const preview = text.slice(0, 80).replace(/\s+/g, ' ');
      throw new FlinkRestError(
        'non-json',
        get.path,
        status,
        `Flink REST ${get.path} returned a non-JSON body (status ${status}): ${JSON.stringify(preview)}`,
        { cause },
      );
    }
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    const agents = [this.#agent, ...this.#tlsAgents.values()];
    this.#tlsAgents.clear();
    await Promise.all(agents.map((agent) => agent.close()));
  }

  #agentFor(tls: RestTlsSettings): Agent {
    // Keyed by content, not identity: callers may build a fresh settings object per job.
    const { caPem, clientCertificate } = tls;
    const key = JSON.stringify([caPem ?? null, clientCertificate?.certPem ?? null, clientCertificate?.keyPem ?? null]);
    let agent = this.#tlsAgents.get(key);
    if (agent === undefined) {
      agent = new Agent({ ...this.#poolOptions, connect: tlsConnectOptions(tls) });
      this.#tlsAgents.set(key, agent);
    }
    return agent;
  }
}

function buildUrl(base: string, path: string, query: Readonly<Record<string, string>> | undefined): string {
  // Plain string joining keeps a service-proxy path prefix (`…/proxy`), which `new URL(path, base)`
  // would drop for an absolute path.
  const trimmed = base.replace(/\/+$/, '');
  const search = Object.entries(query ?? {})
    .map(([key, value]) => `${encodeURIComponent(key)}=${value}`)
    .join('&');
  return `${trimmed}${path}${search ? `?${search}` : ''}`;
}

/**
 * The typed error of an HTTP error status: 404 under `/jobs/<id>` → {@link JobNotFoundError},
 * anything else → {@link FlinkRestError} with Flink's error messages from the body.
 */
export function statusError(status: number, text: string, path: string): FlinkRestError {
  let messages: string[] = [];
  try {
    messages = flinkErrorMessages(JSON.parse(text));
  } catch {
    // A proxy or load balancer answered with HTML/plain text; the status says enough.
  }
  const detail = messages.length > 0 ? `: ${messages.join('; ').slice(0, 300)}` : '';
  const jobMatch = JOB_PATH.exec(path);
  if (status === 404 && jobMatch?.[1] && jobMatch[1] !== 'overview' && jobMatch[1] !== 'metrics') {
    return new JobNotFoundError(
      jobMatch[1],
      path,
      `Flink job ${jobMatch[1]} not found (404 on ${path})${detail}`,
    );
  }
  return new FlinkRestError(
    'http-status',
    path,
    status,
    `Flink REST ${path} failed with HTTP ${status}${detail}`,
  );
}

function transportError(error: unknown, path: string, timeoutMs: number): FlinkRestError {
  const name = error instanceof Error ? error.name : '';
  const isTimeout =
    name === 'TimeoutError' ||
    name === 'AbortError' ||
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError;
  if (isTimeout) {
    return new FlinkRestError(
      'timeout',
      path,
      undefined,
      `Flink REST ${path} timed out after ${timeoutMs} ms`,
      {
        cause: error,
      },
    );
  }
  const code = (error as { code?: string } | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  return new FlinkRestError(
    'connection',
    path,
    undefined,
    `Flink REST ${path} failed: ${code ? `${code} ` : ''}${reason}`,
    { cause: error },
  );
}
