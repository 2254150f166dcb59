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
  /** Cycles the worker runs at once within one SQS batch (positive integer). */
  cycleConcurrency: 'FSA_CYCLE_CONCURRENCY',
  /** CloudWatch namespace of the EMF metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** One cluster as serialized into {@link RUNTIME_ENV.clusters}. */
export interface ClusterEnvironmentEntry {
  readonly name: string;
  readonly region: string;
  /** Namespaces to watch; absent = all namespaces. */
  readonly namespaces?: readonly string[];
}
