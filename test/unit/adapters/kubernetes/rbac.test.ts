import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

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

describe('k8s/rbac.yaml', () => {
  it('grants exactly the verbs the adapters use, nothing more', () => {
    const role = docs.find((d) => d['kind'] === 'ClusterRole');
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

  it('binds the ClusterRole to the group of the EKS access entry', () => {
    const binding = docs.find((d) => d['kind'] === 'ClusterRoleBinding');
    expect(binding?.['roleRef']).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'flink-serverless-autoscaler',
    });
    expect(binding?.['subjects']).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'flink-serverless-autoscaler' },
    ]);
  });
});
