/**
 * The parts of the production wiring both functions share: the logger, the metrics reporter, the
 * clock, the state store, and the authenticated Kubernetes client of each EKS cluster. Built once
 * per cold start; each cluster's client is created on first use (a DescribeCluster call) and
 * rebuilt after a failure.
 *
 * The dispatcher wires only these and the job discovery (functions/dispatcher/dispatcher-wiring.ts),
 * so its bundle does not load what only a cycle needs (functions/shared/wiring.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EmfMetricsReporter } from '../../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import { systemClock } from '../../lib/adapters/clock/system-clock.ts';
import { DynamoDbStateStore } from '../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { EksClusterInfoSource } from '../../lib/adapters/kubernetes/auth/eks-cluster-info.ts';
import { createEksKubernetesClient } from '../../lib/adapters/kubernetes/auth/eks-kubernetes-client.ts';
import type { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import type { CycleLogger } from '../../lib/cycle/cycle-dependencies.ts';
import type { Clock } from '../../lib/ports/clock.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';
import type { RuntimeConfig } from './runtime-config.ts';
import type { ClusterEnvironmentEntry } from './runtime-environment.ts';

/** Process-wide parts of both handlers. */
export interface ProcessWiring {
  /** Powertools logger, for the middleware (Lambda context, cold start). */
  readonly powertoolsLogger: Logger;
  /** The same logger behind the small interface the core and handlers use. */
  readonly logger: CycleLogger;
  readonly reporter: EmfMetricsReporter;
  readonly clock: Clock;
  readonly store: StateStore;
}

/** The process-wide parts of a Lambda container. */
export function createProcessWiring(config: RuntimeConfig): ProcessWiring {
  const logger = new Logger({
    serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'flink-serverless-autoscaler',
  });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return {
    powertoolsLogger: logger,
    logger: cycleLogger(logger),
    reporter: new EmfMetricsReporter({ logger, vertexDetailIntervalMs: config.vertexDetailIntervalMs }),
    clock: systemClock,
    store: new DynamoDbStateStore(documents, { tableName: config.tableName }),
  };
}

/** Adapts a Powertools logger to {@link CycleLogger} (structured extra keys). */
export function cycleLogger(logger: Logger): CycleLogger {
  const call =
    (method: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) =>
      extra ? logger[method](message, extra) : logger[method](message);
  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') };
}

/** What {@link eksClusterFactory} hands its builder for one cluster. */
export interface EksCluster {
  readonly entry: ClusterEnvironmentEntry;
  /** Authenticated client: endpoint and CA from DescribeCluster, IAM token, verified TLS. */
  readonly client: KubernetesClient;
  /** The EKS client of the cluster's region (shared by the clusters of one region). */
  readonly eks: EKSClient;
}

/**
 * Builds (and caches) something per configured EKS cluster from its authenticated Kubernetes
 * client. A failed build (DescribeCluster, an unreachable endpoint) is not cached, so the next
 * call tries again instead of failing for the life of the container.
 */
export function eksClusterFactory<T>(
  config: RuntimeConfig,
  build: (cluster: EksCluster) => T,
): (cluster: string) => Promise<T> {
  const eksClients = new Map<string, EKSClient>();
  const infoSources = new Map<string, EksClusterInfoSource>();
  const cache = new Map<string, Promise<T>>();
  return (cluster) => {
    const cached = cache.get(cluster);
    if (cached) return cached;
    const entry = config.clusters.find((c) => c.name === cluster);
    if (!entry) return Promise.reject(new Error(`cluster '${cluster}' is not configured (FSA_CLUSTERS)`));
    let eks = eksClients.get(entry.region);
    if (!eks) {
      eks = new EKSClient({ region: entry.region });
      eksClients.set(entry.region, eks);
    }
    let infoSource = infoSources.get(entry.region);
    if (!infoSource) {
      infoSource = new EksClusterInfoSource(eks);
      infoSources.set(entry.region, infoSource);
    }
    const regionEks = eks;
    const created = createEksKubernetesClient({
      clusterName: entry.name,
      region: entry.region,
      clusterInfo: infoSource,
      // Fails fast when the endpoint is private or CIDR-restricted and the function is outside a VPC.
      network: { inVpc: config.inVpc },
    }).then(({ client }) => build({ entry, client, eks: regionEks }));
    created.catch(() => cache.delete(cluster));
    cache.set(cluster, created);
    return created;
  };
}
