import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import { InvalidOptionError } from '../../config/options-error.ts';
import type { JobKey } from '../../domain/job-key.ts';
import { MANAGED_LABEL } from '../../domain/resource-metadata.ts';
import type { TaskManagerResources } from '../../domain/resources.ts';
import type { DiscoveredJob, JobDiscovery, JobReadiness } from '../../ports/job-discovery.ts';
import type { FlinkResource } from './flink-resource.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import type { ObservedResources } from './observed-resources.ts';
import { InvalidKubernetesInputError, KubernetesApiError } from './kubernetes-errors.ts';
import { assessReadiness, findAmbiguousConfigKeys } from './readiness.ts';
import { assertNamespace, FLINK_API_VERSION, FLINK_PLURALS, flinkResourcePath } from './resource-names.ts';
import { flinkRestEndpoint } from './rest-endpoint.ts';
import { readTaskManagerResources } from './task-manager-resources.ts';

/** Options of {@link KubernetesJobDiscovery}. */
export interface KubernetesJobDiscoveryOptions {
  /** Logical cluster name for job keys (the EKS cluster name). */
  readonly cluster: string;
  /** API server URL, for service-proxy REST URLs. */
  readonly apiServerUrl: string;
  /** Namespaces to search; all namespaces when absent or empty. */
  readonly namespaces?: readonly string[];
  /** Page size of list calls. Default 250. */
  readonly pageSize?: number;
  /** Where {@link KubernetesJobDiscovery.getJob} leaves what it read for the realizer of the cycle. */
  readonly observed?: ObservedResources;
}

const SELECTOR = `${MANAGED_LABEL}=true`;

/**
 * Lists labelled FlinkDeployments and FlinkSessionJobs (paginated, cluster-wide or per
 * namespace) and turns each into a {@link DiscoveredJob}: readiness, flat configuration, REST
 * endpoint, TaskManager resources (docs/design.md §4).
 */
export class KubernetesJobDiscovery implements JobDiscovery {
  readonly #client: KubernetesClient;
  readonly #options: KubernetesJobDiscoveryOptions;

  constructor(client: KubernetesClient, options: KubernetesJobDiscoveryOptions) {
    this.#client = client;
    this.#options = options;
    for (const ns of options.namespaces ?? []) assertNamespace(ns, 'namespaces');
  }

  async listManagedJobs(): Promise<DiscoveredJob[]> {
    const namespaces = this.#options.namespaces?.length ? this.#options.namespaces : [undefined];
    const listing = (plural: string) =>
      Promise.all(
        namespaces.map((ns) =>
          this.#client.list<FlinkResource>(
            ns === undefined
              ? `/apis/${FLINK_API_VERSION}/${plural}`
              : `/apis/${FLINK_API_VERSION}/namespaces/${ns}/${plural}`,
            { labelSelector: SELECTOR, pageSize: this.#options.pageSize ?? 250 },
          ),
        ),
      ).then((pages) => pages.flat());
    const [deployments, sessionJobs] = await Promise.all([
      listing(FLINK_PLURALS.FlinkDeployment),
      listing(FLINK_PLURALS.FlinkSessionJob),
    ]);
    // session clusters usually are not labelled themselves: fetch the ones the jobs point at
    const sessions = new Map<string, FlinkResource | undefined>();
    for (const d of deployments) sessions.set(`${d.metadata.namespace}/${d.metadata.name}`, d);
    for (const job of sessionJobs) {
      const id = `${job.metadata.namespace}/${job.spec.deploymentName}`;
      if (!sessions.has(id))
        sessions.set(
          id,
          await this.#getOrUndefined(
            'FlinkDeployment',
            job.metadata.namespace ?? '',
            job.spec.deploymentName ?? '',
          ),
        );
    }
    return [
      ...deployments.map((d) => this.#toJob(d, undefined)),
      ...sessionJobs.map((j) =>
        this.#toJob(j, sessions.get(`${j.metadata.namespace}/${j.spec.deploymentName}`)),
      ),
    ];
  }

  async getJob(key: JobKey): Promise<DiscoveredJob | undefined> {
    const resource = await this.#getOrUndefined(key.kind, key.namespace, key.name);
    if (resource?.metadata.labels?.[MANAGED_LABEL] !== 'true') return undefined;
    const session =
      resource.kind === 'FlinkSessionJob'
        ? await this.#getOrUndefined('FlinkDeployment', key.namespace, resource.spec.deploymentName ?? '')
        : undefined;
    return this.#toJob(resource, session);
  }

  async #getOrUndefined(
    kind: JobKey['kind'],
    namespace: string,
    name: string,
  ): Promise<FlinkResource | undefined> {
    try {
      const path = flinkResourcePath(kind, namespace, name);
      const resource = await this.#client.get<FlinkResource>(path);
      this.#options.observed?.remember(path, resource);
      return resource;
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  #toJob(resource: FlinkResource, sessionCluster: FlinkResource | undefined): DiscoveredJob {
    return toDiscoveredJob(resource, this.#options.cluster, this.#options.apiServerUrl, sessionCluster);
  }
}

/** Pure mapping of a resource (and its session cluster) to a {@link DiscoveredJob}. */
export function toDiscoveredJob(
  resource: FlinkResource,
  cluster: string,
  apiServerUrl: string,
  sessionCluster?: FlinkResource,
): DiscoveredJob {
  let readiness: JobReadiness = assessReadiness(resource, sessionCluster);
  const isDeployment = resource.kind === 'FlinkDeployment';
  let config: Record<string, string> = {};
  try {
    if (findAmbiguousConfigKeys(resource.spec.flinkConfiguration ?? {}).length === 0) {
      config = flattenConfiguration(resource.spec.flinkConfiguration ?? {});
    }
  } catch (error) {
    // readiness has already refused a configuration that cannot be flattened (one bad resource
    // must not stop the listing of the others)
    if (!(error instanceof InvalidOptionError)) throw error;
  }
  let rest: DiscoveredJob['rest'] = { baseUrl: '', via: 'service-proxy' };
  let taskManager: TaskManagerResources | undefined;
  try {
    rest = flinkRestEndpoint(resource, apiServerUrl, sessionCluster);
    if (isDeployment) taskManager = readTaskManagerResources(resource.spec);
  } catch (error) {
    // one badly configured resource must not stop discovery of the others
    if (!(error instanceof InvalidKubernetesInputError)) throw error;
    readiness = { ready: false, code: 'invalid-resource', refused: true, reason: error.message };
  }
  const flinkVersion = isDeployment ? resource.spec.flinkVersion : sessionCluster?.spec.flinkVersion;
  return {
    key: {
      cluster,
      namespace: resource.metadata.namespace ?? '',
      kind: resource.kind,
      name: resource.metadata.name,
    },
    readiness,
    ...(resource.status?.jobStatus?.jobId ? { jobId: resource.status.jobStatus.jobId } : {}),
    flinkConfiguration: config,
    rest: { baseUrl: rest.baseUrl, via: rest.via, ...(rest.serviceName ? { serviceName: rest.serviceName } : {}) },
    memoryTuning: isDeployment,
    ...(taskManager ? { taskManager } : {}),
    ...(flinkVersion ? { flinkVersion } : {}),
    ...(resource.spec.job?.upgradeMode ? { upgradeMode: resource.spec.job.upgradeMode } : {}),
    ...(resource.metadata.generation !== undefined ? { generation: resource.metadata.generation } : {}),
    ...(resource.metadata.resourceVersion ? { resourceVersion: resource.metadata.resourceVersion } : {}),
    annotations: resource.metadata.annotations ?? {},
  };
}
