/** Kinds of Flink Kubernetes Operator resources the autoscaler manages. */
export type ResourceKind = 'FlinkDeployment' | 'FlinkSessionJob';

/**
 * Identity of one managed Flink job: the Kubernetes resource that owns it.
 * The DynamoDB partition key is derived from it (`JOB#cluster#namespace#kind#name`).
 */
export interface JobKey {
  /** Logical cluster name (EKS cluster name, or `local` in the local world). */
  readonly cluster: string;
  readonly namespace: string;
  readonly kind: ResourceKind;
  readonly name: string;
}

/** Stable string form of a {@link JobKey}, used in logs, keys and metric dimensions. */
export function formatJobKey(key: JobKey): string {
  return `${key.cluster}/${key.namespace}/${key.kind}/${key.name}`;
}

/** A job key field that cannot be used: names the field, the value and what is allowed. */
export class InvalidJobKeyError extends Error {
  override readonly name = 'InvalidJobKeyError';
  readonly field: string;
  constructor(field: string, value: unknown, allowed: string) {
    super(`Invalid job key: ${field} is ${JSON.stringify(value)}; expected ${allowed}`);
    this.field = field;
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** EKS cluster names: letters, digits, `-` and `_`, starting with a letter or digit, ≤ 100. */
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * Checks every field of a job key from untrusted input (queue messages, CLI arguments) before
 * it goes into a URL path or a DynamoDB key: a `/`, `#` or `..` can never reach either.
 */
export function parseJobKey(value: unknown, field = 'key'): JobKey {
  if (value === null || typeof value !== 'object') {
    throw new InvalidJobKeyError(field, value, 'an object with cluster, namespace, kind and name');
  }
  const { cluster, namespace, kind, name } = value as Record<string, unknown>;
  if (typeof cluster !== 'string' || !CLUSTER_NAME.test(cluster)) {
    throw new InvalidJobKeyError(
      `${field}.cluster`,
      cluster,
      'a cluster name (letters, digits, - and _; at most 100)',
    );
  }
  if (typeof namespace !== 'string' || namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    throw new InvalidJobKeyError(`${field}.namespace`, namespace, 'a Kubernetes namespace (DNS-1123 label)');
  }
  if (kind !== 'FlinkDeployment' && kind !== 'FlinkSessionJob') {
    throw new InvalidJobKeyError(`${field}.kind`, kind, 'FlinkDeployment or FlinkSessionJob');
  }
  if (typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    throw new InvalidJobKeyError(`${field}.name`, name, 'a Kubernetes object name (DNS-1123 subdomain)');
  }
  return { cluster, namespace, kind, name };
}

/** Parses the text form of {@link formatJobKey} (`cluster/namespace/kind/name`). */
export function parseJobKeyText(text: string, field = 'job'): JobKey {
  const parts = text.split('/');
  if (parts.length !== 4) {
    throw new InvalidJobKeyError(
      field,
      text,
      'cluster/namespace/kind/name, e.g. prod/flink/FlinkDeployment/orders',
    );
  }
  const [cluster, namespace, kind, name] = parts;
  return parseJobKey({ cluster, namespace, kind, name }, field);
}
