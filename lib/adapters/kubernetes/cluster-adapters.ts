import type { Clock } from '../../ports/clock.ts';
import type { DiscoveredJob } from '../../ports/job-discovery.ts';
import type { FlinkJobTarget } from '../../ports/metrics-source.ts';
import { KubernetesClusterCapacity, type KubernetesClusterCapacityOptions } from './cluster-capacity.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import { KubernetesEventSink } from './kubernetes-event-sink.ts';
import { KubernetesJobDiscovery } from './kubernetes-job-discovery.ts';
import { KubernetesJobHealth } from './kubernetes-job-health.ts';
import { KubernetesScalingRealizer } from './kubernetes-scaling-realizer.ts';
import { ObservedResources } from './observed-resources.ts';

/** The Kubernetes-side adapters of one cluster, built once and shared by every job in it. */
export interface ClusterAdapters {
  readonly cluster: string;
  readonly client: KubernetesClient;
  readonly discovery: KubernetesJobDiscovery;
  readonly realizer: KubernetesScalingRealizer;
  readonly events: KubernetesEventSink;
  readonly capacity: KubernetesClusterCapacity;
  /** Job state and unschedulable TaskManager pods, read while a change is watched for rollback. */
  readonly health: KubernetesJobHealth;
  /** How to reach a job's Flink REST API: through the API server's service proxy with this
   *  client's credentials and CA, or directly for the `rest-url` annotation. */
  restTarget(job: DiscoveredJob): Promise<FlinkJobTarget>;
}

/** Options of {@link createClusterAdapters}. */
export interface ClusterAdaptersOptions {
  /** Logical cluster name (the EKS cluster name), part of every job key. */
  readonly cluster: string;
  /** Namespaces to watch; all when absent or empty. */
  readonly namespaces?: readonly string[];
  readonly clock: Clock;
  /** Node-group and Karpenter sources of the capacity check. */
  readonly capacity?: KubernetesClusterCapacityOptions;
  /** Identity written into Kubernetes Events (`reportingInstance`). */
  readonly reportingInstance?: string;
}

/** Builds the adapters of one cluster around an authenticated {@link KubernetesClient}. */
export function createClusterAdapters(
  client: KubernetesClient,
  options: ClusterAdaptersOptions,
): ClusterAdapters {
  // The resource a cycle's observe step read is the one its realize step starts from.
  const observed = new ObservedResources(options.clock);
  return {
    cluster: options.cluster,
    client,
    discovery: new KubernetesJobDiscovery(client, {
      cluster: options.cluster,
      apiServerUrl: client.baseUrl,
      observed,
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
    }),
    realizer: new KubernetesScalingRealizer(client, observed),
    events: new KubernetesEventSink(client, options.clock, {
      ...(options.reportingInstance ? { reportingInstance: options.reportingInstance } : {}),
    }),
    capacity: new KubernetesClusterCapacity(client, options.capacity ?? {}),
    health: new KubernetesJobHealth(client),
    async restTarget(job) {
      const base = { restBaseUrl: job.rest.baseUrl, ...(job.jobId ? { jobId: job.jobId } : {}) };
      // Only the service proxy gets the cluster credentials: an annotated URL is another host.
      if (job.rest.via !== 'service-proxy') return base;
      return { ...base, ...(await client.proxyAccess()) };
    },
  };
}
