import {
  DescribeAccessEntryCommand,
  type DescribeAccessEntryCommandOutput,
  DescribeClusterCommand,
  type DescribeClusterCommandOutput,
} from '@aws-sdk/client-eks';
import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandOutput,
} from '@aws-sdk/client-lambda';

/**
 * What `fsa doctor` reads from AWS about a cluster and the autoscaler's functions: the cluster's
 * authentication mode and endpoint access (EKS DescribeCluster, `accessConfig` and
 * `resourcesVpcConfig`), the access entries of the functions' roles (EKS DescribeAccessEntry), and
 * a function's role and VPC configuration (Lambda GetFunctionConfiguration).
 */

/** The EKS calls made here; an `EKSClient` satisfies it, tests pass a stub. */
export interface EksAccessApi {
  send(command: DescribeClusterCommand): Promise<DescribeClusterCommandOutput>;
  send(command: DescribeAccessEntryCommand): Promise<DescribeAccessEntryCommandOutput>;
}

/** The Lambda call made here; a `LambdaClient` satisfies it. */
export interface LambdaConfigurationApi {
  send(command: GetFunctionConfigurationCommand): Promise<GetFunctionConfigurationCommandOutput>;
}

/** The access-related part of DescribeCluster. */
export interface EksClusterAccess {
  readonly clusterName: string;
  readonly status?: string;
  readonly authenticationMode?: string;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly clusterSecurityGroupId?: string;
  readonly vpcId?: string;
}

/** An access entry of a principal. */
export interface EksAccessEntry {
  readonly principalArn: string;
  readonly type?: string;
  readonly kubernetesGroups: readonly string[];
}

/** A function's execution role and whether it runs in a VPC. */
export interface FunctionPlacement {
  readonly functionName: string;
  readonly roleArn?: string;
  readonly vpcId?: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

export async function describeClusterAccess(eks: EksAccessApi, clusterName: string): Promise<EksClusterAccess> {
  const { cluster } = await eks.send(new DescribeClusterCommand({ name: clusterName }));
  if (!cluster) throw new Error(`EKS cluster '${clusterName}': DescribeCluster returned no cluster`);
  const vpc = cluster.resourcesVpcConfig ?? {};
  return {
    clusterName,
    ...(cluster.status ? { status: cluster.status } : {}),
    ...(cluster.accessConfig?.authenticationMode ? { authenticationMode: cluster.accessConfig.authenticationMode } : {}),
    // DescribeCluster omits the flags only for clusters it cannot describe fully; EKS defaults are public on, private off.
    endpointPublicAccess: vpc.endpointPublicAccess ?? true,
    endpointPrivateAccess: vpc.endpointPrivateAccess ?? false,
    publicAccessCidrs: vpc.publicAccessCidrs ?? (vpc.endpointPublicAccess === false ? [] : ['0.0.0.0/0']),
    ...(vpc.clusterSecurityGroupId ? { clusterSecurityGroupId: vpc.clusterSecurityGroupId } : {}),
    ...(vpc.vpcId ? { vpcId: vpc.vpcId } : {}),
  };
}

/** The access entry of `principalArn`, or `undefined` when EKS answers ResourceNotFoundException. */
export async function describeAccessEntry(
  eks: EksAccessApi,
  clusterName: string,
  principalArn: string,
): Promise<EksAccessEntry | undefined> {
  let output: DescribeAccessEntryCommandOutput;
  try {
    output = await eks.send(new DescribeAccessEntryCommand({ clusterName, principalArn }));
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
  const entry = output.accessEntry;
  return {
    principalArn,
    ...(entry?.type ? { type: entry.type } : {}),
    kubernetesGroups: entry?.kubernetesGroups ?? [],
  };
}

export async function describeFunctionPlacement(
  lambda: LambdaConfigurationApi,
  functionName: string,
): Promise<FunctionPlacement> {
  const output = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  const vpc = output.VpcConfig;
  return {
    functionName,
    ...(output.Role ? { roleArn: output.Role } : {}),
    ...(vpc?.VpcId ? { vpcId: vpc.VpcId } : {}),
    subnetIds: vpc?.SubnetIds ?? [],
    securityGroupIds: vpc?.SecurityGroupIds ?? [],
  };
}
