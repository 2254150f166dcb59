import type { ExpandableNodeGroup, NodeCapacity } from '../../domain/resources.ts';
import { InvalidKubernetesInputError } from './kubernetes-errors.ts';
import { parseCpuCores, parseMemoryQuantityBytes } from './quantity.ts';

/** The Node fields capacity math reads. */
export interface NodeView {
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: {
    readonly unschedulable?: boolean;
    readonly taints?: ReadonlyArray<{ key: string; effect: string }>;
  };
  readonly status?: { readonly allocatable?: Readonly<Record<string, string>> };
}

type ResourceMap = Readonly<Record<string, string>>;
interface ContainerView {
  readonly resources?: { readonly requests?: ResourceMap };
}

/** The Pod fields capacity math reads. */
export interface PodView {
  readonly metadata: { readonly name: string };
  readonly spec?: {
    readonly nodeName?: string;
    readonly containers?: readonly ContainerView[];
    readonly initContainers?: readonly ContainerView[];
    readonly overhead?: ResourceMap;
  };
  readonly status?: { readonly phase?: string };
}

/** A node group that may grow, as read from EKS or Karpenter. */
export interface NodeGroupLimits {
  readonly name: string;
  /** Label selecting the group's current nodes (`eks.amazonaws.com/nodegroup=<name>`). */
  readonly nodeLabel: { readonly key: string; readonly value: string };
  /** EKS managed node group: the ASG's maxSize. */
  readonly maxSize?: number;
  /** Karpenter NodePool: remaining headroom (`spec.limits − status.resources`); absent = unlimited. */
  readonly headroom?: { readonly cpu?: number; readonly memoryBytes?: number };
  /** Per-node allocatable estimated from the instance type, when no node of the group runs. */
  readonly perNodeEstimate?: { readonly cpu: number; readonly memoryBytes: number };
}

function requestsOf(container: ContainerView, field: string): { cpu: number; memoryBytes: number } {
  const requests = container.resources?.requests ?? {};
  return {
    cpu: requests['cpu'] !== undefined ? parseCpuCores(requests['cpu'], `${field}.cpu`) : 0,
    memoryBytes:
      requests['memory'] !== undefined ? parseMemoryQuantityBytes(requests['memory'], `${field}.memory`) : 0,
  };
}

/**
 * Effective requests of a pod, as the scheduler counts them: max(sum of containers, largest
 * init container) plus pod overhead.
 */
export function podRequests(pod: PodView): { cpu: number; memoryBytes: number } {
  const field = `pod ${pod.metadata.name} requests`;
  const sum = (pod.spec?.containers ?? [])
    .map((c) => requestsOf(c, field))
    .reduce((a, b) => ({ cpu: a.cpu + b.cpu, memoryBytes: a.memoryBytes + b.memoryBytes }), {
      cpu: 0,
      memoryBytes: 0,
    });
  const init = (pod.spec?.initContainers ?? [])
    .map((c) => requestsOf(c, field))
    .reduce(
      (a, b) => ({ cpu: Math.max(a.cpu, b.cpu), memoryBytes: Math.max(a.memoryBytes, b.memoryBytes) }),
      { cpu: 0, memoryBytes: 0 },
    );
  const overhead = requestsOf({ resources: { requests: pod.spec?.overhead ?? {} } }, field);
  return {
    cpu: Math.max(sum.cpu, init.cpu) + overhead.cpu,
    memoryBytes: Math.max(sum.memoryBytes, init.memoryBytes) + overhead.memoryBytes,
  };
}

/** Nodes new TaskManager pods can land on: schedulable, without NoSchedule/NoExecute taints. */
export function isSchedulable(node: NodeView, toleratedTaintKeys: ReadonlySet<string> = new Set()): boolean {
  if (node.spec?.unschedulable) return false;
  return !(node.spec?.taints ?? []).some(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !toleratedTaintKeys.has(t.key),
  );
}

/** Free capacity per schedulable node: allocatable minus the requests of its non-terminated pods. */
export function freeNodeCapacity(
  nodes: readonly NodeView[],
  pods: readonly PodView[],
  toleratedTaintKeys?: ReadonlySet<string>,
): NodeCapacity[] {
  const used = new Map<string, { cpu: number; memoryBytes: number }>();
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    const phase = pod.status?.phase;
    if (!nodeName || phase === 'Succeeded' || phase === 'Failed') continue;
    const r = podRequests(pod);
    const u = used.get(nodeName) ?? { cpu: 0, memoryBytes: 0 };
    used.set(nodeName, { cpu: u.cpu + r.cpu, memoryBytes: u.memoryBytes + r.memoryBytes });
  }
  return nodes
    .filter((n) => isSchedulable(n, toleratedTaintKeys))
    .map((node) => {
      const allocatable = node.status?.allocatable ?? {};
      if (allocatable['cpu'] === undefined || allocatable['memory'] === undefined) {
        throw new InvalidKubernetesInputError(
          `node ${node.metadata.name}`,
          'has no status.allocatable cpu/memory',
        );
      }
      const u = used.get(node.metadata.name) ?? { cpu: 0, memoryBytes: 0 };
      return {
        name: node.metadata.name,
        freeCpu: Math.max(0, parseCpuCores(allocatable['cpu']) - u.cpu),
        freeMemoryBytes: Math.max(0, parseMemoryQuantityBytes(allocatable['memory']) - u.memoryBytes),
      };
    });
}

/**
 * How many more nodes each group can add and their per-node allocatable (docs/design.md §4): EKS groups
 * `maxSize − current nodes`; Karpenter pools as many nodes of the largest running shape as the
 * remaining limits allow (`unlimitedNodes` when a pool has no limits). Groups whose node shape is
 * unknown are left out — unknown headroom is not counted as capacity.
 */
export function expandableGroups(
  groups: readonly NodeGroupLimits[],
  nodes: readonly NodeView[],
  unlimitedNodes = 100,
): ExpandableNodeGroup[] {
  const result: ExpandableNodeGroup[] = [];
  for (const group of groups) {
    const members = nodes.filter((n) => n.metadata.labels?.[group.nodeLabel.key] === group.nodeLabel.value);
    const shapes = members
      .map((n) => n.status?.allocatable)
      .filter(
        (a): a is Readonly<Record<string, string>> => a?.['cpu'] !== undefined && a['memory'] !== undefined,
      )
      .map((a) => ({
        cpu: parseCpuCores(a['cpu'] ?? '0'),
        memoryBytes: parseMemoryQuantityBytes(a['memory'] ?? '0'),
      }));
    const shape = shapes.sort((a, b) => b.memoryBytes - a.memoryBytes)[0] ?? group.perNodeEstimate;
    if (!shape || shape.cpu <= 0 || shape.memoryBytes <= 0) continue;
    let additional: number;
    if (group.maxSize !== undefined) {
      additional = Math.max(0, group.maxSize - members.length);
    } else if (group.headroom) {
      const byCpu =
        group.headroom.cpu !== undefined ? Math.floor(group.headroom.cpu / shape.cpu) : unlimitedNodes;
      const byMemory =
        group.headroom.memoryBytes !== undefined
          ? Math.floor(group.headroom.memoryBytes / shape.memoryBytes)
          : unlimitedNodes;
      additional = Math.max(0, Math.min(byCpu, byMemory, unlimitedNodes));
    } else {
      additional = unlimitedNodes;
    }
    if (additional > 0)
      result.push({
        name: group.name,
        additionalNodes: additional,
        cpuPerNode: shape.cpu,
        memoryBytesPerNode: shape.memoryBytes,
      });
  }
  return result;
}
