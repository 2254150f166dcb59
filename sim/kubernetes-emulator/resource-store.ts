import { randomUUID } from 'node:crypto';
import { type CrdVariant, flinkCrdValidator, type ObjectValidator } from './crd-validator.ts';
import type { StoredObject } from './flink-operator-model.ts';
import { deepEqual } from './json-patches.ts';
import { badRequest, invalid, type StatusResponse } from './kube-status.ts';
import { apiVersionOf, type ResourceKindInfo } from './resource-kinds.ts';

/** The emulator's virtual time, shared by the store (timestamps) and the operator loop (delays). */
export interface VirtualClock {
  nowMs: number;
}

/**
 * The API server's object storage: objects by kind/namespace/name, a cluster-wide
 * `resourceVersion` counter, `generation` for the Flink kinds, and the create/update admission
 * rules (server-owned metadata, the status subresource, CRD schema validation). Watch-free: the
 * emulator serves list/get/create/update/patch/delete only.
 */
export class ResourceStore {
  readonly #objects = new Map<string, StoredObject>();
  /** Like etcd's revision: one counter for every write of every kind; starts above 0 like a real cluster. */
  #resourceVersion = 1000;
  readonly #validators: Readonly<Record<string, ObjectValidator>>;
  readonly #clock: VirtualClock;

  constructor(variant: CrdVariant, clock: VirtualClock) {
    this.#clock = clock;
    this.#validators = {
      flinkdeployments: flinkCrdValidator('flinkdeployments', variant),
      flinksessionjobs: flinkCrdValidator('flinksessionjobs', variant),
    };
  }

  /** Storage key; sorting by it gives the API server's list order (namespace, then name). */
  static keyOf(plural: string, namespace: string | undefined, name: string): string {
    return `${plural}|${namespace ?? ''}|${name}`;
  }

  /** The `resourceVersion` of the latest write, as a list reports it in `metadata.resourceVersion`. */
  get resourceVersion(): string {
    return String(this.#resourceVersion);
  }

  /** The number the next write will get (events derive their unique name suffix from it). */
  get nextResourceVersion(): number {
    return this.#resourceVersion + 1;
  }

  /** Current virtual time as an RFC 3339 timestamp without fraction, like `metav1.Time`. */
  isoNow(): string {
    return new Date(this.#clock.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** The stored object under a {@link ResourceStore.keyOf} key (not a copy). */
  get(key: string): StoredObject | undefined {
    return this.#objects.get(key);
  }

  has(key: string): boolean {
    return this.#objects.has(key);
  }

  /** Removes an object at once: no finalizers or graceful deletion are modelled. */
  delete(key: string): void {
    this.#objects.delete(key);
  }

  /** Every stored object with its key, in insertion order. */
  entries(): Array<[string, StoredObject]> {
    return [...this.#objects.entries()];
  }

  /** Every stored object of one kind, in insertion order. */
  ofKind(kind: string): StoredObject[] {
    return [...this.#objects.values()].filter((o) => o.kind === kind);
  }

  /** Validates against the kind's CRD schema (only the Flink kinds have one); a 422 when invalid. */
  validate(info: ResourceKindInfo, object: StoredObject): StatusResponse | undefined {
    const validator = this.#validators[info.plural];
    if (!validator) return undefined;
    const causes = validator(object);
    return causes.length > 0 ? invalid(info.kind, info.group, object.metadata.name, causes) : undefined;
  }

  /**
   * Stores a new version when something changed. A write that changes nothing keeps the old
   * `resourceVersion` (the API server's storage skips no-op updates, `GuaranteedUpdate` in
   * k8s.io/apiserver). Flink kinds bump `metadata.generation` on spec changes only (Kubernetes
   * docs, CustomResourceDefinitions "Status subresource": with the status subresource enabled,
   * generation counts changes outside metadata and status).
   */
  commit(info: ResourceKindInfo, existing: StoredObject | undefined, candidate: StoredObject): StoredObject {
    const key = ResourceStore.keyOf(info.plural, candidate.metadata.namespace, candidate.metadata.name);
    if (existing) {
      const comparableOld = { ...existing, metadata: { ...existing.metadata, resourceVersion: '' } };
      const comparableNew = {
        ...candidate,
        metadata: { ...candidate.metadata, resourceVersion: '', generation: existing.metadata.generation },
      };
      if (deepEqual(comparableOld, comparableNew)) return existing;
      if (info.flink) {
        candidate.metadata.generation =
          (existing.metadata.generation ?? 1) + (deepEqual(existing.spec, candidate.spec) ? 0 : 1);
      }
    } else if (info.flink) {
      candidate.metadata.generation = 1;
    }
    this.#resourceVersion += 1;
    candidate.metadata.resourceVersion = String(this.#resourceVersion);
    this.#objects.set(key, candidate);
    return candidate;
  }

  /**
   * Turns a client body into an object ready to store, or the failure the API server would
   * answer: kind/apiVersion/namespace must match the URL (400), server-owned metadata (`uid`,
   * `creationTimestamp`, `generation`) is kept or assigned (API conventions, "Metadata"), and
   * the object must pass its CRD schema (422).
   */
  prepare(
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
    const mismatch = checkTypeAndNamespace(info, object, namespace);
    if (mismatch) return mismatch;
    const failure = existing
      ? this.#keepServerFields(info, object, existing)
      : this.#assignServerFields(info, object);
    return failure ?? this.validate(info, object) ?? object;
  }

  /** Update: server-owned metadata comes from the stored object; the name cannot change. */
  #keepServerFields(
    info: ResourceKindInfo,
    object: StoredObject,
    existing: StoredObject,
  ): StatusResponse | undefined {
    object.metadata.uid = existing.metadata.uid;
    object.metadata.creationTimestamp = existing.metadata.creationTimestamp;
    object.metadata.generation = existing.metadata.generation;
    if (object.metadata.name !== existing.metadata.name) return badRequest('metadata.name cannot be changed');
    // Status is a subresource of the Flink CRDs: writes to the main resource never change it
    // (Kubernetes docs, CustomResourceDefinitions "Status subresource").
    if (info.flink) {
      if (existing.status === undefined) delete object.status;
      else object.status = structuredClone(existing.status);
    }
    return undefined;
  }

  /**
   * Create: a `generateName` gets a random 5-character suffix (API conventions, "Idempotency"),
   * the server assigns `uid` and `creationTimestamp`, and a status sent with a Flink kind is dropped
   * (status subresource).
   */
  #assignServerFields(info: ResourceKindInfo, object: StoredObject): StatusResponse | undefined {
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
    object.metadata.creationTimestamp = this.isoNow();
    if (info.flink) delete object.status;
    return undefined;
  }
}

/** Fills `kind`/`apiVersion`/`metadata.namespace` from the URL, or a 400 when the body disagrees. */
function checkTypeAndNamespace(
  info: ResourceKindInfo,
  object: StoredObject,
  namespace: string | undefined,
): StatusResponse | undefined {
  if (object.kind !== undefined && object.kind !== info.kind)
    return badRequest(`kind '${String(object.kind)}' does not match ${info.kind}`);
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersionOf(info)) {
    return badRequest(`apiVersion '${String(object.apiVersion)}' does not match ${apiVersionOf(info)}`);
  }
  object.kind = info.kind;
  object.apiVersion = apiVersionOf(info);
  if (namespace === undefined) return undefined;
  if (object.metadata.namespace !== undefined && object.metadata.namespace !== namespace) {
    return badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  object.metadata.namespace = namespace;
  return undefined;
}
