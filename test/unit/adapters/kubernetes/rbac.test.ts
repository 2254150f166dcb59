import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  AUTOSCALER_KUBERNETES_GROUP,
  DISPATCHER_KUBERNETES_GROUP,
} from '../../../../cdk/lib/constructs/eks-access.ts';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

const docs = parseAllDocuments(
  readFileSync(new URL('../../../../k8s/rbac.yaml', import.meta.url), 'utf8'),
).map((d) => d.toJS() as Record<string, unknown>);

/** Every (group, resource) → sorted verbs, flattening the rules. */
function grants(rules: Rule[]): Record<string, string[]> {
  const result: Record<string, Set<string>> = {};
  for (const rule of rules) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const key = `${group || 'core'}/${resource}`;
        result[key] ??= new Set();
        for (const verb of rule.verbs) result[key].add(verb);
      }
    }
  }
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, [...v].sort()]));
}

/** The document of a kind and name. */
function find(kind: string, name: string): Record<string, unknown> | undefined {
  return docs.find((d) => d['kind'] === kind && (d['metadata'] as { name?: string })?.name === name);
}

describe('k8s/rbac.yaml', () => {
  it('grants the worker exactly the verbs the adapters use, nothing more', () => {
    const role = find('ClusterRole', 'flink-serverless-autoscaler');
    expect(grants(role?.['rules'] as Rule[])).toEqual({
      'flink.apache.org/flinkdeployments': ['get', 'list', 'patch'],
      'flink.apache.org/flinksessionjobs': ['get', 'list', 'patch'],
      'core/services/proxy': ['get'],
      'core/events': ['create', 'get', 'patch'],
      'core/nodes': ['list'],
      'core/pods': ['list'],
      'karpenter.sh/nodepools': ['list'],
    });
    const verbs = ((role?.['rules'] ?? []) as Rule[]).flatMap((r) => r.verbs);
    expect(verbs).not.toContain('*');
    expect(verbs).not.toContain('update');
    expect(verbs).not.toContain('delete');
  });

  it('grants the dispatcher only the reads of job discovery (list, and get of a session cluster)', () => {
    const role = find('ClusterRole', 'flink-serverless-autoscaler-dispatcher');
    expect(grants(role?.['rules'] as Rule[])).toEqual({
      'flink.apache.org/flinkdeployments': ['get', 'list'],
      'flink.apache.org/flinksessionjobs': ['get', 'list'],
    });
  });

  it.each([
    // Group names of the EKS access entries (cdk/lib/constructs/eks-access.ts).
    { role: 'flink-serverless-autoscaler', group: AUTOSCALER_KUBERNETES_GROUP },
    { role: 'flink-serverless-autoscaler-dispatcher', group: DISPATCHER_KUBERNETES_GROUP },
  ])('binds ClusterRole $role to the group of its EKS access entry', ({ role, group }) => {
    const binding = find('ClusterRoleBinding', role);
    expect(binding?.['roleRef']).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: role,
    });
    expect(binding?.['subjects']).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }]);
  });

  it('has exactly two roles and two bindings', () => {
    expect(docs.map((d) => d['kind']).sort()).toEqual([
      'ClusterRole',
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRoleBinding',
    ]);
  });
});
