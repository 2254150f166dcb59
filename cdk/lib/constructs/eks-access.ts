import { CfnAccessEntry } from 'aws-cdk-lib/aws-eks';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AutoscalerConfigError, assertNonEmpty } from '../validation.ts';

/** Kubernetes group the autoscaler's RBAC binds to (k8s/rbac.yaml). */
export const AUTOSCALER_KUBERNETES_GROUP = 'flink-serverless-autoscaler';

/** One IAM role to map into the clusters. */
export interface EksAccessPrincipal {
  /** Construct-id-safe name (e.g. `Dispatcher`). */
  readonly name: string;
  readonly role: IRole;
}

/** Props of {@link EksAccess}. */
export interface EksAccessProps {
  /** EKS cluster names, all in the stack's region (access entries are regional resources). */
  readonly clusterNames: readonly string[];
  /** Roles to map; each gets one access entry per cluster. */
  readonly principals: readonly EksAccessPrincipal[];
  /** @default {@link AUTOSCALER_KUBERNETES_GROUP} */
  readonly kubernetesGroup?: string;
}

/**
 * EKS access entries (`AWS::EKS::AccessEntry`, type STANDARD) that map the Lambda roles to the
 * autoscaler's Kubernetes group. What the group may do is decided by the RBAC in k8s/rbac.yaml, not
 * by an EKS access policy: the managed policies do not reliably cover custom resources
 * (docs/kubernetes-and-eks.md §4). Requires the cluster's authentication mode API or API_AND_CONFIG_MAP.
 */
export class EksAccess extends Construct {
  readonly entries: CfnAccessEntry[] = [];

  constructor(scope: Construct, id: string, props: EksAccessProps) {
    super(scope, id);
    const group = props.kubernetesGroup ?? AUTOSCALER_KUBERNETES_GROUP;
    assertNonEmpty('kubernetesGroup', group);
    if (new Set(props.clusterNames).size !== props.clusterNames.length) {
      throw new AutoscalerConfigError(`cluster names must be unique, got ${props.clusterNames.join(', ')}`);
    }
    for (const clusterName of props.clusterNames) {
      assertNonEmpty('cluster name', clusterName);
      for (const principal of props.principals) {
        this.entries.push(
          new CfnAccessEntry(this, `${principal.name}${constructIdPart(clusterName)}`, {
            clusterName,
            principalArn: principal.role.roleArn,
            type: 'STANDARD',
            kubernetesGroups: [group],
          }),
        );
      }
    }
  }
}

/** A cluster name as part of a construct id (ids must be stable; names are already DNS-like). */
function constructIdPart(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '-');
}
