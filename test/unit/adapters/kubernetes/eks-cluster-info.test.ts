import type { ClusterStatus } from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import {
  EksClusterInfoSource,
  EksClusterUnavailableError,
} from '../../../../lib/adapters/kubernetes/auth/eks-cluster-info.ts';
import { fakeDescribeCluster } from '../../../support/fake-describe-cluster.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** Fake of the EKS endpoint (outside our control): records the requested cluster names. */
const fakeEks = (status: ClusterStatus = 'ACTIVE') =>
  fakeDescribeCluster('https://ABC.gr7.eu-west-1.eks.amazonaws.com', PEM, {
    status,
    version: '1.33',
    accessConfig: { authenticationMode: 'API' },
  });

describe('EksClusterInfoSource', () => {
  it('decodes endpoint and CA and caches them for the TTL', async () => {
    let now = 0;
    const eks = fakeEks();
    const source = new EksClusterInfoSource(eks, { ttlMs: 1000, nowMs: () => now });
    const info = await source.get('prod');
    expect(info).toMatchObject({
      endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      caPem: PEM,
      authenticationMode: 'API',
    });
    now = 999;
    await source.get('prod');
    expect(eks.calls).toEqual(['prod']);
    now = 1000;
    await source.get('prod');
    expect(eks.calls).toEqual(['prod', 'prod']);
  });

  it('refuses a cluster that is not ACTIVE and does not cache the failure', async () => {
    const eks = fakeEks('UPDATING');
    const source = new EksClusterInfoSource(eks);
    await expect(source.get('prod')).rejects.toThrow(EksClusterUnavailableError);
    await expect(source.get('prod')).rejects.toThrow(/UPDATING, not ACTIVE/);
    expect(eks.calls).toHaveLength(2);
  });

  it('rejects an invalid cluster name before calling EKS', async () => {
    const eks = fakeEks();
    await expect(new EksClusterInfoSource(eks).get('bad name')).rejects.toMatchObject({
      field: 'clusterName',
    });
    expect(eks.calls).toHaveLength(0);
  });
});
