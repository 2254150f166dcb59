/** One API resource type the emulator serves. */
export interface ResourceKindInfo {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Operator-managed Flink kinds: CRD validation, generation, status subresource, lifecycle. */
  readonly flink: boolean;
}

/**
 * Served kinds: the operator's CRDs (docs/flink-resources.md §1: group `flink.apache.org`, only
 * `v1beta1`, namespaced, `status` subresource) and the core/Karpenter types the autoscaler reads
 * (docs/kubernetes-and-eks.md §5, §10).
 */
export const RESOURCE_KINDS: readonly ResourceKindInfo[] = [
  {
    group: 'flink.apache.org',
    version: 'v1beta1',
    plural: 'flinkdeployments',
    kind: 'FlinkDeployment',
    namespaced: true,
    flink: true,
  },
  {
    group: 'flink.apache.org',
    version: 'v1beta1',
    plural: 'flinksessionjobs',
    kind: 'FlinkSessionJob',
    namespaced: true,
    flink: true,
  },
  { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true, flink: false },
  { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, flink: false },
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, flink: false },
  { group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, flink: false },
  // RBAC objects (rbac.authorization.k8s.io/v1), so `k8s/rbac.yaml` can be applied and the
  // access reviews (access-review.ts) evaluate it; the operator's Deployment (apps/v1), whose
  // labels carry the operator version (`fsa doctor`).
  rbacKind('clusterroles', 'ClusterRole', false),
  rbacKind('clusterrolebindings', 'ClusterRoleBinding', false),
  rbacKind('roles', 'Role', true),
  rbacKind('rolebindings', 'RoleBinding', true),
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, flink: false },
  {
    group: 'karpenter.sh',
    version: 'v1',
    plural: 'nodepools',
    kind: 'NodePool',
    namespaced: false,
    flink: false,
  },
];

function rbacKind(plural: string, kind: string, namespaced: boolean): ResourceKindInfo {
  return { group: 'rbac.authorization.k8s.io', version: 'v1', plural, kind, namespaced, flink: false };
}

/** `<group>/<version>`, or just the version for the core group (`v1`). */
export function apiVersionOf(info: ResourceKindInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** The served kind named `kind` (`FlinkDeployment`, `Event`, …). */
export function kindByName(kind: string): ResourceKindInfo | undefined {
  return RESOURCE_KINDS.find((k) => k.kind === kind);
}

/** The served kind at `/apis/<group>/<version>/<plural>` (`/api/<version>/…` for core). */
export function kindByPath(group: string, version: string, plural: string): ResourceKindInfo | undefined {
  return RESOURCE_KINDS.find((k) => k.group === group && k.version === version && k.plural === plural);
}
