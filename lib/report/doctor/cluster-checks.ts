import { type DoctorCheck, problem } from './doctor-check.ts';

/**
 * EKS-side checks of `fsa doctor`: the cluster's authentication mode, its API endpoint access
 * against the Lambda functions' network, and the access entries of the functions' roles.
 *
 * Sources: Amazon EKS User Guide, "Grant IAM users access to Kubernetes with EKS access entries"
 * (access entries need authentication mode `API` or `API_AND_CONFIG_MAP`; `CONFIG_MAP` ignores
 * them) and "Cluster API server endpoint" (a private-only endpoint is reachable only from the
 * cluster's VPC or connected networks; `publicAccessCidrs` limits the public endpoint to the
 * listed source ranges; with private access enabled, requests from inside the VPC use the private
 * endpoint).
 */

/** `DescribeCluster` fields these checks read. */
export interface ClusterAccessConfig {
  readonly clusterName: string;
  readonly authenticationMode?: string;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  /** `resourcesVpcConfig.publicAccessCidrs`; EKS reports `0.0.0.0/0` when unrestricted. */
  readonly publicAccessCidrs: readonly string[];
  readonly clusterSecurityGroupId?: string;
}

/** Where the Lambda functions run: in a VPC (with subnets) or on Lambda's own network. */
export interface FunctionNetwork {
  /** `undefined` when unknown (no function named, no `--function-network`). */
  readonly inVpc: boolean | undefined;
  /** Where the answer came from, for the report (e.g. `worker function VpcConfig`). */
  readonly source: string;
}

const SECTION = { section: 'cluster' } as const;

export function checkAuthenticationMode(config: ClusterAccessConfig): DoctorCheck {
  const base = { ...SECTION, name: 'authentication mode' };
  const mode = config.authenticationMode;
  if (mode === 'API' || mode === 'API_AND_CONFIG_MAP') {
    return { ...base, status: 'pass', detail: `${mode}: access entries are honoured` };
  }
  const fix = `aws eks update-cluster-config --name ${config.clusterName} --access-config authenticationMode=API_AND_CONFIG_MAP`;
  if (mode === undefined) {
    return problem(base, 'warn', 'DescribeCluster reported no accessConfig.authenticationMode', fix);
  }
  return problem(
    base,
    'fail',
    `${mode}: the cluster ignores access entries, so the functions' roles are not mapped to any Kubernetes group`,
    fix,
  );
}

export function checkEndpointAccess(config: ClusterAccessConfig, network: FunctionNetwork): DoctorCheck {
  const base = { ...SECTION, name: 'API endpoint access' };
  const open = config.endpointPublicAccess && config.publicAccessCidrs.includes('0.0.0.0/0');
  const restricted = config.endpointPublicAccess && !open;
  const endpoint = `public ${config.endpointPublicAccess ? 'on' : 'off'}${restricted ? ` (CIDRs ${config.publicAccessCidrs.join(', ')})` : ''}, private ${config.endpointPrivateAccess ? 'on' : 'off'}`;
  const vpcFix =
    "deploy the functions into the cluster's VPC (the CDK construct's VPC settings) " +
    `with an ingress rule from their security group to the cluster security group${config.clusterSecurityGroupId ? ` ${config.clusterSecurityGroupId}` : ''} on 443`;
  const detail = `endpoint ${endpoint}; functions ${network.inVpc === undefined ? 'network unknown' : network.inVpc ? 'in a VPC' : 'not in a VPC'} (${network.source})`;
  if (network.inVpc === undefined) {
    if (open) return { ...base, status: 'pass', detail: `${detail}: reachable from anywhere` };
    return problem(base, 'warn', detail, `name the worker function (--worker-function) or give --function-network; if the functions are not in the VPC: ${vpcFix}`);
  }
  if (network.inVpc) {
    if (config.endpointPrivateAccess) {
      return {
        ...base,
        status: 'pass',
        detail: `${detail}: reached through the private endpoint (needs 443 from the functions' security group)`,
      };
    }
    return problem(
      base,
      open ? 'warn' : 'fail',
      `${detail}: the functions reach the public endpoint through a NAT gateway${restricted ? ' whose address must be in the allowed CIDRs' : ''}`,
      `enable private endpoint access (aws eks update-cluster-config --name ${config.clusterName} --resources-vpc-config endpointPrivateAccess=true) or make sure the subnets route to a NAT gateway${restricted ? ' listed in publicAccessCidrs' : ''}`,
    );
  }
  if (open) return { ...base, status: 'pass', detail: `${detail}: the public endpoint accepts any source` };
  return problem(
    base,
    'fail',
    `${detail}: Lambda functions outside a VPC call from AWS-owned addresses the endpoint does not accept`,
    vpcFix,
  );
}

/** The function roles to look up, and the Kubernetes group each is expected in (k8s/rbac.yaml). */
export interface ExpectedAccessEntry {
  readonly role: 'worker' | 'dispatcher';
  readonly principalArn: string;
  readonly expectedGroup: string;
}

/** What `DescribeAccessEntry` returned for a principal; `undefined` when there is no entry. */
export interface AccessEntryView {
  readonly type?: string;
  readonly kubernetesGroups: readonly string[];
}

export function checkAccessEntry(
  clusterName: string,
  expected: ExpectedAccessEntry,
  entry: AccessEntryView | undefined,
): DoctorCheck {
  const base = { section: 'access' as const, name: `${expected.role} access entry` };
  const create = `aws eks create-access-entry --cluster-name ${clusterName} --principal-arn ${expected.principalArn} --type STANDARD --kubernetes-groups ${expected.expectedGroup} (the CDK stack creates it for clusters in its region)`;
  if (!entry) return problem(base, 'fail', `no access entry for ${expected.principalArn}`, create);
  if (entry.type !== undefined && entry.type !== 'STANDARD') {
    return problem(base, 'fail', `${expected.principalArn} has an access entry of type ${entry.type}, not STANDARD`, create);
  }
  if (!entry.kubernetesGroups.includes(expected.expectedGroup)) {
    return problem(
      base,
      'fail',
      `${expected.principalArn} is mapped to ${entry.kubernetesGroups.length > 0 ? `group(s) ${entry.kubernetesGroups.join(', ')}` : 'no Kubernetes group'}, not ${expected.expectedGroup}`,
      `aws eks update-access-entry --cluster-name ${clusterName} --principal-arn ${expected.principalArn} --kubernetes-groups ${expected.expectedGroup}`,
    );
  }
  return {
    ...base,
    status: 'pass',
    detail: `${expected.principalArn} → group(s) ${entry.kubernetesGroups.join(', ')}`,
  };
}
