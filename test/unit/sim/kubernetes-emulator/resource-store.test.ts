import { beforeAll, describe, expect, it } from 'vitest';
import { aFlinkDeployment } from '../../../integration/kubernetes/flink-fixtures.ts';
import type { StoredObject } from '../../../../sim/kubernetes-emulator/flink-operator-model.ts';
import { isStatusResponse } from '../../../../sim/kubernetes-emulator/kube-status.ts';
import { listObjects } from '../../../../sim/kubernetes-emulator/list-objects.ts';
import { kindByName } from '../../../../sim/kubernetes-emulator/resource-kinds.ts';
import { ResourceStore } from '../../../../sim/kubernetes-emulator/resource-store.ts';

const pods = kindByName('Pod')!;
const deployments = kindByName('FlinkDeployment')!;

function aStore(): ResourceStore {
  return new ResourceStore('main', { nowMs: Date.UTC(2026, 0, 1) });
}

function create(store: ResourceStore, name: string, labels: Record<string, string> = {}): StoredObject {
  const prepared = store.prepare(pods, { metadata: { name, labels } }, undefined, 'ns');
  if (isStatusResponse(prepared)) throw new Error(String(prepared.body['message']));
  return store.commit(pods, undefined, prepared);
}

// Compiling the CRD schemas (once per process) takes seconds on a busy machine.
beforeAll(() => void aStore(), 60_000);

describe('resource store', () => {
  it('assigns server-owned metadata and a new resourceVersion per write', () => {
    const store = aStore();
    const a = create(store, 'a');
    const b = create(store, 'b');
    expect(a).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { namespace: 'ns' } });
    expect(a.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
  });

  it('bumps generation on spec changes only and keeps the resourceVersion of a no-op write', () => {
    const store = aStore();
    const write = (body: unknown, existing?: StoredObject) => {
      const prepared = store.prepare(deployments, body, existing, 'flink-jobs');
      if (isStatusResponse(prepared)) throw new Error(String(prepared.body['message']));
      return store.commit(deployments, existing, prepared);
    };
    const created = write(aFlinkDeployment());
    expect(created.metadata.generation).toBe(1);
    const same = write(structuredClone(created), created);
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const labelled = write({ ...structuredClone(same), metadata: { ...same.metadata, labels: {} } }, same);
    expect(labelled.metadata.generation).toBe(1);
    const changed = structuredClone(labelled);
    changed.spec = { ...changed.spec, image: 'flink:1.20.1' };
    expect(write(changed, labelled).metadata.generation).toBe(2);
  });

  it('rejects a body whose namespace differs from the URL', () => {
    const answer = aStore().prepare(pods, { metadata: { name: 'a', namespace: 'other' } }, undefined, 'ns');
    expect(isStatusResponse(answer) && answer.code).toBe(400);
  });
});

describe('list', () => {
  it('pages with limit and continue, then filters by label', () => {
    const store = aStore();
    for (const name of ['c', 'a', 'b']) create(store, name, { app: name === 'b' ? 'x' : 'y' });
    const first = listObjects(store, pods, 'ns', new URLSearchParams('limit=2'));
    const metadata = first.body['metadata'] as Record<string, unknown>;
    expect((first.body['items'] as StoredObject[]).map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(metadata['remainingItemCount']).toBe(1);
    const rest = listObjects(store, pods, 'ns', new URLSearchParams({ continue: String(metadata['continue']) }));
    expect((rest.body['items'] as StoredObject[]).map((o) => o.metadata.name)).toEqual(['c']);
    const selected = listObjects(store, pods, undefined, new URLSearchParams('labelSelector=app=x'));
    expect((selected.body['items'] as StoredObject[]).map((o) => o.metadata.name)).toEqual(['b']);
  });

  it('answers 400 to a bad selector or limit', () => {
    const store = aStore();
    expect(listObjects(store, pods, 'ns', new URLSearchParams('labelSelector=a in (b')).code).toBe(400);
    expect(listObjects(store, pods, 'ns', new URLSearchParams('limit=-1')).code).toBe(400);
  });
});
