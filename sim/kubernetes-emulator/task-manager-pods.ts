import type { StoredObject } from './flink-operator-model.ts';
import { parallelismOverridesOf } from './parallelism-overrides.ts';

/**
 * TaskManager pods of a FlinkDeployment and a node budget (failure mode for rollback tests): the
 * emulator keeps as many TaskManager pods as the spec needs, and those above the budget are
 * Pending and unschedulable, as kube-scheduler leaves a pod no node has room for — phase
 * `Pending`, condition `PodScheduled=False` with reason `Unschedulable` and a message such as
 * `0/3 nodes are available: 3 Insufficient cpu.` (Kubernetes documentation, "Pod Lifecycle" → Pod
 * conditions). The operator model holds a rollout until every pod is placed: the job cannot start
 * without its slots (Flink's scheduler waits for them, `slot.request.timeout`).
 *
 * Pod names and labels follow Flink's native Kubernetes integration (Flink 1.x):
 * `KubernetesResourceManagerDriver.TASK_MANAGER_POD_FORMAT` `<cluster-id>-taskmanager-<attempt>-<index>`
 * and `Constants` labels `app=<cluster-id>` (`LABEL_APP_KEY`), `component=taskmanager`
 * (`LABEL_COMPONENT_TASK_MANAGER`), `type=flink-native-kubernetes` (`LABEL_TYPE_NATIVE_TYPE`); the
 * operator uses the FlinkDeployment's name as the cluster id. Simplified: Flink's `<attempt>` is
 * the ResourceManager's attempt and `<index>` keeps counting within it; here every rollout starts
 * a new attempt at index 1.
 */

/** TaskManagers the spec needs: slots for the highest parallelism (one slot sharing group, Flink's default). */
export function taskManagerCountOf(object: StoredObject): number {
  const config = (object.spec?.['flinkConfiguration'] ?? {}) as Record<string, unknown>;
  const slots = Math.max(1, Number(config['taskmanager.numberOfTaskSlots'] ?? 1) || 1);
  const job = (object.spec?.['job'] ?? {}) as Record<string, unknown>;
  const parallelisms = [Number(job['parallelism'] ?? 1) || 1, ...Object.values(parallelismOverridesOf(object) ?? {})];
  return Math.ceil(Math.max(...parallelisms) / slots);
}

/** The TaskManager pods of `object` for a spec needing `count` of them, with `budget` placeable. */
export function taskManagerPods(
  object: StoredObject,
  count: number,
  budget: number,
  attempt: number,
  isoNow: string,
): StoredObject[] {
  const name = object.metadata.name;
  return Array.from({ length: count }, (_, i) => {
    const placed = i < budget;
    const podName = `${name}-taskmanager-${attempt}-${i + 1}`;
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace: object.metadata.namespace ?? 'default',
        uid: `${object.metadata.uid}-tm-${attempt}-${i + 1}`,
        resourceVersion: '',
        creationTimestamp: isoNow,
        labels: { app: name, component: 'taskmanager', type: 'flink-native-kubernetes' },
      },
      spec: { containers: [{ name: 'flink-main-container' }] },
      status: placed
        ? {
            phase: 'Running',
            conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: isoNow }],
          }
        : {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: 'Unschedulable',
                message: `0/${budget} nodes are available: ${budget} Insufficient cpu. preemption: 0/${budget} nodes are available: ${budget} No preemption victims found for incoming pod.`,
                lastTransitionTime: isoNow,
              },
            ],
          },
    };
  });
}

/** Whether any of the pods is unschedulable. */
export function anyUnschedulable(pods: readonly StoredObject[]): boolean {
  return pods.some((pod) => (pod.status as { phase?: string } | undefined)?.phase === 'Pending');
}
