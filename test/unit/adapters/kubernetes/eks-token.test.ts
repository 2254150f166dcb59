import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createEksToken,
  EKS_TOKEN_REFRESH_AFTER_MS,
  EksTokenProvider,
} from '../../../../lib/adapters/kubernetes/auth/eks-token.ts';
import { InvalidKubernetesInputError } from '../../../../lib/adapters/kubernetes/kubernetes-errors.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLE/TOKEN+=',
};
// 2026-07-20T12:00:00Z
const signingTimeMs = Date.UTC(2026, 6, 20, 12, 0, 0);

/**
 * SigV4 (AWS General Reference, "Create a signed AWS API request", query-string auth) worked out
 * by hand for region eu-west-1, service sts, cluster my-cluster:
 *
 * Canonical request (method, URI, sorted RFC 3986-encoded query, canonical headers, signed
 * headers, hex SHA-256 of the empty payload):
 *   GET
 *   /
 *   Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256
 *     &X-Amz-Credential=AKIDEXAMPLE%2F20260720%2Feu-west-1%2Fsts%2Faws4_request
 *     &X-Amz-Date=20260720T120000Z&X-Amz-Expires=60
 *     &X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE%2FTOKEN%2B%3D
 *     &X-Amz-SignedHeaders=host%3Bx-k8s-aws-id          (one line, no breaks)
 *   host:sts.eu-west-1.amazonaws.com
 *   x-k8s-aws-id:my-cluster
 *   (empty line ending the header block)
 *   host;x-k8s-aws-id
 *   e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
 *
 * String to sign:
 *   AWS4-HMAC-SHA256
 *   20260720T120000Z
 *   20260720/eu-west-1/sts/aws4_request
 *   ac54882990c50bdd8e08eb7ddb75089b89e7907bbfa3146a469988fbf883d9d8   (SHA-256 of the above)
 *
 * Signing key = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, "20260720"), "eu-west-1"), "sts"), "aws4_request")
 * Signature   = hex HMAC(signing key, string to sign)
 *             = e0248a577b33d9e744da2fcd88e127511a03522343ba992c8a867fc334ade3b8
 */
const EXPECTED_SIGNATURE = 'e0248a577b33d9e744da2fcd88e127511a03522343ba992c8a867fc334ade3b8';
const EXPECTED_URL =
  'https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15' +
  '&X-Amz-Algorithm=AWS4-HMAC-SHA256' +
  '&X-Amz-Credential=AKIDEXAMPLE%2F20260720%2Feu-west-1%2Fsts%2Faws4_request' +
  '&X-Amz-Date=20260720T120000Z&X-Amz-Expires=60' +
  '&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE%2FTOKEN%2B%3D' +
  `&X-Amz-Signature=${EXPECTED_SIGNATURE}` +
  '&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id';

/** The same SigV4 steps with node:crypto only, independent of @smithy/signature-v4. */
function independentSignature(): string {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
  const canonicalQuery = [
    'Action=GetCallerIdentity',
    'Version=2011-06-15',
    'X-Amz-Algorithm=AWS4-HMAC-SHA256',
    'X-Amz-Credential=AKIDEXAMPLE%2F20260720%2Feu-west-1%2Fsts%2Faws4_request',
    'X-Amz-Date=20260720T120000Z',
    'X-Amz-Expires=60',
    'X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE%2FTOKEN%2B%3D',
    'X-Amz-SignedHeaders=host%3Bx-k8s-aws-id',
  ].join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    'host:sts.eu-west-1.amazonaws.com\nx-k8s-aws-id:my-cluster\n',
    'host;x-k8s-aws-id',
    sha256(''),
  ].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    '20260720T120000Z',
    '20260720/eu-west-1/sts/aws4_request',
    sha256(canonicalRequest),
  ].join('\n');
  expect(sha256(canonicalRequest)).toBe('ac54882990c50bdd8e08eb7ddb75089b89e7907bbfa3146a469988fbf883d9d8');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, '20260720');
  key = hmac(key, 'eu-west-1');
  key = hmac(key, 'sts');
  key = hmac(key, 'aws4_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('createEksToken', () => {
  it('builds the exact presigned STS URL and token for fixed inputs (known answer)', async () => {
    // Prepare
    const independent = independentSignature();

    // Act
    const token = await createEksToken({
      clusterName: 'my-cluster',
      region: 'eu-west-1',
      credentials,
      signingTimeMs,
    });

    // Assess
    expect(independent).toBe(EXPECTED_SIGNATURE);
    expect(token.presignedUrl).toBe(EXPECTED_URL);
    expect(token.token).toBe(`k8s-aws-v1.${Buffer.from(EXPECTED_URL).toString('base64url')}`);
    expect(token.token).not.toMatch(/[=+/]/);
    expect(token.expiresAtMs - token.signedAtMs).toBe(15 * 60_000);
  });

  it('keeps x-k8s-aws-id a signed header and never a query parameter', async () => {
    const { presignedUrl } = await createEksToken({
      clusterName: 'other',
      region: 'us-east-1',
      credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 'secret' }),
      signingTimeMs,
    });
    const url = new URL(presignedUrl);
    expect(url.host).toBe('sts.us-east-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect([...url.searchParams.keys()].sort()).toEqual([
      'Action',
      'Version',
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-Expires',
      'X-Amz-Signature',
      'X-Amz-SignedHeaders',
    ]);
  });

  it.each([
    // Partition DNS suffixes: AWS SDK partition data (see aws-partition.ts).
    { region: 'eu-west-1', host: 'sts.eu-west-1.amazonaws.com' },
    { region: 'cn-north-1', host: 'sts.cn-north-1.amazonaws.com.cn' },
    { region: 'cn-northwest-1', host: 'sts.cn-northwest-1.amazonaws.com.cn' },
    { region: 'us-gov-west-1', host: 'sts.us-gov-west-1.amazonaws.com' },
    { region: 'us-iso-east-1', host: 'sts.us-iso-east-1.c2s.ic.gov' },
  ])('signs for the STS host of the region\'s partition: $region → $host', async ({ region, host }) => {
    const { presignedUrl } = await createEksToken({ clusterName: 'prod', region, credentials, signingTimeMs });
    const url = new URL(presignedUrl);
    expect(url.host).toBe(host);
    // The credential scope names the region itself, whatever the partition.
    expect(url.searchParams.get('X-Amz-Credential')).toBe(`AKIDEXAMPLE/20260720/${region}/sts/aws4_request`);
  });

  it.each([
    { clusterName: '../x', region: 'eu-west-1', field: 'clusterName' },
    { clusterName: 'ok', region: 'not a region', field: 'region' },
    { clusterName: 'ok', region: 'xx-west-1', field: 'region' },
  ])('rejects $field', async ({ clusterName, region, field }) => {
    await expect(createEksToken({ clusterName, region, credentials })).rejects.toMatchObject({
      name: 'InvalidKubernetesInputError',
      field,
    });
  });
});

describe('EksTokenProvider', () => {
  it('reuses the token until the refresh age, then signs a new one', async () => {
    let now = signingTimeMs;
    let credentialCalls = 0;
    const provider = new EksTokenProvider({
      clusterName: 'my-cluster',
      region: 'eu-west-1',
      credentials: async () => {
        credentialCalls += 1;
        return credentials;
      },
      nowMs: () => now,
    });
    const first = await provider.getToken();
    now += EKS_TOKEN_REFRESH_AFTER_MS - 1;
    expect(await provider.getToken()).toBe(first);
    now += 1; // 13 min: refreshed before the 14-min mark EKS clients use and the 15-min validity
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect(credentialCalls).toBe(2);
    provider.invalidate();
    expect(await provider.getToken()).toBe(second); // same signing time → same token, but rebuilt
    expect(credentialCalls).toBe(3);
  });

  it('rejects a refresh age beyond the 15-minute validity', () => {
    expect(
      () =>
        new EksTokenProvider({
          clusterName: 'c',
          region: 'eu-west-1',
          credentials,
          refreshAfterMs: 16 * 60_000,
        }),
    ).toThrow(InvalidKubernetesInputError);
  });
});
