/**
 * Production wiring of the dispatcher: the process-wide parts and, per cluster, only the job
 * discovery. It lists resources and reads the registry; realizing, events, capacity, health, the
 * Flink REST source and the policy hook are the worker's, and their modules stay out of the
 * dispatcher's bundle (less to load at every cold start).
 */
import { KubernetesJobDiscovery } from '../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import type { JobDiscovery } from '../../lib/ports/job-discovery.ts';
import { createProcessWiring, eksClusterFactory, type ProcessWiring } from '../shared/process-wiring.ts';
import type { RuntimeConfig } from '../shared/runtime-config.ts';

/** The dispatcher's wiring. */
export interface DispatcherWiring extends ProcessWiring {
  /** The job discovery of a configured cluster, built on first use and rebuilt after a failure. */
  readonly discovery: (cluster: string) => Promise<JobDiscovery>;
}

/** The wiring of a dispatcher container. */
export function createDispatcherWiring(config: RuntimeConfig): DispatcherWiring {
  return {
    ...createProcessWiring(config),
    // The same discovery the worker's cluster adapters hold (lib/adapters/kubernetes/cluster-adapters.ts).
    discovery: eksClusterFactory(
      config,
      ({ entry, client }) =>
        new KubernetesJobDiscovery(client, {
          cluster: entry.name,
          apiServerUrl: client.baseUrl,
          ...(entry.namespaces ? { namespaces: entry.namespaces } : {}),
        }),
    ),
  };
}
