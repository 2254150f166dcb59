/**
 * Names of the environment variables the CDK app sets on the handlers. The handlers' wiring reads the
 * same names; keep both sides on these constants.
 */
export const RUNTIME_ENV = {
  /** DynamoDB state table name. */
  tableName: 'FSA_TABLE_NAME',
  /** URL of the job queue (dispatcher only). */
  queueUrl: 'FSA_QUEUE_URL',
  /** JSON array of {@link ClusterEnvironmentEntry}. */
  clusters: 'FSA_CLUSTERS',
  /** JSON object of deployment-wide `flinkConfiguration` defaults (docs/design.md §3 precedence). */
  deploymentDefaults: 'FSA_DEPLOYMENT_DEFAULTS',
  /** Interval of the dispatcher's schedule in ms (the cycles' cadence; sizes the window's look-back). */
  cadenceMs: 'FSA_CADENCE_MS',
  /**
   * `true` when the function is attached to a VPC: a cluster whose API endpoint is private-only or
   * CIDR-restricted is then expected to be reachable; outside a VPC it fails fast with a clear error.
   */
  inVpc: 'FSA_IN_VPC',
  /** Cycles the worker runs at once within one SQS batch (positive integer). */
  cycleConcurrency: 'FSA_CYCLE_CONCURRENCY',
  /**
   * Interval in ms between cycle records that list every vertex, for a job whose cycles change
   * nothing (lib/adapters/cloudwatch/cycle-record.ts); 0 = every record. The dashboard's per-vertex
   * graphs use bins of this width.
   */
  vertexDetailIntervalMs: 'FSA_VERTEX_DETAIL_INTERVAL_MS',
  /** CloudWatch namespace of the EMF metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/**
 * One cluster as serialized into {@link RUNTIME_ENV.clusters}. Names are unique across regions:
 * the name is the cluster's identity in job keys, state and metrics (the CDK app and
 * `readRuntimeConfig` both refuse a name listed twice).
 */
export interface ClusterEnvironmentEntry {
  readonly name: string;
  readonly region: string;
  /** Namespaces to watch; absent = all namespaces. */
  readonly namespaces?: readonly string[];
}
