import { request as undiciRequest } from 'undici';
import { failureStatus, type StatusResponse } from './kube-status.ts';

/** An upstream answer passed through unchanged (body and content type as the service sent them). */
export interface RawResponse {
  readonly code: number;
  readonly raw: string;
  readonly contentType: string;
}

const JSON_TYPE = 'application/json';
const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;

/** One request to forward through the service proxy. */
interface ProxiedRequest {
  readonly method: string;
  readonly pathname: string;
  readonly search: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/**
 * The API server's service proxy, `/api/v1/namespaces/{ns}/services/{service}/proxy/{path}`
 * (Kubernetes docs, "Manually constructing apiserver proxy URLs"), forwarding to a URL registered
 * per service instead of to the service's endpoints.
 */
export class ServiceProxy {
  readonly #targets = new Map<string, string>();

  /** Points `namespace/service` at an upstream base URL (a Flink simulator, say). */
  setTarget(namespace: string, service: string, url: string): void {
    this.#targets.set(`${namespace}/${service}`, url);
  }

  /**
   * Forwards a request when its path is a service proxy path; undefined for any other path.
   * Without a registered upstream the answer is 503, as the API server answers for a service
   * without ready endpoints.
   */
  async forward(request: ProxiedRequest): Promise<StatusResponse | RawResponse | undefined> {
    const match = PROXY_PATH.exec(request.pathname);
    if (!match) return undefined;
    const namespace = match[1] ?? '';
    // `<scheme>:<name>:<port>`, `<name>:<port>` or `<name>` (the proxy URL's service reference)
    const parts = (match[2] ?? '').split(':');
    const service = parts.length === 3 ? (parts[1] ?? '') : (parts[0] ?? '');
    const target = this.#targets.get(`${namespace}/${service}`);
    if (!target)
      return failureStatus(503, 'ServiceUnavailable', `no endpoints available for service "${service}"`);
    const upstream = await undiciRequest(`${target.replace(/\/$/, '')}${match[3] ?? '/'}${request.search}`, {
      method: request.method as 'GET',
      headers: { accept: JSON_TYPE, ...(request.contentType ? { 'content-type': request.contentType } : {}) },
      ...(request.body !== '' ? { body: request.body } : {}),
    });
    const raw = await upstream.body.text();
    const type = upstream.headers['content-type'];
    return { code: upstream.statusCode, raw, contentType: typeof type === 'string' ? type : JSON_TYPE };
  }
}
