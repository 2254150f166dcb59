import { describe, expect, it } from 'vitest';
import {
  expandableGroups,
  freeNodeCapacity,
  type NodeView,
  type PodView,
  podRequests,
} from '../../../../lib/adapters/kubernetes/capacity-math.ts';
import {
  estimatedAllocatable,
  instanceCapacity,
} from '../../../../lib/adapters/kubernetes/instance-types.ts';

const GiB = 1024 ** 3;
const node = (
  name: string,
  cpu: string,
  memory: string,
  extra: Partial<NodeView> = {},
  labels: Record<string, string> = {},
): NodeView => ({
  metadata: { name, labels },
  status: { allocatable: { cpu, memory } },
  ...extra,
});
const pod = (
  name: string,
  nodeName: string,
  requests: Array<Record<string, string>>,
  phase = 'Running',
  init: Array<Record<string, string>> = [],
): PodView => ({
  metadata: { name },
  spec: {
    nodeName,
    containers: requests.map((r) => ({ resources: { requests: r } })),
    initContainers: init.map((r) => ({ resources: { requests: r } })),
  },
  status: { phase },
});

describe('podRequests', () => {
  it('sums containers, takes the larger init container, adds overhead', () => {
    // containers 500m+250m = 750m, init 1 core → max = 1; memory 1Gi+1Gi = 2Gi vs init 512Mi → 2Gi; + overhead 100m/128Mi
    const p = {
      ...pod(
        'p',
        'n',
        [
          { cpu: '500m', memory: '1Gi' },
          { cpu: '250m', memory: '1Gi' },
        ],
        'Running',
        [{ cpu: '1', memory: '512Mi' }],
      ),
    };
    const withOverhead: PodView = { ...p, spec: { ...p.spec, overhead: { cpu: '100m', memory: '128Mi' } } };
    expect(podRequests(withOverhead)).toEqual({ cpu: 1.1, memoryBytes: 2 * GiB + 128 * 1024 ** 2 });
  });
});

describe('freeNodeCapacity', () => {
  it('subtracts requests of running pods and skips unschedulable / tainted nodes', () => {
    const nodes = [
      node('a', '3920m', '15Gi'),
      node('cordoned', '4', '16Gi', { spec: { unschedulable: true } }),
      node('gpu', '4', '16Gi', { spec: { taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] } }),
    ];
    const pods = [
      pod('tm-1', 'a', [{ cpu: '2', memory: '4Gi' }]),
      pod('done', 'a', [{ cpu: '1', memory: '1Gi' }], 'Succeeded'),
      pod('pending', '', [{ cpu: '1' }], 'Pending'),
    ];
    // a: 3.92 − 2 = 1.92 cores, 15 − 4 = 11 GiB
    const free = freeNodeCapacity(nodes, pods);
    expect(free).toHaveLength(1);
    expect(free[0]?.name).toBe('a');
    expect(free[0]?.freeCpu).toBeCloseTo(1.92, 10);
    expect(free[0]?.freeMemoryBytes).toBe(11 * GiB);
    expect(freeNodeCapacity(nodes, pods, new Set(['nvidia.com/gpu'])).map((n) => n.name)).toEqual([
      'a',
      'gpu',
    ]);
  });
});

describe('expandableGroups', () => {
  const ng = { key: 'eks.amazonaws.com/nodegroup', value: 'ng' };
  it('counts maxSize − current nodes with the shape of a running node', () => {
    const nodes = [
      node('n1', '7910m', '29Gi', {}, { 'eks.amazonaws.com/nodegroup': 'ng' }),
      node('n2', '7910m', '29Gi', {}, { 'eks.amazonaws.com/nodegroup': 'ng' }),
    ];
    expect(expandableGroups([{ name: 'eks/ng', nodeLabel: ng, maxSize: 5 }], nodes)).toEqual([
      { name: 'eks/ng', additionalNodes: 3, cpuPerNode: 7.91, memoryBytesPerNode: 29 * GiB },
    ]);
  });
  it('uses the instance-type estimate when no node runs, and skips a full group', () => {
    const estimate = { cpu: 4, memoryBytes: 15 * GiB };
    expect(
      expandableGroups([{ name: 'eks/ng', nodeLabel: ng, maxSize: 2, perNodeEstimate: estimate }], []),
    ).toEqual([{ name: 'eks/ng', additionalNodes: 2, cpuPerNode: 4, memoryBytesPerNode: 15 * GiB }]);
    expect(
      expandableGroups([{ name: 'eks/ng', nodeLabel: ng, maxSize: 0, perNodeEstimate: estimate }], []),
    ).toEqual([]);
    expect(expandableGroups([{ name: 'eks/unknown', nodeLabel: ng, maxSize: 3 }], [])).toEqual([]);
  });
  it('turns Karpenter headroom into whole nodes of the largest running shape', () => {
    const kp = { key: 'karpenter.sh/nodepool', value: 'default' };
    const nodes = [node('k1', '4', '16Gi', {}, { 'karpenter.sh/nodepool': 'default' })];
    // headroom 10 cores / 4 = 2 nodes; 100 GiB / 16 = 6 → min 2
    expect(
      expandableGroups(
        [{ name: 'karpenter/default', nodeLabel: kp, headroom: { cpu: 10, memoryBytes: 100 * GiB } }],
        nodes,
      )[0]?.additionalNodes,
    ).toBe(2);
    expect(
      expandableGroups([{ name: 'karpenter/default', nodeLabel: kp }], nodes, 50)[0]?.additionalNodes,
    ).toBe(50);
  });
});

describe('instance types', () => {
  it.each([
    ['m6i.2xlarge', 8, 32],
    ['c7g.xlarge', 4, 8],
    ['r5.large', 2, 16],
  ])('%s has %d vCPU and %d GiB', (type, vcpu, gib) =>
    expect(instanceCapacity(type)).toEqual({ vcpu, memoryBytes: gib * GiB }),
  );
  it('estimates allocatable below capacity and knows nothing of exotic types', () => {
    // m5.xlarge: 16 GiB − (255 + 11 × 58 + 100) MiB = 16384 − 993 = 15391 MiB
    expect(estimatedAllocatable('m5.xlarge')?.memoryBytes).toBe(15391 * 1024 ** 2);
    expect(estimatedAllocatable('m5.xlarge')?.vcpu).toBeCloseTo(4 - 0.08, 10);
    expect(instanceCapacity('p5.48xlarge')).toBeUndefined();
  });
});
