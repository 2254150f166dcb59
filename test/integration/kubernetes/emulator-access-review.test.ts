import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewOwnAccess, reviewSubjectAccess } from '../../../lib/adapters/kubernetes/access-review.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { type KubernetesEmulator, startKubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';

const RBAC = 'rbac.authorization.k8s.io/v1';
let emulator: KubernetesEmulator;
let admin: KubernetesClient;
let worker: KubernetesClient;

beforeAll(async () => {
  emulator = await startKubernetesEmulator({
    token: (t) => t === 'admin' || t === 'worker',
    userOf: (t) =>
      t === 'worker'
        ? { username: 'arn:aws:sts::111122223333:assumed-role/worker/fn', groups: ['autoscaler', 'system:authenticated'] }
        : { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
  });
  emulator.apply({
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: { name: 'autoscaler' },
    rules: [
      { apiGroups: ['flink.apache.org'], resources: ['flinkdeployments'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] },
      { apiGroups: ['karpenter.sh'], resources: ['*'], verbs: ['*'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['one'], verbs: ['get'] },
    ],
  });
  emulator.apply({
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'autoscaler' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'autoscaler' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'autoscaler' }],
  });
  // a namespaced grant: patch only in flink-jobs
  emulator.apply({
    apiVersion: RBAC,
    kind: 'Role',
    metadata: { name: 'patcher', namespace: 'flink-jobs' },
    rules: [{ apiGroups: ['flink.apache.org'], resources: ['flinkdeployments'], verbs: ['patch'] }],
  });
  emulator.apply({
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: { name: 'patcher', namespace: 'flink-jobs' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'patcher' },
    subjects: [{ kind: 'Group', name: 'autoscaler' }],
  });
  admin = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('admin') });
  worker = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('worker') });
});
afterAll(async () => {
  await admin?.close();
  await worker?.close();
  await emulator?.close();
});

const flink = (verb: string, namespace?: string) => ({
  verb,
  group: 'flink.apache.org',
  resource: 'flinkdeployments',
  ...(namespace ? { namespace } : {}),
});

describe('SubjectAccessReview (authorization.k8s.io/v1) in the emulator', () => {
  it('allows what a ClusterRoleBinding grants to a group, naming the binding', async () => {
    const status = await reviewSubjectAccess(admin, { groups: ['autoscaler'] }, flink('list'));
    expect(status).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by ClusterRoleBinding "autoscaler" of ClusterRole "autoscaler" to Group "autoscaler"',
    });
  });

  it('denies without a reason what no rule grants (RBAC never denies explicitly)', async () => {
    expect(await reviewSubjectAccess(admin, { groups: ['autoscaler'] }, flink('delete'))).toEqual({ allowed: false });
    expect(await reviewSubjectAccess(admin, { groups: ['someone-else'] }, flink('get'))).toEqual({ allowed: false });
  });

  it('matches subresources, wildcards and resourceNames like the RBAC authorizer', async () => {
    const groups = { groups: ['autoscaler'] };
    const proxy = { verb: 'get', group: '', resource: 'services', subresource: 'proxy' };
    expect((await reviewSubjectAccess(admin, groups, proxy)).allowed).toBe(true);
    // `services/proxy` does not grant the service itself
    expect((await reviewSubjectAccess(admin, groups, { verb: 'get', group: '', resource: 'services' })).allowed).toBe(false);
    expect((await reviewSubjectAccess(admin, groups, { verb: 'list', group: 'karpenter.sh', resource: 'nodepools' })).allowed).toBe(true);
    const configMap = { verb: 'get', group: '', resource: 'configmaps', namespace: 'default' };
    expect((await reviewSubjectAccess(admin, groups, { ...configMap, name: 'one' })).allowed).toBe(true);
    expect((await reviewSubjectAccess(admin, groups, { ...configMap, name: 'two' })).allowed).toBe(false);
  });

  it('applies a RoleBinding only in its namespace', async () => {
    const groups = { groups: ['autoscaler'] };
    expect(await reviewSubjectAccess(admin, groups, flink('patch', 'flink-jobs'))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "patcher/flink-jobs" of Role "patcher" to Group "autoscaler"',
    });
    expect((await reviewSubjectAccess(admin, groups, flink('patch', 'other'))).allowed).toBe(false);
    expect((await reviewSubjectAccess(admin, groups, flink('patch'))).allowed).toBe(false);
  });

  it('refuses a review without a subject or without attributes as 422 Invalid', async () => {
    await expect(admin.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: { resourceAttributes: flink('get') } })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/spec\.user: Invalid value: at least one of user or group must be specified/),
    });
    await expect(admin.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: { groups: ['autoscaler'] } })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/exactly one of nonResourceAttributes or resourceAttributes/),
    });
  });
});

describe('SelfSubjectAccessReview in the emulator', () => {
  it("answers for the caller's own user and groups", async () => {
    expect((await reviewOwnAccess(worker, flink('get'))).allowed).toBe(true);
    expect((await reviewOwnAccess(worker, flink('delete'))).allowed).toBe(false);
  });

  it('allows everything for system:masters (the default user), before RBAC', async () => {
    expect(await reviewOwnAccess(admin, flink('delete'))).toEqual({ allowed: true });
  });
});
