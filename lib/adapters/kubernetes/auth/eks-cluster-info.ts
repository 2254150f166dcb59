import { DescribeClusterCommand, type DescribeClusterCommandOutput } from '@aws-sdk/client-eks';
import { InvalidKubernetesInputError } from '../kubernetes-errors.ts';

/** What the Kubernetes client needs from `eks:DescribeCluster` (docs/kubernetes-and-eks.md §3). */
export interface EksClusterInfo {
  readonly name: string;
  /** API server base URL, `https://<id>.<suffix>.<region>.eks.amazonaws.com`. */
  readonly endpoint: string;
  /** PEM CA bundle (decoded from `certificateAuthority.data`); TLS is verified against it. */
  readonly caPem: string;
  readonly status: string;
  readonly kubernetesVersion?: string;
  readonly authenticationMode?: string;
  /**
   * Who can reach the API endpoint (`resourcesVpcConfig`); absent when DescribeCluster did not say.
   * See {@link assertEndpointReachable} in endpoint-access.ts.
   */
  readonly endpointAccess?: EksEndpointAccess;
}

/** The API endpoint's access settings from `DescribeCluster.cluster.resourcesVpcConfig`. */
export interface EksEndpointAccess {
  /** `endpointPublicAccess`: the endpoint answers on the internet. */
  readonly publicAccess: boolean;
  /** `endpointPrivateAccess`: the endpoint answers inside the cluster's VPC. */
  readonly privateAccess: boolean;
  /** `publicAccessCidrs`: source ranges allowed on the public endpoint (EKS default `0.0.0.0/0`). */
  readonly publicAccessCidrs: readonly string[];
}

/** The one SDK call this module makes; an `EKSClient` satisfies it, tests pass a fake. */
export interface DescribeClusterClient {
  send(command: DescribeClusterCommand): Promise<DescribeClusterCommandOutput>;
}

/** Cluster not usable (not ACTIVE, no endpoint or CA). */
export class EksClusterUnavailableError extends Error {
  override readonly name = 'EksClusterUnavailableError';
}

/** Default cache lifetime: a cold start's worth; endpoints and CAs change only on cluster rebuilds. */
export const EKS_CLUSTER_INFO_TTL_MS = 5 * 60_000;

/**
 * Reads endpoint and CA of an EKS cluster, cached for `ttlMs` (docs/kubernetes-and-eks.md §1 step 1).
 * A failed lookup is not cached, so the next call retries.
 */
export class EksClusterInfoSource {
  readonly #client: DescribeClusterClient;
  readonly #ttlMs: number;
  readonly #nowMs: () => number;
  readonly #cache = new Map<string, { info: Promise<EksClusterInfo>; atMs: number }>();

  constructor(client: DescribeClusterClient, options: { ttlMs?: number; nowMs?: () => number } = {}) {
    this.#client = client;
    this.#ttlMs = options.ttlMs ?? EKS_CLUSTER_INFO_TTL_MS;
    this.#nowMs = options.nowMs ?? Date.now;
  }

  async get(clusterName: string): Promise<EksClusterInfo> {
    const now = this.#nowMs();
    const hit = this.#cache.get(clusterName);
    if (hit && now - hit.atMs < this.#ttlMs) return hit.info;
    const info = this.#describe(clusterName);
    this.#cache.set(clusterName, { info, atMs: now });
    info.catch(() => this.#cache.delete(clusterName));
    return info;
  }

  async #describe(clusterName: string): Promise<EksClusterInfo> {
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(clusterName)) {
      throw new InvalidKubernetesInputError(
        'clusterName',
        `'${clusterName}' is not a valid EKS cluster name`,
      );
    }
    const output = await this.#client.send(new DescribeClusterCommand({ name: clusterName }));
    return toClusterInfo(clusterName, output);
  }
}

/** Pure mapping of a DescribeCluster answer; refuses clusters that are not ACTIVE. */
export function toClusterInfo(clusterName: string, output: DescribeClusterCommandOutput): EksClusterInfo {
  const cluster = output.cluster;
  if (!cluster)
    throw new EksClusterUnavailableError(`EKS cluster '${clusterName}': DescribeCluster returned no cluster`);
  if (cluster.status !== 'ACTIVE') {
    throw new EksClusterUnavailableError(
      `EKS cluster '${clusterName}' is ${cluster.status ?? 'in an unknown state'}, not ACTIVE`,
    );
  }
  if (!cluster.endpoint?.startsWith('https://')) {
    throw new EksClusterUnavailableError(`EKS cluster '${clusterName}' has no https endpoint`);
  }
  const caData = cluster.certificateAuthority?.data;
  if (!caData)
    throw new EksClusterUnavailableError(`EKS cluster '${clusterName}' has no certificate authority data`);
  const caPem = Buffer.from(caData, 'base64').toString('utf8');
  if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new EksClusterUnavailableError(
      `EKS cluster '${clusterName}': certificateAuthority.data is not a base64 PEM bundle`,
    );
  }
  const vpcConfig = cluster.resourcesVpcConfig;
  return {
    name: clusterName,
    endpoint: cluster.endpoint,
    caPem,
    status: cluster.status,
    ...(cluster.version ? { kubernetesVersion: cluster.version } : {}),
    ...(cluster.accessConfig?.authenticationMode
      ? { authenticationMode: cluster.accessConfig.authenticationMode }
      : {}),
    ...(vpcConfig?.endpointPublicAccess !== undefined
      ? {
          endpointAccess: {
            publicAccess: vpcConfig.endpointPublicAccess,
            privateAccess: vpcConfig.endpointPrivateAccess ?? false,
            publicAccessCidrs: vpcConfig.publicAccessCidrs ?? [],
          },
        }
      : {}),
  };
}
