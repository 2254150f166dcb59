import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type NormalizedScenario, parseScenario } from './parse-scenario.ts';
import { answerGet, answerPutResourceRequirements } from './rest-responses.ts';
import type { FlinkSimulatorScenario } from './scenario.ts';
import { SimulatedFlinkCluster } from './simulated-cluster.ts';
import type { WithheldMetric } from './withheld-metrics.ts';

/** A fault the simulator injects into matching requests (for client error-path tests). */
export interface SimulatorFault {
  /** Requests whose path (without `/v1` and query) starts with this are affected. @default "/" */
  readonly pathPrefix?: string;
  /** Answer with this status (and `body`, default a Flink error JSON). */
  readonly status?: number;
  /** Raw body to send instead of JSON (e.g. an HTML proxy page). */
  readonly rawBody?: string;
  /** Never answer (the client must time out). */
  readonly hang?: boolean;
  /** How many requests to affect. @default Infinity */
  readonly times?: number;
}

/** Options of {@link startFlinkSimulator}. */
export interface StartFlinkSimulatorOptions {
  /** Scenario as text (JSON/YAML), parsed object, or already normalized. */
  readonly scenario: string | FlinkSimulatorScenario | NormalizedScenario;
  /** Port on 127.0.0.1. @default 0 (random) */
  readonly port?: number;
  /**
   * Path prefix the API is served under, to mimic the Kubernetes service proxy
   * (`/api/v1/namespaces/<ns>/services/<name>-rest:rest/proxy`). @default "" (root)
   */
  readonly pathPrefix?: string;
  /** Headers every request must carry (e.g. `authorization`); otherwise 401, as the API server would. */
  readonly requiredHeaders?: Readonly<Record<string, string>>;
  /**
   * Keep every request path in {@link FlinkSimulator.requests} (tests read them); `fsa sandbox`
   * turns it off so a server that runs for days keeps flat memory. @default true
   */
  readonly recordRequests?: boolean;
}

/** A running simulator. */
export interface FlinkSimulator {
  /** `http://127.0.0.1:<port>[pathPrefix]` — the REST base URL. */
  readonly url: string;
  /** The simulated cluster (state, counters, lag) for assertions. */
  readonly cluster: SimulatedFlinkCluster;
  /** Current job id (changes on every redeploy). */
  readonly jobId: string;
  /** Virtual epoch ms. */
  nowMs(): number;
  /** Advances the virtual clock. */
  advance(ms: number): void;
  /** Moves the virtual clock forward to an epoch ms. */
  setTime(epochMs: number): void;
  /** Applies per-vertex parallelism overrides (scenario keys or hex vertex ids) after the restart downtime. */
  applyParallelism(overrides: Readonly<Record<string, number>>): { jobId: string; runningAtMs: number };
  /** Oracle: true capacity (records/s) of a vertex at a parallelism (default: current). */
  trueCapacity(vertexKeyOrId: string, parallelism?: number): number;
  /** Injects a fault into subsequent matching requests. */
  injectFault(fault: SimulatorFault): void;
  /**
   * Stops reporting a metric (a vertex's or the TaskManagers', all or some subtasks) until
   * {@link reportAllMetrics}: listings leave it out, aggregations of it answer `[]`.
   */
  withholdMetric(metric: WithheldMetric): void;
  /** Reports every metric again. */
  reportAllMetrics(): void;
  /** Removes all injected faults. */
  clearFaults(): void;
  /** Requests served so far (`path?query` as received), oldest first. */
  readonly requests: readonly string[];
  /** Stops the server (open connections are closed). */
  close(): Promise<void>;
}

/** Flink serializes non-finite doubles as strings (Jackson's default); JSON.stringify would write null. */
function toFlinkJson(body: unknown): string {
  return JSON.stringify(body, (_key, value) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isNormalized(scenario: StartFlinkSimulatorOptions['scenario']): scenario is NormalizedScenario {
  return typeof scenario === 'object' && scenario !== null && 'jobMaxParallelism' in scenario;
}

/** The state a request handler works on. */
interface SimulatorContext {
  readonly options: StartFlinkSimulatorOptions;
  readonly cluster: SimulatedFlinkCluster;
  readonly faults: { fault: SimulatorFault; left: number }[];
  readonly requests: string[];
  /** Responses held open by a `hang` fault, destroyed on close. */
  readonly hanging: Set<ServerResponse>;
}

type Send = (status: number, text: string, type?: string) => void;

/** Answers with the first injected fault that matches `path` and has uses left; false when none does. */
function answerFault(ctx: SimulatorContext, path: string, response: ServerResponse, send: Send): boolean {
  const active = ctx.faults.find((entry) => entry.left > 0 && path.startsWith(entry.fault.pathPrefix ?? '/'));
  if (!active) return false;
  active.left -= 1;
  if (active.fault.hang) {
    ctx.hanging.add(response);
  } else if (active.fault.rawBody !== undefined) {
    send(active.fault.status ?? 200, active.fault.rawBody, 'text/html');
  } else {
    send(active.fault.status ?? 500, toFlinkJson({ errors: ['Injected fault (simulator)'] }));
  }
  return true;
}

/** `PUT /jobs/{id}/resource-requirements`: the only write the simulator serves. */
function answerPut(ctx: SimulatorContext, jobId: string, request: IncomingMessage, send: Send): void {
  readBody(request).then((text) => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      send(400, toFlinkJson({ errors: ['Request body is not valid JSON.'] }));
      return;
    }
    const answer = answerPutResourceRequirements(ctx.cluster, decodeURIComponent(jobId), body);
    send(answer.status, toFlinkJson(answer.body));
  });
}

/**
 * Serves one request: the path prefix (the service proxy's, when mimicked), required headers
 * (401 as the API server would answer), injected faults, then the REST API. Flink serves every
 * path with or without the `/v1` prefix.
 */
function handleRequest(ctx: SimulatorContext, request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://simulator.local');
  if (ctx.options.recordRequests ?? true) ctx.requests.push(`${url.pathname}${url.search}`);
  const send: Send = (status, text, type = 'application/json; charset=UTF-8') => {
    response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };
  const prefix = ctx.options.pathPrefix?.replace(/\/+$/, '') ?? '';
  if (!url.pathname.startsWith(`${prefix}/`)) {
    send(404, toFlinkJson({ errors: [`Not found: ${url.pathname}`] }));
    return;
  }
  for (const [name, value] of Object.entries(ctx.options.requiredHeaders ?? {})) {
    if (request.headers[name.toLowerCase()] !== value) {
      send(401, toFlinkJson({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 }));
      return;
    }
  }
  const path = url.pathname.slice(prefix.length).replace(/^\/v1(?=\/)/, '') || '/';
  if (answerFault(ctx, path, response, send)) return;
  const requirementsPath = /^\/jobs\/([^/]+)\/resource-requirements$/.exec(path);
  if (request.method === 'PUT' && requirementsPath) {
    answerPut(ctx, requirementsPath[1]!, request, send);
    return;
  }
  if (request.method !== 'GET') {
    send(405, toFlinkJson({ errors: [`Request method ${request.method} not supported by the simulator`] }));
    return;
  }
  try {
    const answer = answerGet(ctx.cluster, path, url.searchParams);
    send(answer.status, toFlinkJson(answer.body));
  } catch (error) {
    send(500, toFlinkJson({ errors: [`Internal server error: ${(error as Error).message}`] }));
  }
}

/**
 * Starts a simulated Flink cluster serving the Flink REST API on 127.0.0.1 (paths with or without
 * `/v1`): every GET the collector and `fsa record` use, plus `PUT /jobs/{id}/resource-requirements`
 * for in-place scenarios. Time only moves through `advance`/`setTime`.
 */
export async function startFlinkSimulator(options: StartFlinkSimulatorOptions): Promise<FlinkSimulator> {
  const scenario = isNormalized(options.scenario) ? options.scenario : parseScenario(options.scenario);
  const cluster = new SimulatedFlinkCluster(scenario);
  const ctx: SimulatorContext = { options, cluster, faults: [], requests: [], hanging: new Set() };
  const { faults, requests, hanging } = ctx;
  const handle = (request: IncomingMessage, response: ServerResponse): void =>
    handleRequest(ctx, request, response);

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${options.pathPrefix?.replace(/\/+$/, '') ?? ''}`,
    cluster,
    get jobId() {
      return cluster.jobId;
    },
    nowMs: () => cluster.nowMs,
    advance: (ms) => cluster.advance(ms),
    setTime: (epochMs) => cluster.setTime(epochMs),
    applyParallelism: (overrides) => cluster.applyParallelism(overrides),
    trueCapacity: (vertex, parallelism) => cluster.trueCapacity(vertex, parallelism),
    injectFault: (fault) => {
      faults.push({ fault, left: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    withholdMetric: (metric) => cluster.withholdMetric(metric),
    reportAllMetrics: () => cluster.reportAllMetrics(),
    requests,
    close: async () => {
      for (const response of hanging) response.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
