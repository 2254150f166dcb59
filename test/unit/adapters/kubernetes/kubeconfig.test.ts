import { describe, expect, it } from 'vitest';
import { resolveKubeconfig } from '../../../../lib/adapters/kubernetes/auth/kubeconfig.ts';
import { InvalidKubernetesInputError } from '../../../../lib/adapters/kubernetes/kubernetes-errors.ts';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const config = (user: string, cluster = `certificate-authority-data: ${b64(CA)}`) => `
apiVersion: v1
kind: Config
current-context: prod
clusters:
  - name: eks
    cluster:
      server: https://ABC.gr7.eu-west-1.eks.amazonaws.com
      ${cluster}
contexts:
  - name: prod
    context: { cluster: eks, user: me }
users:
  - name: me
    user:
      ${user}
`;

describe('resolveKubeconfig', () => {
  it('reads server, CA and a static token from the current context', async () => {
    const connection = await resolveKubeconfig(config('token: abc'));
    expect(connection.server).toBe('https://ABC.gr7.eu-west-1.eks.amazonaws.com');
    expect(connection.caPem).toBe(CA);
    expect(await connection.token?.getToken()).toBe('abc');
  });

  it('reads client certificates', async () => {
    const connection = await resolveKubeconfig(
      config(`client-certificate-data: ${b64('CERT')}\n      client-key-data: ${b64('KEY')}`),
    );
    expect(connection.clientCertificate).toEqual({ certPem: 'CERT', keyPem: 'KEY' });
    expect(connection.token).toBeUndefined();
  });

  it.each([
    {
      name: 'insecure-skip-tls-verify',
      text: config('token: a', 'insecure-skip-tls-verify: true'),
      field: /insecure-skip-tls-verify/,
    },
    {
      name: 'unknown context',
      text: config('token: a').replace('current-context: prod', 'current-context: dev'),
      field: /no context named 'dev'/,
    },
    { name: 'exec without command', text: config('exec: { args: [x] }'), field: /exec.command/ },
    { name: 'not YAML', text: '{ a', field: /not valid YAML/ },
  ])('refuses $name with a typed error', async ({ text, field }) => {
    const error = await resolveKubeconfig(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidKubernetesInputError);
    expect(String((error as Error).message)).toMatch(field);
  });
});
