import {
  DescribeNodegroupCommand,
  type DescribeNodegroupCommandOutput,
  ListNodegroupsCommand,
  type ListNodegroupsCommandOutput,
} from '@aws-sdk/client-eks';
import type { ClusterCapacitySnapshot } from '../../domain/resources.ts';
import type { CapacityFreshness, ClusterCapacitySource } from '../../ports/cluster-capacity-source.ts';
import {
  expandableGroups,
  freeNodeCapacity,
  type NodeGroupLimits,
  type NodeView,
  type PodView,
} from './capacity-math.ts';
import { estimatedAllocatable } from './instance-types.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import { KubernetesApiError } from './kubernetes-errors.ts';
import { parseCpuCores, parseMemoryQuantityBytes } from './quantity.ts';

/** The two EKS calls used; an `EKSClient` satisfies it, tests fake the EKS endpoint. */
export interface NodegroupClient {
  send(
    command: ListNodegroupsCommand | DescribeNodegroupCommand,
  ): Promise<ListNodegroupsCommandOutput | DescribeNodegroupCommandOutput>;
}

/** Where the capacity check finds the cluster's room to grow (node groups, Karpenter). */
export interface KubernetesClusterCapacityOptions {
  /** EKS cluster name for node-group lookups; with `eks` absent, node groups are not read. */
  readonly clusterName?: string;
  readonly eks?: NodegroupClient;
  /** Read Karpenter NodePools (`karpenter.sh/v1`); a 404 (not installed) is ignored. Default true. */
  readonly karpenter?: boolean;
  /** Taint keys TaskManager pods tolerate (nodes with other NoSchedule taints are skipped). */
  readonly toleratedTaintKeys?: readonly string[];
}

interface NodePoolView {
  readonly metadata: { readonly name: string };
  readonly spec?: { readonly limits?: Readonly<Record<string, string>> };
  readonly status?: { readonly resources?: Readonly<Record<string, string>> };
}

/**
 * {@link ClusterCapacitySource} from the Kubernetes API (nodes' allocatable minus pod requests),
 * EKS managed node groups (`maxSize`, instance types) and Karpenter NodePool limits
 * (docs/kubernetes-and-eks.md §10).
 */
export class KubernetesClusterCapacity implements ClusterCapacitySource {
  readonly #client: KubernetesClient;
  readonly #options: KubernetesClusterCapacityOptions;
  /** The last snapshot asked for with a freshness, and when: reused by the cycles that follow. */
  #cached: { readonly atMs: number; readonly snapshot: Promise<ClusterCapacitySnapshot> } | undefined;

  constructor(client: KubernetesClient, options: KubernetesClusterCapacityOptions = {}) {
    this.#client = client;
    this.#options = options;
  }

  /**
   * Lists every node and pod of the cluster (and the node groups), so jobs evaluated one after the
   * other in a container share one read per refresh interval; concurrent cycles share the read in
   * flight. A failed read is not kept.
   */
  snapshot(freshness?: CapacityFreshness): Promise<ClusterCapacitySnapshot> {
    const cached = this.#cached;
    if (freshness && cached && freshness.nowMs - cached.atMs < freshness.maxAgeMs) return cached.snapshot;
    const snapshot = this.#read();
    if (freshness) {
      this.#cached = { atMs: freshness.nowMs, snapshot };
      snapshot.catch(() => {
        if (this.#cached?.snapshot === snapshot) this.#cached = undefined;
      });
    }
    return snapshot;
  }

  async #read(): Promise<ClusterCapacitySnapshot> {
    const [nodes, pods, eksGroups, pools] = await Promise.all([
      this.#client.list<NodeView>('/api/v1/nodes'),
      // only pods holding node resources matter; the field selector keeps the list small
      this.#client.list<PodView>('/api/v1/pods', {
        fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
      }),
      this.#eksNodeGroups(),
      this.#karpenterPools(),
    ]);
    const tolerated = new Set(this.#options.toleratedTaintKeys ?? []);
    return {
      nodes: freeNodeCapacity(nodes, pods, tolerated),
      expandableGroups: expandableGroups([...eksGroups, ...pools], nodes),
    };
  }

  async #eksNodeGroups(): Promise<NodeGroupLimits[]> {
    const { eks, clusterName } = this.#options;
    if (!eks || !clusterName) return [];
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = (await eks.send(
        new ListNodegroupsCommand({ clusterName, ...(nextToken ? { nextToken } : {}) }),
      )) as ListNodegroupsCommandOutput;
      names.push(...(page.nodegroups ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const described = await Promise.all(
      names.map(
        async (nodegroupName) =>
          (
            (await eks.send(
              new DescribeNodegroupCommand({ clusterName, nodegroupName }),
            )) as DescribeNodegroupCommandOutput
          ).nodegroup,
      ),
    );
    return described
      .filter((g) => g?.nodegroupName && g.status !== 'DELETING' && g.scalingConfig?.maxSize !== undefined)
      .map((g) => {
        const estimate = g?.instanceTypes?.map(estimatedAllocatable).find((e) => e !== undefined);
        return {
          name: `eks/${g?.nodegroupName}`,
          nodeLabel: { key: 'eks.amazonaws.com/nodegroup', value: g?.nodegroupName ?? '' },
          maxSize: g?.scalingConfig?.maxSize ?? 0,
          ...(estimate ? { perNodeEstimate: { cpu: estimate.vcpu, memoryBytes: estimate.memoryBytes } } : {}),
        };
      });
  }

  async #karpenterPools(): Promise<NodeGroupLimits[]> {
    if (this.#options.karpenter === false) return [];
    let pools: NodePoolView[];
    try {
      pools = await this.#client.list<NodePoolView>('/apis/karpenter.sh/v1/nodepools');
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 404) return []; // Karpenter not installed
      throw error;
    }
    return pools.map((pool) => {
      const limits = pool.spec?.limits;
      const used = pool.status?.resources ?? {};
      const headroom = limits
        ? {
            ...(limits['cpu'] !== undefined
              ? { cpu: parseCpuCores(limits['cpu']) - parseCpuCores(used['cpu'] ?? '0') }
              : {}),
            ...(limits['memory'] !== undefined
              ? {
                  memoryBytes:
                    parseMemoryQuantityBytes(limits['memory']) -
                    parseMemoryQuantityBytes(used['memory'] ?? '0'),
                }
              : {}),
          }
        : undefined;
      return {
        name: `karpenter/${pool.metadata.name}`,
        nodeLabel: { key: 'karpenter.sh/nodepool', value: pool.metadata.name },
        ...(headroom ? { headroom } : {}),
      };
    });
  }
}
