import { listObjects } from './list-objects.ts';
import { badRequest, failureStatus, notFound, type StatusResponse } from './kube-status.ts';
import type { OperatorLoop } from './operator-loop.ts';
import { kindByPath, type ResourceKindInfo } from './resource-kinds.ts';
import { ResourceStore } from './resource-store.ts';
import { createObject, patchObject, updateObject } from './resource-writes.ts';
import type { RawResponse, ServiceProxy } from './service-proxy.ts';

/** What the router needs: the objects, the operator (deletes cancel its timers), the proxy. */
export interface ApiContext {
  readonly store: ResourceStore;
  readonly operator: OperatorLoop;
  readonly proxy: ServiceProxy;
}

/** One authorized request, body unparsed. */
export interface ApiRequest {
  readonly method: string;
  readonly url: URL;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A resource URL taken apart (Kubernetes API concepts, "Resource URIs"). */
interface ResourcePath {
  readonly info: ResourceKindInfo;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

const NOT_SERVED = 'the server could not find the requested resource';

/**
 * Routes a request: service proxy paths are forwarded, resource paths go to the collection verbs
 * (list, create) or the object verbs (get, update, patch, delete); anything else is 404.
 */
export async function routeApiRequest(
  ctx: ApiContext,
  request: ApiRequest,
): Promise<StatusResponse | RawResponse> {
  const { method, url, contentType } = request;
  const proxied = await ctx.proxy.forward({
    method,
    pathname: url.pathname,
    search: url.search,
    contentType,
    body: request.body,
  });
  if (proxied) return proxied;
  const path = parseResourcePath(url.pathname);
  if (!path) return failureStatus(404, 'NotFound', NOT_SERVED);
  // The Flink CRDs declare a `status` subresource; no other subresource is served.
  if (path.subresource !== undefined && !(path.subresource === 'status' && path.info.flink)) {
    return failureStatus(404, 'NotFound', NOT_SERVED);
  }
  let body: unknown;
  if (request.body !== '' && method !== 'GET' && method !== 'DELETE') {
    try {
      body = JSON.parse(request.body);
    } catch {
      return badRequest('the request body is not valid JSON');
    }
  }
  if (path.name === undefined) return onCollection(ctx, method, path, url.searchParams, body);
  return onObject(ctx, method, { ...path, name: path.name }, contentType, body);
}

/**
 * `/api/{version}/...` (core group) or `/apis/{group}/{version}/...`, then
 * `[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]`; undefined when no served kind matches.
 */
function parseResourcePath(pathname: string): ResourcePath | undefined {
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
  // A cluster-wide list of a namespaced kind is served; a single object needs its scope right.
  if (info.namespaced !== (namespace !== undefined) && rest.length > 1) return undefined;
  return { info, namespace, name: rest[1], subresource: rest[2] };
}

function onCollection(
  ctx: ApiContext,
  method: string,
  path: ResourcePath,
  query: URLSearchParams,
  body: unknown,
): StatusResponse {
  if (method === 'GET') return listObjects(ctx.store, path.info, path.namespace, query);
  if (method === 'POST') return createObject(ctx.store, path.info, path.namespace, body);
  return failureStatus(405, 'MethodNotAllowed', `${method} is not supported on a collection`);
}

function onObject(
  ctx: ApiContext,
  method: string,
  path: ResourcePath & { readonly name: string },
  contentType: string | undefined,
  body: unknown,
): StatusResponse {
  const { info, namespace, name } = path;
  const key = ResourceStore.keyOf(info.plural, namespace, name);
  const existing = ctx.store.get(key);
  if (!existing) return notFound(info.plural, info.group, name);
  switch (method) {
    case 'GET':
      return { code: 200, body: existing as unknown as Record<string, unknown> };
    case 'DELETE':
      // No finalizers are modelled: the object goes at once and the API server returns it.
      ctx.store.delete(key);
      ctx.operator.forget(key);
      return { code: 200, body: existing as unknown as Record<string, unknown> };
    case 'PUT':
      return updateObject({ ...path, store: ctx.store, existing }, body);
    case 'PATCH':
      return patchObject({ ...path, store: ctx.store, existing }, contentType, body);
    default:
      return failureStatus(405, 'MethodNotAllowed', `${method} is not supported`);
  }
}
