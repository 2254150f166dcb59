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
