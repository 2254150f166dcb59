/**
 * Production wiring of the worker: the process-wide parts (./process-wiring.ts) plus what a cycle
 * needs, built once per cold start. EKS cluster info, tokens, TLS pools and SDK clients live for
 * the whole container; each cluster's adapters are created on first use (a DescribeCluster call)
 * and rebuilt after a failure.
 */

import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { RecentEmissions } from '../../lib/adapters/state/recent-emissions.ts';
import {
  type ClusterAdapters,
  createClusterAdapters,
} from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { LambdaPolicyHook, lambdaClientInvoker } from '../../lib/adapters/policy/lambda-policy-hook.ts';
import { readPolicyEnvironment } from '../../lib/adapters/policy/policy-environment.ts';
import {
  type CycleProcessParts,
  composeCycleDependencies,
} from '../../lib/cycle/compose-cycle-dependencies.ts';
import type { CycleDependencies } from '../../lib/cycle/run-cycle.ts';
import type { Clock } from '../../lib/ports/clock.ts';
import type { PolicyHook } from '../../lib/ports/policy-hook.ts';
import { createProcessWiring, eksClusterFactory, type ProcessWiring } from './process-wiring.ts';
import type { RuntimeConfig } from './runtime-config.ts';

export { cycleLogger } from './process-wiring.ts';

/** Builds (and caches) the adapters of a cluster by name. */
export type ClusterAdaptersFactory = (cluster: string) => Promise<ClusterAdapters>;

/** Shared, process-wide parts of the worker. */
export interface SharedWiring extends ProcessWiring {
  readonly metrics: FlinkRestMetricsSource;
  readonly clusterAdapters: ClusterAdaptersFactory;
  readonly deploymentDefaults: Readonly<Record<string, string>>;
  /** Interval of the dispatcher's schedule (ms). */
  readonly cadenceMs: number;
  /** The policy hook (`FSA_POLICY_FUNCTION`), when one is configured. */
  readonly policy?: PolicyHook;
  /** The container's memory of reported events (lib/adapters/state/recent-emissions.ts). */
  readonly recentEmissions: RecentEmissions;
}

/** Per-cluster adapters on EKS: endpoint and CA from DescribeCluster, IAM token, verified TLS. */
export function eksClusterAdaptersFactory(config: RuntimeConfig, clock: Clock): ClusterAdaptersFactory {
  return eksClusterFactory(config, ({ entry, client, eks }) =>
    createClusterAdapters(client, {
      cluster: entry.name,
      ...(entry.namespaces ? { namespaces: entry.namespaces } : {}),
      clock,
      capacity: { clusterName: entry.name, eks },
    }),
  );
}

/** The shared wiring of a worker container. */
export function createSharedWiring(
  config: RuntimeConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SharedWiring {
  // Read first: a misconfigured hook fails the cold start loudly rather than every cycle.
  const policyEnvironment = readPolicyEnvironment(env);
  const processWiring = createProcessWiring(config);
  return {
    ...processWiring,
    metrics: new FlinkRestMetricsSource(),
    clusterAdapters: eksClusterAdaptersFactory(config, processWiring.clock),
    deploymentDefaults: config.deploymentDefaults,
    cadenceMs: config.cadenceMs,
    // Per container: repeats of an event within its interval skip the sinks' lookups.
    recentEmissions: new RecentEmissions(),
    ...(policyEnvironment
      ? { policy: new LambdaPolicyHook(lambdaClientInvoker(), policyEnvironment) }
      : {}),
  };
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
