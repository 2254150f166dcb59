import { DEFAULT_VERTEX_DETAIL_INTERVAL_MS } from '../../lib/adapters/cloudwatch/cycle-record.ts';
import { type ClusterEnvironmentEntry, RUNTIME_ENV } from './runtime-environment.ts';

/** The handlers' configuration, read and checked once per cold start. */
export interface RuntimeConfig {
  readonly tableName: string;
  readonly queueUrl?: string;
  readonly clusters: readonly ClusterEnvironmentEntry[];
  readonly deploymentDefaults: Readonly<Record<string, string>>;
  /** Interval of the dispatcher's schedule (ms). @default 60 000 */
  readonly cadenceMs: number;
  /** The function runs in a VPC ({@link RUNTIME_ENV.inVpc}). @default false */
  readonly inVpc: boolean;
  /** Cycles the worker runs at once within one batch. @default 10 */
  readonly cycleConcurrency: number;
  /**
   * Interval between cycle records that list every vertex when nothing changes (ms); 0 = every
   * record. @default 300 000
   */
  readonly vertexDetailIntervalMs: number;
}

/** A missing or malformed environment variable; names it and says what is expected. */
export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
}

/**
 * Reads {@link RuntimeConfig} from the environment the CDK construct sets. Refuses to start when
 * TLS verification is switched off process-wide: the Lambdas talk to EKS API servers and STS, and
 * no setting may make them accept an unverified certificate.
 */
export function readRuntimeConfig(
  env: Readonly<Record<string, string | undefined>>,
  needsQueue: boolean,
): RuntimeConfig {
  if (env['NODE_TLS_REJECT_UNAUTHORIZED'] === '0') {
    throw new RuntimeConfigError(
      'NODE_TLS_REJECT_UNAUTHORIZED=0 switches off TLS verification; it cannot be used in Lambda mode (remove it)',
    );
  }
  const tableName = env[RUNTIME_ENV.tableName];
  if (!tableName)
    throw new RuntimeConfigError(`${RUNTIME_ENV.tableName} is not set: the DynamoDB state table name`);
  const queueUrl = env[RUNTIME_ENV.queueUrl];
  if (needsQueue && !queueUrl)
    throw new RuntimeConfigError(`${RUNTIME_ENV.queueUrl} is not set: the job queue URL`);
  const clusters = parseJson(env, RUNTIME_ENV.clusters, '[]');
  if (!Array.isArray(clusters) || clusters.length === 0) {
    throw new RuntimeConfigError(
      `${RUNTIME_ENV.clusters} must be a non-empty JSON array of {name, region, namespaces?}`,
    );
  }
  const names = new Map<string, string>();
  clusters.forEach((entry: unknown, index) => {
    const cluster = entry as Partial<ClusterEnvironmentEntry>;
    if (typeof cluster?.name !== 'string' || typeof cluster.region !== 'string') {
      throw new RuntimeConfigError(`${RUNTIME_ENV.clusters}[${index}] needs string fields name and region`);
    }
    // The name alone identifies a cluster in job keys and state: two regions cannot share one.
    const other = names.get(cluster.name);
    if (other !== undefined) {
      throw new RuntimeConfigError(
        `${RUNTIME_ENV.clusters} lists cluster '${cluster.name}' twice (${other} and ${cluster.region}); cluster names must be unique`,
      );
    }
    names.set(cluster.name, cluster.region);
    if (cluster.namespaces !== undefined && !Array.isArray(cluster.namespaces)) {
      throw new RuntimeConfigError(
        `${RUNTIME_ENV.clusters}[${index}].namespaces must be an array of namespaces`,
      );
    }
  });
  const defaults = parseJson(env, RUNTIME_ENV.deploymentDefaults, '{}');
  if (defaults === null || typeof defaults !== 'object' || Array.isArray(defaults)) {
    throw new RuntimeConfigError(
      `${RUNTIME_ENV.deploymentDefaults} must be a JSON object of flinkConfiguration keys`,
    );
  }
  const cadenceText = env[RUNTIME_ENV.cadenceMs] ?? '60000';
  const cadenceMs = Number(cadenceText);
  if (!Number.isInteger(cadenceMs) || cadenceMs < 1000) {
    throw new RuntimeConfigError(
      `${RUNTIME_ENV.cadenceMs} must be the schedule interval in whole milliseconds (at least 1000), got '${cadenceText}'`,
    );
  }
  const inVpcText = env[RUNTIME_ENV.inVpc] ?? 'false';
  if (inVpcText !== 'true' && inVpcText !== 'false') {
    throw new RuntimeConfigError(`${RUNTIME_ENV.inVpc} must be 'true' or 'false', got '${inVpcText}'`);
  }
  const concurrencyText = env[RUNTIME_ENV.cycleConcurrency] ?? '10';
  const cycleConcurrency = Number(concurrencyText);
  if (!Number.isInteger(cycleConcurrency) || cycleConcurrency < 1 || cycleConcurrency > 100) {
    throw new RuntimeConfigError(
      `${RUNTIME_ENV.cycleConcurrency} must be the number of cycles run at once, an integer from 1 to 100, got '${concurrencyText}'`,
    );
  }
  const detailText = env[RUNTIME_ENV.vertexDetailIntervalMs] ?? String(DEFAULT_VERTEX_DETAIL_INTERVAL_MS);
  const vertexDetailIntervalMs = Number(detailText);
  if (!Number.isInteger(vertexDetailIntervalMs) || vertexDetailIntervalMs < 0 || vertexDetailIntervalMs > 86_400_000) {
    throw new RuntimeConfigError(
      `${RUNTIME_ENV.vertexDetailIntervalMs} must be the interval between per-vertex cycle records in whole milliseconds, from 0 (every cycle) to 86400000 (a day), got '${detailText}'`,
    );
  }
  return {
    tableName,
    cadenceMs,
    vertexDetailIntervalMs,
    inVpc: inVpcText === 'true',
    cycleConcurrency,
    ...(queueUrl ? { queueUrl } : {}),
    clusters: clusters as ClusterEnvironmentEntry[],
    deploymentDefaults: Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, String(v)])),
  };
}

function parseJson(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: string,
): unknown {
  try {
    return JSON.parse(env[name] ?? fallback);
  } catch (error) {
    throw new RuntimeConfigError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}
