import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { request as undiciRequest } from 'undici';
import { type CrdVariant, flinkCrdValidator, type ObjectValidator } from './crd-validator.ts';
import {
  completeRollout,
  type OperatorTiming,
  observeSpecChange,
  type PendingRollout,
  type StoredObject,
} from './flink-operator-model.ts';
import { applyJsonPatch, applyMergePatch, deepEqual, JsonPatchError } from './json-patches.ts';
import {
  badRequest,
  conflict,
  failureStatus,
  invalid,
  notFound,
  type StatusResponse,
} from './kube-status.ts';
import { fieldValue, matchesSelector, parseLabelSelector, SelectorSyntaxError } from './label-selector.ts';
import {
  apiVersionOf,
  kindByName,
  kindByPath,
  RESOURCE_KINDS,
  type ResourceKindInfo,
} from './resource-kinds.ts';

export type { StoredObject } from './flink-operator-model.ts';

/** Options of {@link startKubernetesEmulator}. */
export interface KubernetesEmulatorOptions {
  /** Bearer token every request must carry (or a predicate, e.g. to accept EKS-style tokens). */
  readonly token: string | ((token: string) => boolean);
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
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Serve HTTPS with this certificate (tests of CA verification); plain HTTP when absent. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
}

/** Hook run when the operator model makes a spec effective; may report the job id it now runs under. */
export type SpecAppliedHook = (
  resource: StoredObject,
  // most hooks return nothing; `void` lets them
) => void | SpecAppliedResult | Promise<void | SpecAppliedResult>;

/** What a {@link SpecAppliedHook} may report back. */
export interface SpecAppliedResult {
  /** The job id the (simulated) cluster now runs the job under. */
  readonly jobId?: string;
}

/** One request the emulator served, for assertions such as "no PATCH was made". */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string;
  readonly status: number;
}

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

interface ParsedPath {
  readonly info: ResourceKindInfo;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

const JSON_TYPE = 'application/json';

function isStatusResponse(value: StoredObject | StatusResponse | ParsedPath): value is StatusResponse {
  return (
    typeof (value as StatusResponse).code === 'number' && typeof (value as StatusResponse).body === 'object'
  );
}

/**
 * Starts a Kubernetes API emulator on 127.0.0.1 (plain HTTP, or HTTPS with `tls`): the operator's CRDs enforced,
 * resourceVersion/generation, merge and JSON patches, selectors, pagination, events, bearer
 * auth, the service proxy, and the operator's lifecycle on a virtual clock (design §7).
 */
export async function startKubernetesEmulator(
  options: KubernetesEmulatorOptions,
): Promise<KubernetesEmulator> {
  const timing: OperatorTiming = {
    restartDelayMs: options.restartDelayMs ?? 30_000,
    inPlaceDelayMs: options.inPlaceDelayMs ?? options.restartDelayMs ?? 30_000,
    stableDelayMs: options.stableDelayMs ?? 0,
  };
  const variant = options.crdVariant ?? 'main';
  const validators: Record<string, ObjectValidator> = {
    flinkdeployments: flinkCrdValidator('flinkdeployments', variant),
    flinksessionjobs: flinkCrdValidator('flinksessionjobs', variant),
  };
  let now = options.startTimeMs ?? Date.UTC(2026, 0, 1);
  let resourceVersion = 1000;
  let onSpecApplied = options.onSpecApplied;
  const store = new Map<string, StoredObject>();
  const pending = new Map<string, PendingRollout>();
  const deployments = new Map<string, number>();
  const proxyTargets = new Map<string, string>();
  const intercepts: Array<{ matcher: RequestMatcher; remaining: number; action: InterceptAction }> = [];
  const requests: RecordedRequest[] = [];

  const keyOf = (plural: string, namespace: string | undefined, name: string) =>
    `${plural}|${namespace ?? ''}|${name}`;
  const nextVersion = () => String(++resourceVersion);
  const isoNow = () => new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');

  function validate(info: ResourceKindInfo, object: StoredObject): StatusResponse | undefined {
    const validator = validators[info.plural];
    if (!validator) return undefined;
    const causes = validator(object);
    return causes.length > 0 ? invalid(info.kind, info.group, object.metadata.name, causes) : undefined;
  }

  /** Stores a new version when something changed; spec changes bump generation (Flink kinds). */
  function commit(
    info: ResourceKindInfo,
    existing: StoredObject | undefined,
    candidate: StoredObject,
  ): StoredObject {
    const key = keyOf(info.plural, candidate.metadata.namespace, candidate.metadata.name);
    if (existing) {
      const comparableOld = { ...existing, metadata: { ...existing.metadata, resourceVersion: '' } };
      const comparableNew = {
        ...candidate,
        metadata: { ...candidate.metadata, resourceVersion: '', generation: existing.metadata.generation },
      };
      if (deepEqual(comparableOld, comparableNew)) return existing; // a no-op write keeps resourceVersion
      if (info.flink) {
        candidate.metadata.generation =
          (existing.metadata.generation ?? 1) + (deepEqual(existing.spec, candidate.spec) ? 0 : 1);
      }
    } else if (info.flink) {
      candidate.metadata.generation = 1;
    }
    candidate.metadata.resourceVersion = nextVersion();
    store.set(key, candidate);
    return candidate;
  }

  function recordEvent(object: StoredObject, reason: string, type: string, message: string): void {
    const info = kindByName('Event')!;
    const name = `${object.metadata.name}.${(resourceVersion + 1).toString(16)}`;
    commit(info, undefined, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name,
        namespace: object.metadata.namespace,
        uid: randomUUID(),
        resourceVersion: '',
        creationTimestamp: isoNow(),
      },
      involvedObject: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        uid: object.metadata.uid,
      },
      reason,
      type,
      message,
      source: { component: 'Operator' },
      count: 1,
      firstTimestamp: isoNow(),
      lastTimestamp: isoNow(),
    });
  }

  function setStatus(
    info: ResourceKindInfo,
    object: StoredObject,
    status: Record<string, unknown>,
  ): StoredObject {
    return commit(info, object, { ...structuredClone(object), status });
  }

  /** The operator's observe step: every resource whose generation is ahead gets reconciled. */
  function reconcileAll(): void {
    for (const info of RESOURCE_KINDS.filter((k) => k.flink)) {
      for (const object of [...store.values()].filter((o) => o.kind === info.kind)) {
        const observed = object.status?.['observedGeneration'];
        if (observed === object.metadata.generation) continue;
        const outcome = observeSpecChange(object, now, timing);
        const updated = setStatus(info, object, outcome.status);
        const key = keyOf(info.plural, updated.metadata.namespace, updated.metadata.name);
        if (outcome.pending) pending.set(key, outcome.pending);
        for (const e of outcome.events) recordEvent(updated, e.reason, e.type, e.message);
      }
    }
  }

  async function runDue(untilMs: number): Promise<boolean> {
    let dueKey: string | undefined;
    let due: PendingRollout | undefined;
    for (const [key, rollout] of pending) {
      if (rollout.dueAtMs <= untilMs && (!due || rollout.dueAtMs < due.dueAtMs)) {
        due = rollout;
        dueKey = key;
      }
    }
    if (!due || !dueKey) return false;
    pending.delete(dueKey);
    now = Math.max(now, due.dueAtMs);
    const object = store.get(dueKey);
    if (!object) return true;
    const info = kindByName(object.kind)!;
    const count = (deployments.get(object.metadata.uid) ?? 0) + (due.newJobId ? 1 : 0);
    deployments.set(object.metadata.uid, count);
    const outcome = completeRollout(object, due, count, now, timing);
    const updated = setStatus(info, object, outcome.status);
    if (outcome.pending) pending.set(dueKey, outcome.pending);
    for (const e of outcome.events) recordEvent(updated, e.reason, e.type, e.message);
    if (due.kind !== 'stabilize') {
      const reported = await onSpecApplied?.(structuredClone(updated));
      const jobStatus = (updated.status?.['jobStatus'] ?? {}) as Record<string, unknown>;
      if (reported?.jobId && reported.jobId !== jobStatus['jobId']) {
        setStatus(info, updated, { ...updated.status, jobStatus: { ...jobStatus, jobId: reported.jobId } });
      }
    }
    reconcileAll();
    return true;
  }

  function parsePath(pathname: string): ParsedPath | StatusResponse | undefined {
    const parts = pathname
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      group = '';
      version = parts[1] ?? '';
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 3) {
      group = parts[1] ?? '';
      version = parts[2] ?? '';
      rest = parts.slice(3);
    } else return undefined;
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const info = kindByPath(group, version, rest[0] ?? '');
    if (!info || rest.length > 3) return undefined;
    if (info.namespaced !== (namespace !== undefined) && rest.length > 1) return undefined;
    return { info, namespace, name: rest[1], subresource: rest[2] };
  }

  function listObjects(
    info: ResourceKindInfo,
    namespace: string | undefined,
    query: URLSearchParams,
  ): StatusResponse {
    let labelReqs: ReturnType<typeof parseLabelSelector>;
    let fieldReqs: ReturnType<typeof parseLabelSelector>;
    try {
      labelReqs = parseLabelSelector(query.get('labelSelector') ?? '');
      fieldReqs = parseLabelSelector(query.get('fieldSelector') ?? '');
    } catch (error) {
      if (error instanceof SelectorSyntaxError) return badRequest(error.message);
      throw error;
    }
    const matching = [...store.entries()]
      .filter(
        ([, o]) => o.kind === info.kind && (namespace === undefined || o.metadata.namespace === namespace),
      )
      .filter(([, o]) => matchesSelector(labelReqs, o.metadata.labels ?? {}))
      .filter(([, o]) =>
        fieldReqs.every((r) => {
          const value = fieldValue(o, r.key);
          return matchesSelector([r], value === undefined ? {} : { [r.key]: value });
        }),
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const continueToken = query.get('continue');
    let start = 0;
    if (continueToken) {
      let after: string;
      try {
        after = Buffer.from(continueToken, 'base64url').toString('utf8');
      } catch {
        return badRequest('invalid continue token');
      }
      if (!after.startsWith(`${info.plural}|`)) return badRequest('invalid continue token');
      start = matching.findIndex(([k]) => k > after);
      if (start < 0) start = matching.length;
    }
    const limitText = query.get('limit');
    const limit = limitText ? Number(limitText) : 0;
    if (limitText && !(Number.isInteger(limit) && limit >= 0))
      return badRequest(`invalid limit '${limitText}'`);
    const page = limit > 0 ? matching.slice(start, start + limit) : matching.slice(start);
    const remaining = matching.length - start - page.length;
    const last = page[page.length - 1];
    const metadata: Record<string, unknown> = { resourceVersion: String(resourceVersion) };
    if (remaining > 0 && last) {
      metadata['continue'] = Buffer.from(last[0], 'utf8').toString('base64url');
      metadata['remainingItemCount'] = remaining;
    }
    return {
      code: 200,
      body: {
        apiVersion: apiVersionOf(info),
        kind: `${info.kind}List`,
        metadata,
        items: page.map(([, o]) => o),
      },
    };
  }

  /** Turns a client body into a stored object, keeping server-owned metadata. */
  function prepare(
    info: ResourceKindInfo,
    body: unknown,
    existing: StoredObject | undefined,
    namespace: string | undefined,
  ): StoredObject | StatusResponse {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return badRequest('the request body must be a JSON object');
    const object = structuredClone(body) as StoredObject;
    object.metadata = {
      ...((object.metadata as StoredObject['metadata'] | undefined) ?? ({} as StoredObject['metadata'])),
    };
    if (object.kind !== undefined && object.kind !== info.kind)
      return badRequest(`kind '${String(object.kind)}' does not match ${info.kind}`);
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersionOf(info)) {
      return badRequest(`apiVersion '${String(object.apiVersion)}' does not match ${apiVersionOf(info)}`);
    }
    object.kind = info.kind;
    object.apiVersion = apiVersionOf(info);
    if (namespace !== undefined) {
      if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
        return badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      object.metadata.namespace = namespace;
    }
    if (existing) {
      object.metadata.uid = existing.metadata.uid;
      object.metadata.creationTimestamp = existing.metadata.creationTimestamp;
      object.metadata.generation = existing.metadata.generation;
      if (object.metadata.name !== existing.metadata.name)
        return badRequest('metadata.name cannot be changed');
      // status is a subresource of the Flink CRDs: writes to the main resource never change it
      if (info.flink) {
        if (existing.status === undefined) delete object.status;
        else object.status = structuredClone(existing.status);
      }
    } else {
      if (!object.metadata.name && typeof object.metadata['generateName'] === 'string') {
        object.metadata.name = `${object.metadata['generateName']}${randomUUID().slice(0, 5)}`;
      }
      if (!object.metadata.name) {
        return invalid(info.kind, info.group, '', [
          {
            reason: 'FieldValueRequired',
            field: 'metadata.name',
            message: 'Required value: name or generateName is required',
          },
        ]);
      }
      object.metadata.uid = randomUUID();
      object.metadata.creationTimestamp = isoNow();
      if (info.flink) delete object.status;
    }
    const validation = validate(info, object);
    return validation ?? object;
  }

  async function handle(
    method: string,
    url: URL,
    contentType: string | undefined,
    rawBody: string,
  ): Promise<StatusResponse | { code: number; raw: string; contentType: string }> {
    const proxy = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/.exec(url.pathname);
    if (proxy)
      return proxyRequest(
        method,
        proxy[1] ?? '',
        proxy[2] ?? '',
        proxy[3] ?? '/',
        url.search,
        contentType,
        rawBody,
      );
    const parsed = parsePath(url.pathname);
    if (!parsed) return failureStatus(404, 'NotFound', 'the server could not find the requested resource');
    if (isStatusResponse(parsed)) return parsed;
    const { info, namespace, name, subresource } = parsed;
    if (subresource !== undefined && !(subresource === 'status' && info.flink)) {
      return failureStatus(404, 'NotFound', 'the server could not find the requested resource');
    }
    let body: unknown;
    if (rawBody !== '' && method !== 'GET' && method !== 'DELETE') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return badRequest('the request body is not valid JSON');
      }
    }
    if (name === undefined) {
      if (method === 'GET') return listObjects(info, namespace, url.searchParams);
      if (method === 'POST') {
        if (info.namespaced && namespace === undefined)
          return failureStatus(405, 'MethodNotAllowed', 'create needs a namespace');
        const prepared = prepare(info, body, undefined, namespace);
        if (isStatusResponse(prepared)) return prepared;
        if (store.has(keyOf(info.plural, namespace, prepared.metadata.name))) {
          return failureStatus(
            409,
            'AlreadyExists',
            `${info.plural}${info.group ? `.${info.group}` : ''} "${prepared.metadata.name}" already exists`,
            {
              name: prepared.metadata.name,
              group: info.group,
              kind: info.plural,
            },
          );
        }
        return { code: 201, body: commit(info, undefined, prepared) as unknown as Record<string, unknown> };
      }
      return failureStatus(405, 'MethodNotAllowed', `${method} is not supported on a collection`);
    }
    const key = keyOf(info.plural, namespace, name);
    const existing = store.get(key);
    if (!existing) return notFound(info.plural, info.group, name);
    switch (method) {
      case 'GET':
        return { code: 200, body: existing as unknown as Record<string, unknown> };
      case 'DELETE':
        store.delete(key);
        pending.delete(key);
        return { code: 200, body: existing as unknown as Record<string, unknown> };
      case 'PUT': {
        const rv = (body as StoredObject | undefined)?.metadata?.resourceVersion;
        if (!rv) {
          return invalid(info.kind, info.group, name, [
            {
              reason: 'FieldValueInvalid',
              field: 'metadata.resourceVersion',
              message: 'Invalid value: 0x0: must be specified for an update',
            },
          ]);
        }
        if (rv !== existing.metadata.resourceVersion) return conflict(info.plural, info.group, name);
        return write(info, existing, subresource, body, namespace);
      }
      case 'PATCH': {
        const type = (contentType ?? '').split(';')[0]?.trim();
        let patched: unknown;
        if (type === 'application/merge-patch+json') {
          const rv = (body as StoredObject | undefined)?.metadata?.resourceVersion;
          if (rv !== undefined && rv !== existing.metadata.resourceVersion)
            return conflict(info.plural, info.group, name);
          patched = applyMergePatch(existing, body);
        } else if (type === 'application/json-patch+json') {
          try {
            patched = applyJsonPatch(existing, body);
          } catch (error) {
            if (error instanceof JsonPatchError) {
              return invalid(info.kind, info.group, name, [
                { reason: 'FieldValueInvalid', field: `patch[${error.opIndex}]`, message: error.message },
              ]);
            }
            throw error;
          }
        } else {
          return failureStatus(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json`,
          );
        }
        return write(info, existing, subresource, patched, namespace);
      }
      default:
        return failureStatus(405, 'MethodNotAllowed', `${method} is not supported`);
    }
  }

  function write(
    info: ResourceKindInfo,
    existing: StoredObject,
    subresource: string | undefined,
    body: unknown,
    namespace: string | undefined,
  ): StatusResponse {
    if (subresource === 'status') {
      const status = (body as StoredObject | undefined)?.status;
      const candidate = { ...structuredClone(existing), ...(status === undefined ? {} : { status }) };
      if (status === undefined) delete candidate.status;
      const validation = validate(info, candidate);
      if (validation) return validation;
      return { code: 200, body: commit(info, existing, candidate) as unknown as Record<string, unknown> };
    }
    const prepared = prepare(info, body, existing, namespace);
    if (isStatusResponse(prepared)) return prepared;
    return { code: 200, body: commit(info, existing, prepared) as unknown as Record<string, unknown> };
  }

  async function proxyRequest(
    method: string,
    namespace: string,
    serviceRef: string,
    path: string,
    search: string,
    contentType: string | undefined,
    rawBody: string,
  ) {
    // `<scheme>:<name>:<port>` or `<name>:<port>` or `<name>` (Kubernetes service proxy syntax)
    const parts = serviceRef.split(':');
    const service = parts.length === 3 ? (parts[1] ?? '') : (parts[0] ?? '');
    const target = proxyTargets.get(`${namespace}/${service}`);
    if (!target)
      return failureStatus(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`);
    const upstream = await undiciRequest(`${target.replace(/\/$/, '')}${path}${search}`, {
      method: method as 'GET',
      headers: { accept: JSON_TYPE, ...(contentType ? { 'content-type': contentType } : {}) },
      ...(rawBody !== '' ? { body: rawBody } : {}),
    });
    const raw = await upstream.body.text();
    const type = upstream.headers['content-type'];
    return { code: upstream.statusCode, raw, contentType: typeof type === 'string' ? type : JSON_TYPE };
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m?.[1]) return false;
    return typeof options.token === 'string' ? m[1] === options.token : options.token(m[1]);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const contentType = req.headers['content-type'];
    let result: StatusResponse | { code: number; raw: string; contentType: string };
    if (!authorized(req)) {
      result = failureStatus(401, 'Unauthorized', 'Unauthorized');
    } else {
      const match = intercepts.find(
        (i) =>
          i.remaining > 0 &&
          (!i.matcher.method || i.matcher.method === method) &&
          (!i.matcher.pathIncludes || url.pathname.includes(i.matcher.pathIncludes)),
      );
      let canned: StatusResponse | undefined;
      if (match) {
        match.remaining -= 1;
        if (typeof match.action === 'function') await match.action();
        else {
          const body = (match.action.body ??
            failureStatus(match.action.status, 'Intercepted', 'intercepted').body) as Record<string, unknown>;
          canned = {
            code: match.action.status,
            body,
            ...(match.action.headers ? { headers: match.action.headers } : {}),
          };
        }
      }
      try {
        result = canned ?? (await handle(method, url, contentType, rawBody));
      } catch (error) {
        result = failureStatus(500, 'InternalError', error instanceof Error ? error.message : String(error));
      }
    }
    requests.push({
      method,
      path: url.pathname + url.search,
      contentType,
      body: rawBody,
      status: result.code,
    });
    if ('raw' in result) {
      res.writeHead(result.code, { 'content-type': result.contentType });
      res.end(result.raw);
      return;
    }
    res.writeHead(result.code, { 'content-type': JSON_TYPE, ...(result.headers ?? {}) });
    res.end(JSON.stringify(result.body));
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    serve(req, res).catch((error: unknown) => {
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
  const address = server.address() as AddressInfo;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    requests,
    nowMs: () => now,
    async advance(ms: number) {
      if (!(ms >= 0)) throw new RangeError(`advance(ms) needs ms >= 0, got ${ms}`);
      const target = now + ms;
      reconcileAll();
      while (await runDue(target)) {
        /* each due rollout runs at its own virtual time */
      }
      now = target;
      reconcileAll();
    },
    apply(object) {
      const info = kindByName(String(object['kind']));
      if (!info) throw new Error(`kind '${String(object['kind'])}' is not served by the emulator`);
      const metadata = (object['metadata'] ?? {}) as Record<string, unknown>;
      const name = String(metadata['name'] ?? '');
      const namespace = info.namespaced ? String(metadata['namespace'] ?? 'default') : undefined;
      const existing = store.get(keyOf(info.plural, namespace, name));
      const prepared = prepare(info, object, existing, namespace);
      if (isStatusResponse(prepared)) throw new EmulatorValidationError(prepared);
      if (object['status'] !== undefined)
        prepared.status = structuredClone(object['status'] as Record<string, unknown>);
      return structuredClone(commit(info, existing, prepared));
    },
    get(kind, namespace, name) {
      const info = kindByName(kind);
      const found = info
        ? store.get(keyOf(info.plural, info.namespaced ? namespace : undefined, name))
        : undefined;
      return found ? structuredClone(found) : undefined;
    },
    list(kind) {
      return [...store.values()].filter((o) => o.kind === kind).map((o) => structuredClone(o));
    },
    events(namespace, involvedObjectName) {
      return [...store.values()]
        .filter((o) => o.kind === 'Event')
        .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
        .filter(
          (o) =>
            involvedObjectName === undefined ||
            (o['involvedObject'] as { name?: string } | undefined)?.name === involvedObjectName,
        )
        .map((o) => structuredClone(o));
    },
    setProxyTarget(namespace, service, url) {
      proxyTargets.set(`${namespace}/${service}`, url);
    },
    intercept(matcher, action) {
      intercepts.push({ matcher, remaining: matcher.times ?? 1, action });
    },
    setOnSpecApplied(hook) {
      onSpecApplied = hook;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
