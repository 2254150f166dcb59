import type { StoredObject } from './flink-operator-model.ts';
import { applyJsonPatch, applyMergePatch, JsonPatchError } from './json-patches.ts';
import {
  conflict,
  failureStatus,
  invalid,
  isStatusResponse,
  type StatusResponse,
} from './kube-status.ts';
import type { ResourceKindInfo } from './resource-kinds.ts';
import { ResourceStore } from './resource-store.ts';

/**
 * The write verbs of the API server on one resource: create (`POST`), update (`PUT`) and patch
 * (`PATCH`), each on the main resource or on the `status` subresource of the Flink kinds.
 */

/** An update or patch of one stored object, addressed by the URL's namespace and subresource. */
export interface ObjectWrite {
  readonly store: ResourceStore;
  readonly info: ResourceKindInfo;
  readonly existing: StoredObject;
  readonly namespace: string | undefined;
  /** `status` for the status subresource, undefined for the main resource. */
  readonly subresource: string | undefined;
}

/** The object of a 2xx answer: the stored object itself, as the API server returns it. */
function answer(code: number, object: StoredObject): StatusResponse {
  return { code, body: object as unknown as Record<string, unknown> };
}

/** `POST` on a collection: 201 with the created object, 409 AlreadyExists for a taken name. */
export function createObject(
  store: ResourceStore,
  info: ResourceKindInfo,
  namespace: string | undefined,
  body: unknown,
): StatusResponse {
  if (info.namespaced && namespace === undefined)
    return failureStatus(405, 'MethodNotAllowed', 'create needs a namespace');
  const prepared = store.prepare(info, body, undefined, namespace);
  if (isStatusResponse(prepared)) return prepared;
  if (store.has(ResourceStore.keyOf(info.plural, namespace, prepared.metadata.name))) {
    return failureStatus(
      409,
      'AlreadyExists',
      `${info.plural}${info.group ? `.${info.group}` : ''} "${prepared.metadata.name}" already exists`,
      { name: prepared.metadata.name, group: info.group, kind: info.plural },
    );
  }
  return answer(201, store.commit(info, undefined, prepared));
}

/**
 * `PUT`: custom resources allow no unconditional update, so the body must carry the current
 * `metadata.resourceVersion` (422 when absent, 409 Conflict when stale; docs/kubernetes-and-eks.md §7).
 */
export function updateObject(write: ObjectWrite, body: unknown): StatusResponse {
  const { info, existing } = write;
  const name = existing.metadata.name;
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
  return writeObject(write, body);
}

const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

/**
 * `PATCH` by content type (docs/kubernetes-and-eks.md §6): an RFC 7386 merge patch is conditional only when
 * it carries `metadata.resourceVersion` (409 when stale); an RFC 6902 JSON patch fails as a whole
 * with 422 (a failed `test` included); anything else, strategic merge patch among them, is 415 for
 * custom resources.
 */
export function patchObject(
  write: ObjectWrite,
  contentType: string | undefined,
  body: unknown,
): StatusResponse {
  const { info, existing } = write;
  const type = (contentType ?? '').split(';')[0]?.trim();
  const name = existing.metadata.name;
  let patched: unknown;
  if (type === MERGE_PATCH) {
    const rv = (body as StoredObject | undefined)?.metadata?.resourceVersion;
    if (rv !== undefined && rv !== existing.metadata.resourceVersion)
      return conflict(info.plural, info.group, name);
    patched = applyMergePatch(existing, body);
  } else if (type === JSON_PATCH) {
    try {
      patched = applyJsonPatch(existing, body);
    } catch (error) {
      if (!(error instanceof JsonPatchError)) throw error;
      return invalid(info.kind, info.group, name, [
        { reason: 'FieldValueInvalid', field: `patch[${error.opIndex}]`, message: error.message },
      ]);
    }
  } else {
    return failureStatus(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: ' +
        `${JSON_PATCH}, ${MERGE_PATCH}`,
    );
  }
  return writeObject(write, patched);
}

/**
 * Stores the result of an update or patch. On the `status` subresource only `status` is taken
 * from the body and everything else stays as stored (Kubernetes docs, CustomResourceDefinitions
 * "Status subresource"); the result is still schema-validated.
 */
function writeObject(write: ObjectWrite, body: unknown): StatusResponse {
  const { store, info, existing } = write;
  if (write.subresource === 'status') {
    const status = (body as StoredObject | undefined)?.status;
    const candidate = { ...structuredClone(existing), ...(status === undefined ? {} : { status }) };
    if (status === undefined) delete candidate.status;
    const validation = store.validate(info, candidate);
    if (validation) return validation;
    return answer(200, store.commit(info, existing, candidate));
  }
  const prepared = store.prepare(info, body, existing, write.namespace);
  if (isStatusResponse(prepared)) return prepared;
  return answer(200, store.commit(info, existing, prepared));
}
