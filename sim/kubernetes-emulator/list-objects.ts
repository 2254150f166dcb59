import type { StoredObject } from './flink-operator-model.ts';
import { badRequest, type StatusResponse } from './kube-status.ts';
import {
  fieldValue,
  matchesSelector,
  parseLabelSelector,
  SelectorSyntaxError,
  type SelectorRequirement,
} from './label-selector.ts';
import { apiVersionOf, type ResourceKindInfo } from './resource-kinds.ts';
import type { ResourceStore } from './resource-store.ts';

/**
 * A list call, `GET` on a collection: `labelSelector` and `fieldSelector` (Kubernetes docs,
 * "Labels and Selectors" and "Field Selectors"), then chunking with `limit` / `continue` and
 * `remainingItemCount` (Kubernetes API concepts, "Retrieving large results sets in chunks").
 * The answer is a `<Kind>List` whose `metadata.resourceVersion` is the store's latest.
 */
export function listObjects(
  store: ResourceStore,
  info: ResourceKindInfo,
  namespace: string | undefined,
  query: URLSearchParams,
): StatusResponse {
  const selectors = parseSelectors(query);
  if (!Array.isArray(selectors)) return selectors;
  const [labelReqs, fieldReqs] = selectors;
  const matching = store
    .entries()
    .filter(([, o]) => o.kind === info.kind)
    .filter(([, o]) => namespace === undefined || o.metadata.namespace === namespace)
    .filter(([, o]) => matchesSelector(labelReqs, o.metadata.labels ?? {}))
    .filter(([, o]) => matchesFields(fieldReqs, o))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const start = pageStart(info, matching, query.get('continue'));
  if (typeof start !== 'number') return start;
  const limitText = query.get('limit');
  const limit = limitText ? Number(limitText) : 0;
  if (limitText && !(Number.isInteger(limit) && limit >= 0))
    return badRequest(`invalid limit '${limitText}'`);
  const page = limit > 0 ? matching.slice(start, start + limit) : matching.slice(start);
  const remaining = matching.length - start - page.length;
  const last = page[page.length - 1];
  const metadata: Record<string, unknown> = { resourceVersion: store.resourceVersion };
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

/** Both selectors of a list query, or a 400 when either does not parse. */
function parseSelectors(
  query: URLSearchParams,
): [SelectorRequirement[], SelectorRequirement[]] | StatusResponse {
  try {
    return [
      parseLabelSelector(query.get('labelSelector') ?? ''),
      parseLabelSelector(query.get('fieldSelector') ?? ''),
    ];
  } catch (error) {
    if (error instanceof SelectorSyntaxError) return badRequest(error.message);
    throw error;
  }
}

/** Field selectors use the label selector grammar over dotted field paths (`involvedObject.name`). */
function matchesFields(requirements: readonly SelectorRequirement[], object: StoredObject): boolean {
  return requirements.every((r) => {
    const value = fieldValue(object, r.key);
    return matchesSelector([r], value === undefined ? {} : { [r.key]: value });
  });
}

/**
 * Index of the first item after a `continue` token. The token is the opaque (base64url) key of
 * the previous page's last item, so a page resumes correctly even when objects were added or
 * removed in between.
 */
function pageStart(
  info: ResourceKindInfo,
  matching: ReadonlyArray<readonly [string, StoredObject]>,
  continueToken: string | null,
): number | StatusResponse {
  if (!continueToken) return 0;
  let after: string;
  try {
    after = Buffer.from(continueToken, 'base64url').toString('utf8');
  } catch {
    return badRequest('invalid continue token');
  }
  if (!after.startsWith(`${info.plural}|`)) return badRequest('invalid continue token');
  const start = matching.findIndex(([k]) => k > after);
  return start < 0 ? matching.length : start;
}
