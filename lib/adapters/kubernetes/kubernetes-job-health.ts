/**
 * The job's health as Kubernetes sees it (docs/algorithm.md §13), read only while the autoscaler
 * watches a change it applied: the resource's `status.jobStatus.state` (the operator's
 * `JobStatusObserver` copies Flink's job state there) and the TaskManager pods the scheduler
 * cannot place.
 *
 * TaskManager pods are found by the labels Flink's native Kubernetes integration puts on them
 * (`app=<kubernetes.cluster-id>`, `component=taskmanager`; Flink 1.x `Constants.LABEL_APP_KEY`,
 * `LABEL_COMPONENT_KEY`, `LABEL_COMPONENT_TASK_MANAGER`); the operator sets the cluster id to the FlinkDeployment's name
 * (a session job's TaskManagers belong to its session deployment). A pod the scheduler cannot
 * place stays Pending with the condition `PodScheduled=False`, reason `Unschedulable`
 * (Kubernetes documentation, "Pod Lifecycle" → Pod conditions; kube-scheduler sets it).
 */
import type { JobKey } from '../../domain/job-key.ts';
import type { JobHealth, JobHealthSource, UnschedulableTaskManagerPod } from '../../ports/job-health-source.ts';
import type { FlinkResource } from './flink-resource.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import { assertNamespace, flinkResourcePath } from './resource-names.ts';

/** The parts of a Pod this adapter reads. */
interface PodView {
  readonly metadata: { readonly name: string };
  readonly status?: {
    readonly phase?: string;
    readonly conditions?: ReadonlyArray<{
      readonly type?: string;
      readonly status?: string;
      readonly reason?: string;
      readonly message?: string;
    }>;
  };
}

/** {@link JobHealthSource} over the Kubernetes API. */
export class KubernetesJobHealth implements JobHealthSource {
  readonly #client: KubernetesClient;

  constructor(client: KubernetesClient) {
    this.#client = client;
  }

  async health(key: JobKey): Promise<JobHealth> {
    if (key.kind !== 'FlinkDeployment' && key.kind !== 'FlinkSessionJob') {
      throw new Error(`job health: unsupported kind '${key.kind}' (FlinkDeployment or FlinkSessionJob)`);
    }
    const resource = await this.#client.get<FlinkResource>(flinkResourcePath(key.kind, key.namespace, key.name));
    const clusterId = key.kind === 'FlinkSessionJob' ? resource.spec.deploymentName : key.name;
    const jobState = resource.status?.jobStatus?.state;
    const pods = clusterId
      ? await this.#client.list<PodView>(`/api/v1/namespaces/${assertNamespace(key.namespace)}/pods`, {
          labelSelector: `app=${clusterId},component=taskmanager`,
        })
      : [];
    return {
      ...(jobState !== undefined ? { jobState } : {}),
      unschedulableTaskManagers: pods.flatMap(unschedulable),
    };
  }
}

/** The pod as an unschedulable TaskManager, or nothing when it is placed (or pending for another reason). */
function unschedulable(pod: PodView): UnschedulableTaskManagerPod[] {
  if (pod.status?.phase !== 'Pending') return [];
  const condition = pod.status.conditions?.find((c) => c.type === 'PodScheduled');
  if (condition?.status !== 'False' || condition.reason !== 'Unschedulable') return [];
  return [{ name: pod.metadata.name, message: condition.message ?? 'Unschedulable' }];
}
