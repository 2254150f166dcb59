import { Token } from 'aws-cdk-lib';
import type { ClusterEnvironmentEntry } from '../../functions/shared/runtime-environment.ts';
import { partitionOfRegion } from '../../lib/adapters/kubernetes/auth/aws-partition.ts';
import type { AutoscalerCluster } from './flink-autoscaler.ts';
import { AutoscalerConfigError, assertNonEmpty } from './validation.ts';

/**
 * Checks the configured clusters and resolves each one's region (the stack's when absent). Names
 * must be unique across regions: the name is the cluster's identity at run time.
 */
export function validateClusters(
  clusters: readonly AutoscalerCluster[],
  stackRegion: string,
): ClusterEnvironmentEntry[] {
  if (clusters.length === 0) throw new AutoscalerConfigError('clusters must list at least one EKS cluster');
  const seen = new Map<string, string>();
  return clusters.map((cluster, index) => {
    assertNonEmpty(`clusters[${index}].name`, cluster.name);
    if (!/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(cluster.name)) {
      throw new AutoscalerConfigError(
        `clusters[${index}].name "${cluster.name}" is not a valid EKS cluster name (letters, digits, - and _, up to 100)`,
      );
    }
    const region = cluster.region ?? stackRegion;
    if (Token.isUnresolved(region) && cluster.region === undefined) {
      // An environment-agnostic stack: the region is only known at deploy time.
    } else if (!isAwsRegion(region)) {
      throw new AutoscalerConfigError(`clusters[${index}].region "${region}" is not an AWS region`);
    }
    // The name alone is a cluster's identity in job keys, state, metrics and the handlers' wiring,
    // so one name in two regions would mix two clusters' jobs: refuse it here.
    const other = seen.get(cluster.name);
    if (other !== undefined) {
      throw new AutoscalerConfigError(
        other === region
          ? `cluster ${cluster.name} in ${region} is listed twice`
          : `cluster name ${cluster.name} is listed in two regions (${other} and ${region}): the name identifies ` +
            'a cluster in job keys and state, so it must be unique within a stack; manage the other one from a ' +
            'second stack (-c stackName=… -c serviceName=…)',
      );
    }
    seen.set(cluster.name, region);
    const namespaces = cluster.namespaces?.length ? [...cluster.namespaces] : undefined;
    for (const ns of namespaces ?? []) {
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)) {
        throw new AutoscalerConfigError(
          `clusters[${index}].namespaces: "${ns}" is not a Kubernetes namespace name`,
        );
      }
    }
    return { name: cluster.name, region, ...(namespaces ? { namespaces } : {}) };
  });
}

/** A region of a known AWS partition (the table the EKS token uses for its STS host). */
function isAwsRegion(region: string): boolean {
  try {
    partitionOfRegion(region);
    return true;
  } catch {
    return false;
  }
}
