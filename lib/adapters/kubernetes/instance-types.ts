/**
 * Per-node capacity of common EC2 instance types, for estimating what a node group can still
 * add (docs/kubernetes-and-eks.md §10.1) when no node of the group runs yet. Built from the families'
 * published shapes (vCPU by size, GiB of memory per vCPU); a small table on purpose — unknown
 * types make the group's headroom unknown rather than guessed.
 */

const SIZES: Readonly<Record<string, number>> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '12xlarge': 48,
  '16xlarge': 64,
  '24xlarge': 96,
};

/** GiB of memory per vCPU by family (general purpose 4, compute 2, memory 8). */
const FAMILIES: Readonly<Record<string, number>> = {
  m5: 4,
  m5a: 4,
  m6i: 4,
  m6a: 4,
  m6g: 4,
  m7i: 4,
  m7a: 4,
  m7g: 4,
  m8g: 4,
  c5: 2,
  c5a: 2,
  c6i: 2,
  c6a: 2,
  c6g: 2,
  c7i: 2,
  c7a: 2,
  c7g: 2,
  c8g: 2,
  r5: 8,
  r5a: 8,
  r6i: 8,
  r6a: 8,
  r6g: 8,
  r7i: 8,
  r7a: 8,
  r7g: 8,
  r8g: 8,
  t3: 4,
  t3a: 4,
  t4g: 4,
};

/** Allocatable CPU and memory of one EC2 instance type. */
export interface InstanceCapacity {
  readonly vcpu: number;
  readonly memoryBytes: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** Raw capacity of an instance type (`m6i.2xlarge` → 8 vCPU, 32 GiB); undefined if unknown. */
export function instanceCapacity(instanceType: string): InstanceCapacity | undefined {
  const [family, size] = instanceType.split('.');
  const perCpu = family ? FAMILIES[family] : undefined;
  const vcpu = size ? SIZES[size] : undefined;
  if (perCpu === undefined || vcpu === undefined) return undefined;
  // t3/t4g medium has 4 GiB but 2 vCPU; the table keeps the family rule for large and up only
  if (size === 'medium') return { vcpu: 2, memoryBytes: 4 * GiB };
  return { vcpu, memoryBytes: vcpu * perCpu * GiB };
}

/**
 * Estimated allocatable (what pods can request) of a new node of that type: capacity minus the
 * EKS AMI's kube-reserved (memory 255 MiB + 11 MiB per max pod; cpu 6 % of the first core,
 * 1 % of the second, 0.5 % of cores 3–4, 0.25 % above) and the 100 MiB eviction threshold.
 * Max pods is approximated by size (29 up to large, 58 to 2xlarge, 234 above).
 */
export function estimatedAllocatable(instanceType: string): InstanceCapacity | undefined {
  const raw = instanceCapacity(instanceType);
  if (!raw) return undefined;
  const maxPods = raw.vcpu <= 2 ? 29 : raw.vcpu <= 8 ? 58 : 234;
  const memoryReserve = 255 * MiB + 11 * MiB * maxPods + 100 * MiB;
  const cpuReserve =
    0.06 +
    (raw.vcpu > 1 ? 0.01 : 0) +
    Math.max(0, Math.min(raw.vcpu, 4) - 2) * 0.005 +
    Math.max(0, raw.vcpu - 4) * 0.0025;
  return { vcpu: raw.vcpu - cpuReserve, memoryBytes: raw.memoryBytes - memoryReserve };
}
