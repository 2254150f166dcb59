import { Stack, Token, Validations } from 'aws-cdk-lib';
import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  type AwsSdkCall,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { AutoscalerConfigError, assertNonEmpty } from '../validation.ts';

/** Kubernetes group of the worker: read, patch Flink resources, write Events (k8s/rbac.yaml). */
export const AUTOSCALER_KUBERNETES_GROUP = 'flink-serverless-autoscaler';
/** Kubernetes group of the dispatcher: only reads Flink resources (k8s/rbac.yaml). */
export const DISPATCHER_KUBERNETES_GROUP = 'flink-serverless-autoscaler-dispatcher';

/** One IAM role to map into the clusters, with the Kubernetes group its RBAC binds to. */
export interface EksAccessPrincipal {
  /** Construct-id-safe name (e.g. `Dispatcher`). */
  readonly name: string;
  readonly role: IRole;
  /** The group of the access entry; k8s/rbac.yaml binds a ClusterRole to it. */
  readonly kubernetesGroup: string;
}

/** One cluster to map the roles into. */
export interface EksAccessCluster {
  readonly name: string;
  /** The cluster's region: the stack's region (or its token) or another resolved region. */
  readonly region: string;
}

/** Props of {@link EksAccess}. */
export interface EksAccessProps {
  /** The clusters; names are unique (a name is a cluster's identity in job keys). */
  readonly clusters: readonly EksAccessCluster[];
  /** Roles to map; each gets one access entry per cluster. */
  readonly principals: readonly EksAccessPrincipal[];
}

/**
 * EKS access entries (type STANDARD) that map each Lambda role to its own Kubernetes group. What a
 * group may do is decided by the RBAC in k8s/rbac.yaml, not by an EKS access policy: the managed
 * policies do not reliably cover custom resources (docs/kubernetes-and-eks.md §4). Requires the
 * cluster's authentication mode API or API_AND_CONFIG_MAP.
 *
 * `AWS::EKS::AccessEntry` is a regional CloudFormation resource: it can only create entries in the
 * stack's region. A cluster in another region gets its entries from a custom resource that calls
 * `eks:CreateAccessEntry` (and `UpdateAccessEntry`/`DeleteAccessEntry` on update and delete) in the
 * cluster's region. One stack keeps the roles, the entries and their lifecycle together; a stack
 * per region would need cross-region references to the role ARNs and a deploy per region.
 */
export class EksAccess extends Construct {
  /** Entries in the stack's region. */
  readonly entries: CfnAccessEntry[] = [];
  /** Entries in other regions (one custom resource per cluster and role). */
  readonly crossRegionEntries: AwsCustomResource[] = [];

  constructor(scope: Construct, id: string, props: EksAccessProps) {
    super(scope, id);
    const names = props.clusters.map((c) => c.name);
    if (new Set(names).size !== names.length) {
      throw new AutoscalerConfigError(`cluster names must be unique, got ${names.join(', ')}`);
    }
    for (const principal of props.principals) assertNonEmpty('kubernetesGroup', principal.kubernetesGroup);
    const stackRegion = Stack.of(this).region;
    for (const cluster of props.clusters) {
      assertNonEmpty('cluster name', cluster.name);
      const inStackRegion = isStackRegion(cluster, stackRegion);
      for (const principal of props.principals) {
        const entryId = `${principal.name}${constructIdPart(cluster.name)}`;
        if (inStackRegion) {
          this.entries.push(
            new CfnAccessEntry(this, entryId, {
              clusterName: cluster.name,
              principalArn: principal.role.roleArn,
              type: 'STANDARD',
              kubernetesGroups: [principal.kubernetesGroup],
            }),
          );
        } else {
          this.crossRegionEntries.push(this.crossRegionEntry(entryId, cluster, principal));
        }
      }
    }
    if (this.crossRegionEntries.length > 0) this.acknowledgeProviderFindings();
  }

  private crossRegionEntry(
    id: string,
    cluster: EksAccessCluster,
    principal: EksAccessPrincipal,
  ): AwsCustomResource {
    const stack = Stack.of(this);
    const call = (action: string, parameters: Record<string, unknown>): AwsSdkCall => ({
      service: 'EKS',
      action,
      region: cluster.region,
      parameters: { clusterName: cluster.name, principalArn: principal.role.roleArn, ...parameters },
      // EKS identifies an entry by cluster and principal; the id names both and stays stable.
      physicalResourceId: PhysicalResourceId.of(`${cluster.region}/${cluster.name}/${principal.name}`),
    });
    const groups = { kubernetesGroups: [principal.kubernetesGroup] };
    const clusterArn = stack.formatArn({
      service: 'eks',
      region: cluster.region,
      resource: 'cluster',
      resourceName: cluster.name,
    });
    // Access entry ARNs end in the principal's type, account, name and a UUID EKS assigns.
    const entryArns = stack.formatArn({
      service: 'eks',
      region: cluster.region,
      resource: 'access-entry',
      resourceName: `${cluster.name}/*`,
    });
    const resource = new AwsCustomResource(this, id, {
      resourceType: 'Custom::EksAccessEntry',
      onCreate: call('CreateAccessEntry', { type: 'STANDARD', ...groups }),
      onUpdate: call('UpdateAccessEntry', groups),
      onDelete: call('DeleteAccessEntry', {}),
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:DeleteAccessEntry'],
          resources: [clusterArn, entryArns],
        }),
      ]),
      // The SDK in the Lambda runtime has these calls; installing the latest at deploy time would
      // need internet access from the provider and slow every deploy.
      installLatestAwsSdk: false,
    });
    // cdk-nag names a finding after the resource as rendered, with pseudo parameters in <>.
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    Validations.of(resource).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:${cluster.region}:${account}:access-entry/${cluster.name}/*]`,
      reason:
        "An access entry's ARN ends in a UUID EKS assigns; the grant is limited to the entries of this one cluster.",
    });
    return resource;
  }

  /** The cdk-nag finding of the provider function AwsCustomResource shares across the stack. */
  private acknowledgeProviderFindings(): void {
    const providerRole = this.crossRegionEntries[0]?.grantPrincipal;
    if (!Construct.isConstruct(providerRole)) return;
    Validations.of(providerRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "The AwsCustomResource provider that creates cross-region EKS access entries logs with AWS's managed basic execution policy.",
    });
  }
}

/**
 * Whether the cluster is in the stack's region. Both resolved: compare. The cluster's region is
 * the stack's own region token (no region given): same region. Otherwise the comparison cannot be
 * made at synth time, and guessing would silently drop or misplace the entries.
 */
function isStackRegion(cluster: EksAccessCluster, stackRegion: string): boolean {
  if (cluster.region === stackRegion) return true;
  if (!Token.isUnresolved(cluster.region) && !Token.isUnresolved(stackRegion)) return false;
  throw new AutoscalerConfigError(
    `cluster ${cluster.name} is in region ${Token.isUnresolved(cluster.region) ? '(unresolved)' : cluster.region} ` +
      "but the stack's region is not known at synth time, so its EKS access entry cannot be placed: " +
      'set the stack region with -c region=<region> (or AWS_REGION / a profile region, which the CDK CLI passes as CDK_DEFAULT_REGION)',
  );
}

/** A cluster name as part of a construct id (ids must be stable; names are already DNS-like). */
function constructIdPart(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '-');
}
