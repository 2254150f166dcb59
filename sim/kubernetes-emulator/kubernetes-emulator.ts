import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { answerAccessReview, EMULATOR_ADMIN, type EmulatorUser } from './access-review.ts';
import { type ApiContext, routeApiRequest } from './api-router.ts';
import { eventsOf } from './cluster-events.ts';
import type { CrdVariant } from './crd-validator.ts';
import { answerDiscovery, asTableIfRequested } from './discovery.ts';
import type { StoredObject } from './flink-operator-model.ts';
import { failureStatus, isStatusResponse, type StatusResponse } from './kube-status.ts';
import { OperatorLoop, type SpecAppliedHook } from './operator-loop.ts';
import {
  DEFAULT_OPERATOR_VERSION,
  deployedConfiguration,
  type OperatorProfile,
  parseOperatorVersion,
} from './operator-profile.ts';
import { type InterceptAction, type RequestMatcher, RequestIntercepts } from './request-intercepts.ts';
import { kindByName } from './resource-kinds.ts';
import { ResourceStore, type VirtualClock } from './resource-store.ts';
import { type RawResponse, ServiceProxy } from './service-proxy.ts';

/**
 * The Kubernetes API emulator: this module serves HTTP (auth, test intercepts, request log) and
 * assembles the parts: {@link ResourceStore} (objects and admission), `list-objects.ts` and
 * `resource-writes.ts` (the verbs), `api-router.ts` (paths to verbs), {@link OperatorLoop} (the
 * Flink operator on a virtual clock), `cluster-events.ts` and `service-proxy.ts`.
 */

export type { EmulatorUser } from './access-review.ts';
export type { StoredObject } from './flink-operator-model.ts';
export type { SpecAppliedHook, SpecAppliedResult } from './operator-loop.ts';
export type { InterceptAction, RequestMatcher } from './request-intercepts.ts';

/** Options of {@link startKubernetesEmulator}. */
export interface KubernetesEmulatorOptions {
  /** Bearer token every request must carry (or a predicate, e.g. to accept EKS-style tokens). */
  readonly token: string | ((token: string) => boolean);
  /**
   * The user (name and groups) an accepted token authenticates as, the subject of a
   * SelfSubjectAccessReview (access-review.ts). Default: a cluster admin in `system:masters`.
   */
  readonly userOf?: (token: string) => EmulatorUser;
  /** Virtual ms from observing a spec change to the job RUNNING again. Default 30 000. */
  readonly restartDelayMs?: number;
  /** Virtual ms an in-place rescale takes. Default: `restartDelayMs`. */
  readonly inPlaceDelayMs?: number;
  /** Virtual ms from RUNNING to lifecycle STABLE. Default 0. */
  readonly stableDelayMs?: number;
  /** Virtual clock start (epoch ms). Default 2026-01-01T00:00:00Z. */
  readonly startTimeMs?: number;
  /** Which CRDs to enforce. Default `main`. */
  readonly crdVariant?: CrdVariant;
  /**
   * Called after a spec became effective (deploy, upgrade, in-place rescale), with a copy. The
   * Flink simulator hooks in here to apply the new parallelism; returning `{ jobId }` makes the
   * status report the simulator's job id.
   */
  readonly onSpecApplied?: SpecAppliedHook;
  /**
   * The operator release to play (`1.15` default): from it depend `status.observedGeneration`
   * (written from 1.8) and the last-state-without-HA validation (dropped in 1.10).
   */
  readonly operatorVersion?: string;
  /**
   * The operator's default Flink configuration (its ConfigMap's `flink-conf`), flat; it applies
   * under every resource's own `flinkConfiguration` (e.g. `jobmanager.scheduler: adaptive`).
   */
  readonly operatorDefaults?: Readonly<Record<string, string>>;
  /**
   * Failure mode (sim/kubernetes-emulator/task-manager-pods.ts): keep TaskManager pods for every
   * FlinkDeployment and let only this many be scheduled; the rest stay Pending/Unschedulable and
   * hold the rollout. Absent (default): no pods are kept and rollouts never wait for them.
   */
  readonly taskManagerNodeBudget?: number;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Serve HTTPS with this certificate (tests of CA verification); plain HTTP when absent. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
  /**
   * Keep every request in {@link KubernetesEmulator.requests} (tests read them). `fsa sandbox`,
   * which serves for days on the real clock, turns it off so memory stays flat. Default true.
   */
  readonly recordRequests?: boolean;
}

/** One request the emulator served, for assertions such as "no PATCH was made". */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly status: number;
}

/** Handle of a running emulator. */
export interface KubernetesEmulator {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests served so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Current virtual time (epoch ms). */
  nowMs(): number;
  /** Moves the virtual clock, running the operator's reconciles and due rollouts in order. */
  advance(ms: number): Promise<void>;
  /** Creates or replaces an object (any served kind); Flink kinds are CRD-validated. */
  apply(object: Record<string, unknown>): StoredObject;
  get(kind: string, namespace: string | undefined, name: string): StoredObject | undefined;
  list(kind: string): StoredObject[];
  /** core/v1 Events, optionally those of one namespace / involved object name. */
  events(namespace?: string, involvedObjectName?: string): StoredObject[];
  /**
   * The configuration the running job was deployed with (operator defaults, session cluster,
   * last reconciled spec), i.e. what its JobManager reports on `/jobmanager/config`.
   */
  deployedConfiguration(kind: string, namespace: string, name: string): Record<string, string>;
  /** Upstream for `/api/v1/namespaces/{ns}/services/{service}:<port>/proxy/...`. */
  setProxyTarget(namespace: string, service: string, url: string): void;
  /** Intercepts the next matching request(s) (429/5xx injection, a concurrent write before a patch). */
  intercept(matcher: RequestMatcher, action: InterceptAction): void;
  setOnSpecApplied(hook: SpecAppliedHook | undefined): void;
  close(): Promise<void>;
}

/** Thrown by {@link KubernetesEmulator.apply} when an object fails validation. */
export class EmulatorValidationError extends Error {
  override readonly name = 'EmulatorValidationError';
  readonly status: StatusResponse;
  constructor(status: StatusResponse) {
    super(String(status.body['message']));
    this.status = status;
  }
}

const JSON_TYPE = 'application/json';

/** Bearer authentication (docs/kubernetes-and-eks.md §1): a missing or rejected token is 401 Unauthorized. */
function authorized(req: IncomingMessage, token: KubernetesEmulatorOptions['token']): boolean {
  const bearer = bearerToken(req);
  if (!bearer) return false;
  return typeof token === 'string' ? bearer === token : token(bearer);
}

/** The token of an `Authorization: Bearer …` header; `''` without one. */
function bearerToken(req: IncomingMessage): string {
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** What {@link serve} needs besides the API itself. */
interface Front {
  readonly api: ApiContext;
  readonly token: KubernetesEmulatorOptions['token'];
  readonly userOf: (token: string) => EmulatorUser;
  readonly intercepts: RequestIntercepts;
  readonly requests: RecordedRequest[];
  readonly recordRequests: boolean;
  /** For the Age column of Table answers (discovery.ts). */
  readonly clock: VirtualClock;
}

/** Answers one HTTP request: auth, then an intercept or the API; every request is recorded. */
async function serve(front: Front, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const contentType = req.headers['content-type'];
  let result: StatusResponse | RawResponse;
  if (!authorized(req, front.token)) {
    result = failureStatus(401, 'Unauthorized', 'Unauthorized');
  } else {
    const canned = await front.intercepts.take(method, url.pathname);
    try {
      // discovery.ts: API discovery and Table printing, so that the real kubectl can use the emulator.
      result =
        canned ??
        answerDiscovery(method, url.pathname, req.headers.host ?? '127.0.0.1') ??
        answerAccessReview(front.api.store, front.userOf(bearerToken(req)), { method, pathname: url.pathname, body }) ??
        (await routeApiRequest(front.api, { method, url, contentType, body }));
      result = asTableIfRequested(req.headers.accept, method, front.clock.nowMs, result);
    } catch (error) {
      result = failureStatus(500, 'InternalError', error instanceof Error ? error.message : String(error));
    }
  }
  if (front.recordRequests) {
    front.requests.push({ method, path: url.pathname + url.search, contentType, body, status: result.code });
  }
  if ('raw' in result) {
    res.writeHead(result.code, { 'content-type': result.contentType });
    res.end(result.raw);
    return;
  }
  res.writeHead(result.code, { 'content-type': JSON_TYPE, ...(result.headers ?? {}) });
  res.end(JSON.stringify(result.body));
}

/** Listens on 127.0.0.1 (HTTPS when a certificate is given); a handler crash is a 500 Status. */
async function listen(options: KubernetesEmulatorOptions, front: Front): Promise<Server> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    serve(front, req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': JSON_TYPE });
      res.end(JSON.stringify(failureStatus(500, 'InternalError', String(error)).body));
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener)
    : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return server;
}

/** {@link KubernetesEmulator.apply}: a server-side create or replace that may also set status. */
function applyObject(store: ResourceStore, object: Record<string, unknown>): StoredObject {
  const info = kindByName(String(object['kind']));
  if (!info) throw new Error(`kind '${String(object['kind'])}' is not served by the emulator`);
  const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
  const name = String(metadata['name'] ?? '');
  const namespace = info.namespaced ? String(metadata['namespace'] ?? 'default') : undefined;
  const existing = store.get(ResourceStore.keyOf(info.plural, namespace, name));
  const prepared = store.prepare(info, object, existing, namespace);
  if (isStatusResponse(prepared)) throw new EmulatorValidationError(prepared);
  if (object['status'] !== undefined)
    prepared.status = structuredClone(object['status'] as Record<string, unknown>);
  return structuredClone(store.commit(info, existing, prepared));
}

/**
 * Starts a Kubernetes API emulator on 127.0.0.1 (plain HTTP, or HTTPS with `tls`): the
 * operator's CRDs enforced, resourceVersion/generation, merge and JSON patches, selectors,
 * pagination, events, bearer auth, the service proxy, and the operator's lifecycle on a virtual
 * clock (docs/design.md §7).
 */
export async function startKubernetesEmulator(
  options: KubernetesEmulatorOptions,
): Promise<KubernetesEmulator> {
  const clock: VirtualClock = { nowMs: options.startTimeMs ?? Date.UTC(2026, 0, 1) };
  const store = new ResourceStore(options.crdVariant ?? 'main', clock);
  const timing = {
    restartDelayMs: options.restartDelayMs ?? 30_000,
    inPlaceDelayMs: options.inPlaceDelayMs ?? options.restartDelayMs ?? 30_000,
    stableDelayMs: options.stableDelayMs ?? 0,
  };
  const profile: OperatorProfile = {
    version: options.operatorVersion ? parseOperatorVersion(options.operatorVersion) : DEFAULT_OPERATOR_VERSION,
    defaults: { ...(options.operatorDefaults ?? {}) },
  };
  const operator = new OperatorLoop(
    store,
    clock,
    timing,
    options.onSpecApplied,
    profile,
    options.taskManagerNodeBudget,
  );
  const stored = (kind: string, namespace: string | undefined, name: string) => {
    const info = kindByName(kind);
    return info ? store.get(ResourceStore.keyOf(info.plural, info.namespaced ? namespace : undefined, name)) : undefined;
  };
  const proxy = new ServiceProxy();
  const intercepts = new RequestIntercepts();
  const requests: RecordedRequest[] = [];
  const api = { store, operator, proxy };
  const userOf = options.userOf ?? (() => EMULATOR_ADMIN);
  const server = await listen(options, { api, token: options.token, userOf, intercepts, requests, recordRequests: options.recordRequests ?? true, clock });
  const address = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    requests,
    nowMs: () => clock.nowMs,
    advance: (ms) => operator.advance(ms),
    apply: (object) => applyObject(store, object),
    get(kind, namespace, name) {
      const found = stored(kind, namespace, name);
      return found ? structuredClone(found) : undefined;
    },
    deployedConfiguration(kind, namespace, name) {
      const object = stored(kind, namespace, name);
      if (!object) throw new Error(`no ${kind} ${namespace}/${name}`);
      const session = object.spec?.['deploymentName'];
      const cluster = typeof session === 'string' ? stored('FlinkDeployment', namespace, session) : undefined;
      return deployedConfiguration(object, cluster, profile);
    },
    list: (kind) => store.ofKind(kind).map((o) => structuredClone(o)),
    events: (namespace, involvedObjectName) => eventsOf(store, namespace, involvedObjectName),
    setProxyTarget: (namespace, service, url) => proxy.setTarget(namespace, service, url),
    intercept: (matcher, action) => intercepts.add(matcher, action),
    setOnSpecApplied: (hook) => operator.setOnSpecApplied(hook),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
