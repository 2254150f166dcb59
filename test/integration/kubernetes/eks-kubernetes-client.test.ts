import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EksClusterInfoSource } from '../../../lib/adapters/kubernetes/auth/eks-cluster-info.ts';
import { createEksKubernetesClient } from '../../../lib/adapters/kubernetes/auth/eks-kubernetes-client.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';
import { fakeDescribeCluster } from '../../support/fake-describe-cluster.ts';
import { createTestCertificates, type TestCertificates } from './test-certificates.ts';

const PATH = '/apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments/orders-enrichment';
let certs: TestCertificates;
let otherCa: string;
let emulator: KubernetesEmulator;
const seenTokens: string[] = [];

/** Accepts only EKS tokens for cluster `prod`: a presigned STS URL that signs x-k8s-aws-id. */
function acceptsEksToken(token: string): boolean {
  seenTokens.push(token);
  if (!token.startsWith('k8s-aws-v1.')) return false;
  const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'));
  return (
    url.host === 'sts.eu-west-1.amazonaws.com' &&
    url.searchParams.get('Action') === 'GetCallerIdentity' &&
    url.searchParams.get('X-Amz-SignedHeaders') === 'host;x-k8s-aws-id' &&
    url.searchParams.get('X-Amz-Credential')?.startsWith('AKIDEXAMPLE/') === true
  );
}

beforeAll(async () => {
  certs = createTestCertificates();
  otherCa = createTestCertificates('another-ca').caPem;
  emulator = await startKubernetesEmulator({
    token: acceptsEksToken,
    tls: { certPem: certs.serverCertPem, keyPem: certs.serverKeyPem },
  });
  emulator.apply(aFlinkDeployment());
});
afterAll(() => emulator.close());

/** Fake of the EKS DescribeCluster endpoint (outside our control), pointing at the emulator. */
const fakeEks = () => fakeDescribeCluster(emulator.url, certs.caPem);

describe('EKS-style client over TLS', () => {
  it('reaches the API with endpoint + CA from DescribeCluster and an IAM token', async () => {
    const { client, info } = await createEksKubernetesClient({
      clusterName: 'prod',
      region: 'eu-west-1',
      clusterInfo: new EksClusterInfoSource(fakeEks()),
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    });
    expect(info.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const object = await client.get<{ metadata: { name: string } }>(PATH);
    expect(object.metadata.name).toBe('orders-enrichment');
    expect(seenTokens.at(-1)).toMatch(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    await client.close();
  });

  it('refuses a server whose certificate is not signed by the given CA', async () => {
    const wrongCa = new KubernetesClient({
      baseUrl: emulator.url,
      caPem: otherCa,
      token: new StaticTokenProvider('x'),
    });
    await expect(wrongCa.get(PATH)).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SIGNATURE|ISSUER|VERIFY/),
    });
    const noCa = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('x') });
    await expect(noCa.get(PATH)).rejects.toMatchObject({
      code: expect.stringMatching(/CERT|SIGNATURE|ISSUER|VERIFY/),
    });
    await wrongCa.close();
    await noCa.close();
  });
});
