import {
  type DescribeNodegroupCommand,
  type DescribeNodegroupCommandOutput,
  EKSClient,
  ListNodegroupsCommand,
  type ListNodegroupsCommandOutput,
} from '@aws-sdk/client-eks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  KubernetesClusterCapacity,
  type NodegroupClient,
} from '../../../lib/adapters/kubernetes/cluster-capacity.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';

const GiB = 1024 ** 3;
let emulator: KubernetesEmulator;
let client: KubernetesClient;

/** Fake of the EKS endpoint (outside our control): two pages of node groups. */
function fakeEks(): NodegroupClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async send(command) {
      if (command instanceof ListNodegroupsCommand) {
        calls.push(`list:${command.input.nextToken ?? ''}`);
        return (
          command.input.nextToken
            ? { $metadata: {}, nodegroups: ['fresh'] }
            : { $metadata: {}, nodegroups: ['workers'], nextToken: 'p2' }
        ) as ListNodegroupsCommandOutput;
      }
      const name = (command as DescribeNodegroupCommand).input.nodegroupName;
      calls.push(`describe:${name}`);
      return {
        $metadata: {},
        nodegroup: {
          nodegroupName: name,
          status: 'ACTIVE',
          scalingConfig: { minSize: 0, maxSize: name === 'workers' ? 4 : 2, desiredSize: 1 },
          instanceTypes: ['m5.xlarge'],
        },
      } as DescribeNodegroupCommandOutput;
    },
  };
}

beforeEach(async () => {
  emulator = await startKubernetesEmulator({ token: 't' });
  client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('t') });
  emulator.apply({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'w1', labels: { 'eks.amazonaws.com/nodegroup': 'workers' } },
    status: { allocatable: { cpu: '3920m', memory: '15Gi', pods: '58' } },
  });
  emulator.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'tm-1', namespace: 'flink-jobs' },
    spec: {
      nodeName: 'w1',
      containers: [{ name: 'tm', resources: { requests: { cpu: '2', memory: '4Gi' } } }],
    },
    status: { phase: 'Running' },
  });
  emulator.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'old', namespace: 'flink-jobs' },
    spec: { nodeName: 'w1', containers: [{ name: 'x', resources: { requests: { cpu: '1' } } }] },
    status: { phase: 'Succeeded' },
  });
});
afterEach(() => emulator.close());

describe('KubernetesClusterCapacity', () => {
  it('combines node free capacity, EKS node groups (paginated) and Karpenter limits', async () => {
    emulator.apply({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'default' },
      spec: { limits: { cpu: '16', memory: '64Gi' } },
      status: { resources: { cpu: '4', memory: '15Gi' } },
    });
    emulator.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'k1', labels: { 'karpenter.sh/nodepool': 'default' } },
      status: { allocatable: { cpu: '4', memory: '15Gi' } },
    });
    const eks = fakeEks();
    const snapshot = await new KubernetesClusterCapacity(client, { clusterName: 'prod', eks }).snapshot();
    expect(snapshot.nodes).toEqual([
      { name: 'k1', freeCpu: 4, freeMemoryBytes: 15 * GiB },
      { name: 'w1', freeCpu: 1.92, freeMemoryBytes: 11 * GiB },
    ]);
    expect(eks.calls).toEqual(['list:', 'list:p2', 'describe:workers', 'describe:fresh']);
    expect(snapshot.expandableGroups).toEqual([
      // workers: maxSize 4 − 1 running node, shape of w1
      { name: 'eks/workers', additionalNodes: 3, cpuPerNode: 3.92, memoryBytesPerNode: 15 * GiB },
      // fresh: no node yet → m5.xlarge estimate (15391 MiB, 3.92 vCPU)
      {
        name: 'eks/fresh',
        additionalNodes: 2,
        cpuPerNode: expect.closeTo(3.92, 10),
        memoryBytesPerNode: 15391 * 1024 ** 2,
      },
      // karpenter: headroom 12 cores / 4 = 3, 49 GiB / 15 = 3 → 3 nodes
      { name: 'karpenter/default', additionalNodes: 3, cpuPerNode: 4, memoryBytesPerNode: 15 * GiB },
    ]);
  });

  it('works without EKS access and without Karpenter', async () => {
    const snapshot = await new KubernetesClusterCapacity(client, { karpenter: false }).snapshot();
    expect(snapshot).toEqual({
      nodes: [{ name: 'w1', freeCpu: 1.92, freeMemoryBytes: 11 * GiB }],
      expandableGroups: [],
    });
  });

  it('reuses a snapshot within the refresh interval, shares one in flight, and reads again after it', async () => {
    const capacity = new KubernetesClusterCapacity(client, { karpenter: false });
    const nodeLists = () => emulator.requests.filter((r) => r.path.startsWith('/api/v1/nodes')).length;
    const T = 1_700_000_000_000;
    const fresh = { nowMs: T, maxAgeMs: 60_000 };
    const [a, b] = await Promise.all([capacity.snapshot(fresh), capacity.snapshot(fresh)]);
    expect(b).toBe(a);
    expect(nodeLists()).toBe(1);
    expect(await capacity.snapshot({ nowMs: T + 59_999, maxAgeMs: 60_000 })).toBe(a);
    expect(nodeLists()).toBe(1);
    // a new pod is seen once the interval has passed
    emulator.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tm-2', namespace: 'flink-jobs' },
      spec: { nodeName: 'w1', containers: [{ name: 'tm', resources: { requests: { cpu: '1' } } }] },
      status: { phase: 'Running' },
    });
    const later = await capacity.snapshot({ nowMs: T + 60_000, maxAgeMs: 60_000 });
    expect(nodeLists()).toBe(2);
    expect(later.nodes).toEqual([{ name: 'w1', freeCpu: expect.closeTo(0.92, 10), freeMemoryBytes: 11 * GiB }]);
    // without a freshness every call reads
    await capacity.snapshot();
    expect(nodeLists()).toBe(3);
  });

  it('accepts a real EKSClient as its node-group client (type check)', () => {
    const real: NodegroupClient = new EKSClient({ region: 'eu-west-1' });
    expect(typeof real.send).toBe('function');
  });
});
