/**
 * What the emulator answers so that the real `kubectl` can talk to it: API discovery, the
 * version endpoint, and server-side printing (`Table`) for `kubectl get`.
 *
 * Sources:
 * - Discovery: Kubernetes API concepts, "Discovery API" (kubernetes.io/docs/concepts/overview/
 *   kubernetes-api/#discovery-api): the unaggregated documents `GET /api` (APIVersions),
 *   `GET /apis` (APIGroupList) and `GET /api/v1`, `GET /apis/<group>/<version>` (APIResourceList).
 *   kubectl ≥ 1.26 first asks for the aggregated form (`Accept: application/json;g=apidiscovery.k8s.io;
 *   v=v2;as=APIGroupDiscoveryList,…,application/json`) and falls back to the unaggregated documents
 *   when the answer's content type is plain `application/json` (client-go discovery, kubectl
 *   behaviour observed with `kubectl -v=8`).
 * - `GET /version`: version.Info (k8s.io/apimachinery/pkg/version), read by `kubectl version`.
 * - Server-side printing: Kubernetes API concepts, "Receiving resources as Tables": a GET whose
 *   Accept header asks for `as=Table;v=v1;g=meta.k8s.io` gets a `meta.k8s.io/v1` Table whose
 *   columns are Name, the CRD's `additionalPrinterColumns`, and Age; each row carries the object's
 *   metadata as PartialObjectMetadata (`includeObject=Metadata`, the default).
 */
import type { StatusResponse } from './kube-status.ts';
import { apiVersionOf, RESOURCE_KINDS, type ResourceKindInfo } from './resource-kinds.ts';

/** Names, short names and verbs of a served kind, as its CRD or the core API declares them. */
interface DiscoveryNames {
  readonly singularName: string;
  readonly shortNames?: readonly string[];
  /** `additionalPrinterColumns` of the CRD (flinkdeployments / flinksessionjobs YAML in crds/). */
  readonly printerColumns?: ReadonlyArray<{ readonly name: string; readonly jsonPath: string }>;
}

const FLINK_COLUMNS = [
  { name: 'Job Status', jsonPath: '.status.jobStatus.state' },
  { name: 'Lifecycle State', jsonPath: '.status.lifecycleState' },
];

/** Keyed by plural; short names from the CRDs' `spec.names.shortNames` and core's `kubectl api-resources`. */
const NAMES: Readonly<Record<string, DiscoveryNames>> = {
  flinkdeployments: {
    singularName: 'flinkdeployment',
    shortNames: ['flinkdep'],
    printerColumns: FLINK_COLUMNS,
  },
  flinksessionjobs: {
    singularName: 'flinksessionjob',
    shortNames: ['sessionjob'],
    printerColumns: FLINK_COLUMNS,
  },
  events: { singularName: 'event', shortNames: ['ev'] },
  pods: { singularName: 'pod', shortNames: ['po'] },
  services: { singularName: 'service', shortNames: ['svc'] },
  nodes: { singularName: 'node', shortNames: ['no'] },
  nodepools: { singularName: 'nodepool' },
};

/** The verbs the emulator's generic handler serves for every kind. */
const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update'];

function json(body: Record<string, unknown>): StatusResponse {
  return { code: 200, body };
}

function groupVersions(): Map<string, ResourceKindInfo[]> {
  const byGroupVersion = new Map<string, ResourceKindInfo[]>();
  for (const info of RESOURCE_KINDS) {
    const key = apiVersionOf(info);
    byGroupVersion.set(key, [...(byGroupVersion.get(key) ?? []), info]);
  }
  return byGroupVersion;
}

function resourceList(groupVersion: string, kinds: readonly ResourceKindInfo[]): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const info of kinds) {
    const names = NAMES[info.plural];
    resources.push({
      name: info.plural,
      singularName: names?.singularName ?? info.kind.toLowerCase(),
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: VERBS,
      ...(names?.shortNames ? { shortNames: names.shortNames } : {}),
    });
    if (info.flink) {
      // The Flink CRDs declare `subresources: { status: {} }`.
      resources.push({
        name: `${info.plural}/status`,
        singularName: '',
        namespaced: info.namespaced,
        kind: info.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

/**
 * Answers the discovery and version endpoints (GET only); `undefined` for every other request,
 * which the emulator then handles as a resource request.
 */
export function answerDiscovery(method: string, pathname: string, host: string): StatusResponse | undefined {
  if (method !== 'GET') return undefined;
  const path = pathname.replace(/\/+$/, '') || '/';
  const all = groupVersions();
  if (path === '/version') {
    return json({
      major: '1',
      minor: '31',
      gitVersion: 'v1.31.0-fsa-emulator',
      gitCommit: '',
      gitTreeState: 'clean',
      buildDate: '2026-01-01T00:00:00Z',
      goVersion: 'go1.22',
      compiler: 'gc',
      platform: 'linux/amd64',
    });
  }
  if (path === '/api') {
    return json({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }],
    });
  }
  if (path === '/apis') {
    const groups = new Map<string, string[]>();
    for (const info of RESOURCE_KINDS) {
      if (info.group === '') continue;
      const versions = groups.get(info.group) ?? [];
      if (!versions.includes(info.version)) versions.push(info.version);
      groups.set(info.group, versions);
    }
    return json({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    });
  }
  if (path === '/api/v1') return json(resourceList('v1', all.get('v1') ?? []));
  const group = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
  if (group) {
    const groupVersion = `${group[1]}/${group[2]}`;
    const kinds = all.get(groupVersion);
    // An unknown group/version falls through to the resource handler, which answers 404.
    return kinds ? json(resourceList(groupVersion, kinds)) : undefined;
  }
  return undefined;
}

/** Whether an Accept header asks for server-side printing (`as=Table;g=meta.k8s.io`). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0] ?? '';
  return /(^|;)\s*as=Table\b/.test(first) && /(^|;)\s*g=meta\.k8s\.io\b/.test(first);
}

function valueAt(object: unknown, jsonPath: string): unknown {
  let current: unknown = object;
  for (const part of jsonPath.replace(/^\./, '').split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** `5s`, `3m12s`, `2h`, `4d`: the short age kubectl prints (duration.HumanDuration, simplified). */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/**
 * Converts a successful GET answer (one object or a `…List`) into a `meta.k8s.io/v1` Table, when
 * the client asked for one; other answers (errors, proxied bodies, discovery) are returned as is.
 */
export function asTableIfRequested<T extends StatusResponse | { code: number; raw: string; contentType: string }>(
  accept: string | undefined,
  method: string,
  nowMs: number,
  result: T,
): T | StatusResponse {
  if (method !== 'GET' || !wantsTable(accept) || 'raw' in result || result.code !== 200) return result;
  const body = result.body;
  const kind = typeof body['kind'] === 'string' ? body['kind'] : '';
  const isList = kind.endsWith('List') && Array.isArray(body['items']);
  const itemKind = isList ? kind.slice(0, -'List'.length) : kind;
  const info = RESOURCE_KINDS.find((k) => k.kind === itemKind);
  if (!info || body['kind'] === 'APIResourceList') return result;
  const items = (isList ? (body['items'] as Record<string, unknown>[]) : [body]) ?? [];
  const columns = NAMES[info.plural]?.printerColumns ?? [];
  const metadataOf = (o: Record<string, unknown>) => (o['metadata'] ?? {}) as Record<string, unknown>;
  return {
    code: 200,
    body: {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: String((body['metadata'] as Record<string, unknown>)?.['resourceVersion'] ?? '') },
      columnDefinitions: [
        { name: 'Name', type: 'string', format: 'name', description: 'Name of the object', priority: 0 },
        ...columns.map((c) => ({ name: c.name, type: 'string', format: '', description: c.jsonPath, priority: 0 })),
        { name: 'Age', type: 'date', format: '', description: 'Time since creation', priority: 0 },
      ],
      rows: items.map((o) => {
        const metadata = metadataOf(o);
        const created = Date.parse(String(metadata['creationTimestamp'] ?? ''));
        return {
          cells: [
            metadata['name'] ?? '',
            ...columns.map((c) => {
              const v = valueAt(o, c.jsonPath);
              return v === undefined || v === null ? '' : String(v);
            }),
            Number.isFinite(created) ? humanAge(nowMs - created) : '<unknown>',
          ],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata },
        };
      }),
    },
  };
}
