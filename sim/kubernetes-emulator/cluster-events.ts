import { randomUUID } from 'node:crypto';
import type { StoredObject } from './flink-operator-model.ts';
import { kindByName } from './resource-kinds.ts';
import type { ResourceStore } from './resource-store.ts';

/**
 * Records a core/v1 Event about `object` the way the Flink operator's `EventRecorder` does
 * (operator 1.x, docs/flink-resources.md §4 "Events"): `involvedObject` points at the resource,
 * `source.component` is `Operator`, `count` / `firstTimestamp` / `lastTimestamp` are set, and
 * the name is `<resource name>.<unique hex suffix>`.
 */
export function recordEvent(
  store: ResourceStore,
  object: StoredObject,
  reason: string,
  type: string,
  message: string,
): void {
  const info = kindByName('Event')!;
  const name = `${object.metadata.name}.${store.nextResourceVersion.toString(16)}`;
  const now = store.isoNow();
  store.commit(info, undefined, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name,
      namespace: object.metadata.namespace,
      uid: randomUUID(),
      resourceVersion: '',
      creationTimestamp: now,
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
    firstTimestamp: now,
    lastTimestamp: now,
  });
}

/** Copies of the stored Events, optionally of one namespace and one involved object name. */
export function eventsOf(
  store: ResourceStore,
  namespace: string | undefined,
  involvedObjectName: string | undefined,
): StoredObject[] {
  return store
    .ofKind('Event')
    .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
    .filter(
      (o) =>
        involvedObjectName === undefined ||
        (o['involvedObject'] as { name?: string } | undefined)?.name === involvedObjectName,
    )
    .map((o) => structuredClone(o));
}
