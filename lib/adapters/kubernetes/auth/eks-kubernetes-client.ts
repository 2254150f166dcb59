import type { EksClusterInfo, EksClusterInfoSource } from './eks-cluster-info.ts';
import { assertEndpointReachable, type CallerNetwork } from './endpoint-access.ts';
import {
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  EksTokenProvider,
} from './eks-token.ts';
import { KubernetesClient, type KubernetesClientOptions } from '../kubernetes-client.ts';

/** Options of a {@link KubernetesClient} for an EKS cluster (endpoint, CA and IAM token from AWS). */
export interface EksKubernetesClientOptions {
  readonly clusterName: string;
  /** Region of the cluster (the STS endpoint the token is signed for). */
  readonly region: string;
  /** DescribeCluster source (cached); endpoint and CA come from it. */
  readonly clusterInfo: EksClusterInfoSource;
  /**
   * Where this process runs. When given, a cluster whose endpoint it cannot reach is refused with
   * an `EksEndpointUnreachableError` (endpoint-access.ts) instead of calls that time out. @default not checked
   */
  readonly network?: CallerNetwork;
  /** Injected credentials; the AWS default chain (the Lambda role) when absent. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly nowMs?: () => number;
  readonly retry?: KubernetesClientOptions['retry'];
}

/**
 * The production Kubernetes client of a Lambda (docs/kubernetes-and-eks.md §1): endpoint and CA from
 * DescribeCluster, bearer token from the Lambda's IAM identity, TLS verified against the
 * cluster CA. Build once per cold start and reuse.
 */
export async function createEksKubernetesClient(
  options: EksKubernetesClientOptions,
): Promise<{ client: KubernetesClient; info: EksClusterInfo }> {
  const info = await options.clusterInfo.get(options.clusterName);
  if (options.network) assertEndpointReachable(info, options.network);
  const token = new EksTokenProvider({
    clusterName: options.clusterName,
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  });
  const client = new KubernetesClient({
    baseUrl: info.endpoint,
    caPem: info.caPem,
    token,
    ...(options.retry ? { retry: options.retry } : {}),
  });
  return { client, info };
}
