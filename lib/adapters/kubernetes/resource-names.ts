import { InvalidKubernetesInputError } from './kubernetes-errors.ts';

/** RFC 1123 label: what Kubernetes requires of a namespace name (≤ 63 chars). */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: what Kubernetes requires of most object names (≤ 253 chars). */
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Checks a namespace (DNS-1123 label). Done before the value is put into a URL path, so a
 * `../` or `?` can never change which API path is called.
 */
export function assertNamespace(value: string, field = 'namespace'): string {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
    throw new InvalidKubernetesInputError(
      field,
      `'${value}' is not a valid namespace: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Checks an object name (DNS-1123 subdomain, ≤ 253 chars) before it goes into a URL path. */
export function assertObjectName(value: string, field = 'name'): string {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    throw new InvalidKubernetesInputError(
      field,
      `'${value}' is not a valid object name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253 characters)`,
    );
  }
  return value;
}

/** Parses `namespace/name` (the CLI's resource argument). */
export function parseNamespacedName(text: string, field = 'resource'): { namespace: string; name: string } {
  const parts = text.split('/');
  if (parts.length !== 2) {
    throw new InvalidKubernetesInputError(field, `'${text}' is not of the form <namespace>/<name>`);
  }
  return {
    namespace: assertNamespace(parts[0] ?? '', `${field} namespace`),
    name: assertObjectName(parts[1] ?? '', `${field} name`),
  };
}

/** Plural resource names of the operator's CRDs (docs/flink-resources.md §1). */
export const FLINK_PLURALS = {
  FlinkDeployment: 'flinkdeployments',
  FlinkSessionJob: 'flinksessionjobs',
} as const;

/** API group/version of both CRDs: only `v1beta1` is served (docs/flink-resources.md §1). */
export const FLINK_API_VERSION = 'flink.apache.org/v1beta1';

/** URL path of one Flink resource, with validated namespace and name. */
export function flinkResourcePath(kind: keyof typeof FLINK_PLURALS, namespace: string, name: string): string {
  return `/apis/${FLINK_API_VERSION}/namespaces/${assertNamespace(namespace)}/${FLINK_PLURALS[kind]}/${assertObjectName(name)}`;
}
