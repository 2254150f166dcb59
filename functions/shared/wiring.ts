/**
 * Production wiring: real adapters from the environment, built once per cold start. EKS cluster
 * info, tokens, TLS pools and SDK clients live for the whole container; each cluster's adapters
 * are created on first use (a DescribeCluster call) and rebuilt after a failure.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EmfMetricsReporter } from '../../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import { DynamoDbStateStore } from '../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import {
  type ClusterAdapters,
  createClusterAdapters,
} from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { EksClusterInfoSource } from '../../lib/adapters/kubernetes/auth/eks-cluster-info.ts';
import { createEksKubernetesClient } from '../../lib/adapters/kubernetes/auth/eks-kubernetes-client.ts';
import { systemClock } from '../../lib/adapters/clock/system-clock.ts';
import {
  type CycleProcessParts,
  composeCycleDependencies,
} from '../../lib/cycle/compose-cycle-dependencies.ts';
import type { CycleDependencies, CycleLogger } from '../../lib/cycle/run-cycle.ts';
import { LambdaPolicyHook, lambdaClientInvoker } from '../../lib/adapters/policy/lambda-policy-hook.ts';
import { readPolicyEnvironment } from '../../lib/adapters/policy/policy-environment.ts';
import type { Clock } from '../../lib/ports/clock.ts';
import type { PolicyHook } from '../../lib/ports/policy-hook.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';
import type { RuntimeConfig } from './runtime-config.ts';

/** Builds (and caches) the adapters of a cluster by name. */
export type ClusterAdaptersFactory = (cluster: string) => Promise<ClusterAdapters>;

/** Shared, process-wide parts of both handlers. */
export interface SharedWiring {
  /** Powertools logger, for the middleware (Lambda context, cold start). */
  readonly powertoolsLogger: Logger;
  /** The same logger behind the small interface the core and handlers use. */
  readonly logger: CycleLogger;
  readonly reporter: EmfMetricsReporter;
  readonly clock: Clock;
  readonly store: StateStore;
  readonly metrics: FlinkRestMetricsSource;
  readonly clusterAdapters: ClusterAdaptersFactory;
  readonly deploymentDefaults: Readonly<Record<string, string>>;
  /** Interval of the dispatcher's schedule (ms). */
  readonly cadenceMs: number;
  /** The policy hook (`FSA_POLICY_FUNCTION`), when one is configured. */
  readonly policy?: PolicyHook;
}

/** Per-cluster adapters on EKS: endpoint and CA from DescribeCluster, IAM token, verified TLS. */
export function eksClusterAdaptersFactory(config: RuntimeConfig, clock: Clock): ClusterAdaptersFactory {
  const eksClients = new Map<string, EKSClient>();
  const infoSources = new Map<string, EksClusterInfoSource>();
  const cache = new Map<string, Promise<ClusterAdapters>>();
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
    const created = createEksKubernetesClient({
      clusterName: entry.name,
      region: entry.region,
      clusterInfo: infoSource,
      // Fails fast when the endpoint is private or CIDR-restricted and the function is outside a VPC.
      network: { inVpc: config.inVpc },
    }).then(({ client }) =>
      createClusterAdapters(client, {
        cluster: entry.name,
        ...(entry.namespaces ? { namespaces: entry.namespaces } : {}),
        clock,
        capacity: { clusterName: entry.name, eks: eks as EKSClient },
      }),
    );
    // A failed DescribeCluster must not stick for the life of the container.
    created.catch(() => cache.delete(cluster));
    cache.set(cluster, created);
    return created;
  };
}

/** The shared wiring of a Lambda container. */
export function createSharedWiring(
  config: RuntimeConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SharedWiring {
  // Read first: a misconfigured hook fails the cold start loudly rather than every cycle.
  const policyEnvironment = readPolicyEnvironment(env);
  const clock = systemClock;
  const logger = new Logger({
    serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'flink-serverless-autoscaler',
  });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return {
    powertoolsLogger: logger,
    logger: cycleLogger(logger),
    reporter: new EmfMetricsReporter({ logger, vertexDetailIntervalMs: config.vertexDetailIntervalMs }),
    clock,
    store: new DynamoDbStateStore(documents, { tableName: config.tableName }),
    metrics: new FlinkRestMetricsSource(),
    clusterAdapters: eksClusterAdaptersFactory(config, clock),
    deploymentDefaults: config.deploymentDefaults,
    cadenceMs: config.cadenceMs,
    ...(policyEnvironment
      ? { policy: new LambdaPolicyHook(lambdaClientInvoker(), policyEnvironment) }
      : {}),
  };
}

/** Adapts a Powertools logger to {@link CycleLogger} (structured extra keys). */
export function cycleLogger(logger: Logger): CycleLogger {
  const call =
    (method: 'debug' | 'info' | 'warn' | 'error') => (message: string, extra?: Record<string, unknown>) =>
      extra ? logger[method](message, extra) : logger[method](message);
  return { debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') };
}

/**
 * What {@link cycleDependenciesFor} needs: the process-wide parts of the composition root and the
 * factory of each cluster's adapters (the Lambda's {@link SharedWiring} fits).
 */
export interface CycleWiring extends CycleProcessParts {
  readonly clusterAdapters: ClusterAdaptersFactory;
}

/** The run-cycle dependencies of one cluster and run, through the one composition root. */
export async function cycleDependenciesFor(
  wiring: CycleWiring,
  cluster: string,
  runId: string,
): Promise<CycleDependencies> {
  return composeCycleDependencies(await wiring.clusterAdapters(cluster), wiring, runId);
}
