import { describe, expect, it } from 'vitest';
import { EksClusterInfoSource } from '../../../../lib/adapters/kubernetes/auth/eks-cluster-info.ts';
import { createEksKubernetesClient } from '../../../../lib/adapters/kubernetes/auth/eks-kubernetes-client.ts';
import { EksEndpointUnreachableError } from '../../../../lib/adapters/kubernetes/auth/endpoint-access.ts';
import { fakeDescribeCluster } from '../../../support/fake-describe-cluster.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

/**
 * Stub of the EKS DescribeCluster endpoint (outside our control), answering with the given
 * `resourcesVpcConfig` the way the EKS API reports endpoint access.
 */
function stubEks(resourcesVpcConfig: Record<string, unknown> | undefined) {
  return new EksClusterInfoSource(
    fakeDescribeCluster('https://ABC.gr7.eu-west-1.eks.amazonaws.com', PEM, resourcesVpcConfig ? { resourcesVpcConfig } : {}),
  );
}

const client = (resourcesVpcConfig: Record<string, unknown> | undefined, inVpc: boolean) =>
  createEksKubernetesClient({
    clusterName: 'prod',
    region: 'eu-west-1',
    clusterInfo: stubEks(resourcesVpcConfig),
    credentials,
    network: { inVpc },
  });

const PRIVATE_ONLY = { endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: [] };
const RESTRICTED = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['203.0.113.0/24'],
};
const OPEN = { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };

describe('endpoint access check of the EKS client', () => {
  it('fails fast on a private-only endpoint when the function is not in a VPC, saying what to do', async () => {
    const attempt = client(PRIVATE_ONLY, false);
    await expect(attempt).rejects.toThrow(EksEndpointUnreachableError);
    await expect(client(PRIVATE_ONLY, false)).rejects.toThrow(
      /cluster 'prod' has a private-only API endpoint \(endpointPublicAccess false\) and this function is not in a VPC: deploy with the VPC context/,
    );
  });

  it('fails fast on a CIDR-restricted public endpoint when the function is not in a VPC', async () => {
    await expect(client(RESTRICTED, false)).rejects.toThrow(
      /only from 203\.0\.113\.0\/24 \(publicAccessCidrs\) and this function is not in a VPC/,
    );
  });

  it.each([
    { name: 'private-only, function in a VPC', config: PRIVATE_ONLY, inVpc: true },
    { name: 'CIDR-restricted, function in a VPC', config: RESTRICTED, inVpc: true },
    { name: 'public to 0.0.0.0/0, function outside a VPC', config: OPEN, inVpc: false },
    { name: 'access settings not reported', config: undefined, inVpc: false },
  ])('builds the client: $name', async ({ config, inVpc }) => {
    const { client: built, info } = await client(config, inVpc);
    expect(info.endpoint).toBe('https://ABC.gr7.eu-west-1.eks.amazonaws.com');
    await built.close();
  });

  it('maps resourcesVpcConfig into the cluster info', async () => {
    const info = await stubEks(RESTRICTED).get('prod');
    expect(info.endpointAccess).toEqual({
      publicAccess: true,
      privateAccess: false,
      publicAccessCidrs: ['203.0.113.0/24'],
    });
  });
});
