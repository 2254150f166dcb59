import type { EksClusterInfo } from './eks-cluster-info.ts';

/**
 * The function cannot reach the cluster's API endpoint from where it runs. Without this check the
 * calls would only time out; the message says which setting blocks them and how to fix it.
 */
export class EksEndpointUnreachableError extends Error {
  override readonly name = 'EksEndpointUnreachableError';
}

/** Where the calling function runs. */
export interface CallerNetwork {
  /** The function is attached to a VPC (the CDK app sets `FSA_IN_VPC=true` then). */
  readonly inVpc: boolean;
}

/**
 * Refuses a cluster whose API endpoint a function outside any VPC cannot reach
 * (Amazon EKS User Guide, "Cluster API server endpoint"):
 * - public access off (`endpointPublicAccess: false`): the endpoint answers only inside the VPC;
 * - public access limited by `publicAccessCidrs` (anything but `0.0.0.0/0`): Lambda's egress
 *   addresses outside a VPC are AWS-owned and change, so no CIDR list can admit them reliably.
 * A function in a VPC passes: it reaches a private endpoint through the VPC, or a restricted
 * public one through a NAT gateway whose address the CIDRs may list (not checkable from here).
 * A cluster whose access settings are unknown passes too.
 */
export function assertEndpointReachable(info: EksClusterInfo, network: CallerNetwork): void {
  const access = info.endpointAccess;
  if (network.inVpc || access === undefined) return;
  if (!access.publicAccess) {
    throw new EksEndpointUnreachableError(
      `EKS cluster '${info.name}' has a private-only API endpoint (endpointPublicAccess false) and this function is not in a VPC: ` +
        'deploy with the VPC context (vpcId, subnetIds, clusterSecurityGroupId; README "Private clusters") or enable public access',
    );
  }
  const cidrs = access.publicAccessCidrs;
  if (cidrs.length > 0 && !cidrs.includes('0.0.0.0/0')) {
    throw new EksEndpointUnreachableError(
      `EKS cluster '${info.name}' allows its public API endpoint only from ${cidrs.join(', ')} (publicAccessCidrs) and this function is not in a VPC, ` +
        "so its source address is one of Lambda's changing AWS addresses: deploy with the VPC context and a NAT gateway whose address is listed, " +
        'or with private endpoint access (README "Private clusters")',
    );
  }
}
