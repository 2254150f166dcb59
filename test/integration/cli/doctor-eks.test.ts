import { readFileSync } from 'node:fs';
import {
  type DescribeAccessEntryCommand,
  type DescribeAccessEntryCommandOutput,
  DescribeClusterCommand,
  type DescribeClusterCommandOutput,
} from '@aws-sdk/client-eks';
import type { GetFunctionConfigurationCommand, GetFunctionConfigurationCommandOutput } from '@aws-sdk/client-lambda';
import { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerDoctorCommand } from '../../../bin/commands/doctor.ts';
import type { EksAccessApi, LambdaConfigurationApi } from '../../../lib/adapters/kubernetes/auth/eks-cluster-access.ts';
import type { DoctorCheck } from '../../../lib/report/doctor/index.ts';
import { type KubernetesEmulator, startKubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';
import { createTestCertificates, type TestCertificates } from '../kubernetes/test-certificates.ts';

/**
 * `fsa doctor --eks-cluster`: EKS and Lambda are stubbed (AWS endpoints are outside our control);
 * the Kubernetes side is the emulator over TLS, reached with endpoint and CA from the stubbed
 * DescribeCluster and an IAM token, like the deployed functions reach a cluster.
 */

const WORKER_ROLE = 'arn:aws:iam::111122223333:role/fsa-worker';
const DISPATCHER_ROLE = 'arn:aws:iam::111122223333:role/fsa-dispatcher';
let certs: TestCertificates;
let emulator: KubernetesEmulator;
const calls: string[] = [];

beforeAll(async () => {
  certs = createTestCertificates();
  emulator = await startKubernetesEmulator({
    token: (token) => token.startsWith('k8s-aws-v1.'),
    tls: { certPem: certs.serverCertPem, keyPem: certs.serverKeyPem },
  });
  const rbac = readFileSync(new URL('../../../k8s/rbac.yaml', import.meta.url), 'utf8');
  for (const doc of parseAllDocuments(rbac)) emulator.apply(doc.toJS() as Record<string, unknown>);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await emulator?.close();
});

/** The EKS API of a cluster with a CIDR-restricted public endpoint and an entry for the worker only. */
function stubEks(authenticationMode: string): EksAccessApi {
  const send = async (command: DescribeClusterCommand | DescribeAccessEntryCommand) => {
    if (command instanceof DescribeClusterCommand) {
      calls.push(`DescribeCluster ${command.input.name}`);
      return {
        $metadata: {},
        cluster: {
          name: command.input.name,
          status: 'ACTIVE',
          endpoint: emulator.url,
          certificateAuthority: { data: Buffer.from(certs.caPem).toString('base64') },
          accessConfig: { authenticationMode },
          resourcesVpcConfig: {
            endpointPublicAccess: true,
            endpointPrivateAccess: false,
            publicAccessCidrs: ['203.0.113.0/24'],
            clusterSecurityGroupId: 'sg-0cluster',
          },
        },
      } as DescribeClusterCommandOutput;
    }
    calls.push(`DescribeAccessEntry ${command.input.principalArn}`);
    if (command.input.principalArn !== WORKER_ROLE) {
      throw Object.assign(new Error(`The specified principal was not found`), { name: 'ResourceNotFoundException' });
    }
    return {
      $metadata: {},
      accessEntry: { principalArn: WORKER_ROLE, type: 'STANDARD', kubernetesGroups: ['flink-serverless-autoscaler'] },
    } as DescribeAccessEntryCommandOutput;
  };
  return { send } as EksAccessApi;
}

/** Lambda: the worker runs outside any VPC. */
const stubLambda: LambdaConfigurationApi = {
  async send(command: GetFunctionConfigurationCommand): Promise<GetFunctionConfigurationCommandOutput> {
    calls.push(`GetFunctionConfiguration ${command.input.FunctionName}`);
    return { $metadata: {}, Role: WORKER_ROLE, VpcConfig: { SubnetIds: [], SecurityGroupIds: [] } };
  },
};

async function doctorEks(authenticationMode: string, ...args: string[]) {
  let exitCode: number | undefined;
  const program = new Command().exitOverride();
  registerDoctorCommand(program, {
    eks: () => stubEks(authenticationMode),
    lambda: () => stubLambda,
    setExitCode: (code) => (exitCode = code),
  });
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
  try {
    await program.parseAsync(['node', 'fsa', 'doctor', '--eks-cluster', 'prod', '--region', 'eu-west-1', '--json', ...args]);
  } finally {
    spy.mockRestore();
  }
  return { checks: (JSON.parse(lines.join('\n')) as { checks: DoctorCheck[] }).checks, exitCode };
}

describe('fsa doctor --eks-cluster', () => {
  it('checks authentication mode, endpoint access vs the worker VPC config, and both access entries', async () => {
    const { checks, exitCode } = await doctorEks(
      'API_AND_CONFIG_MAP',
      '--worker-function',
      'fsa-worker',
      '--dispatcher-role-arn',
      DISPATCHER_ROLE,
    );
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['authentication mode']?.status).toBe('pass');
    expect(byName['API endpoint access']).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/CIDRs 203\.0\.113\.0\/24.*not in a VPC \(VpcConfig of fsa-worker\)/),
      fix: expect.stringMatching(/cluster security group sg-0cluster on 443/),
    });
    expect(byName['worker access entry']).toMatchObject({ status: 'pass', detail: `${WORKER_ROLE} → group(s) flink-serverless-autoscaler` });
    expect(byName['dispatcher access entry']).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/aws eks create-access-entry --cluster-name prod --principal-arn arn:aws:iam::111122223333:role\/fsa-dispatcher/),
    });
    // the Kubernetes side was reached with the DescribeCluster endpoint, CA and an IAM token
    expect(byName['Kubernetes API']?.status).toBe('pass');
    expect(checks.filter((c) => c.section === 'rbac').every((c) => c.status === 'pass')).toBe(true);
    expect(exitCode).toBe(1);
    expect(calls).toEqual(
      expect.arrayContaining(['GetFunctionConfiguration fsa-worker', `DescribeAccessEntry ${WORKER_ROLE}`, `DescribeAccessEntry ${DISPATCHER_ROLE}`]),
    );
  });

  it('fails a cluster that ignores access entries, and skips entries it has no role for', async () => {
    const { checks } = await doctorEks('CONFIG_MAP', '--function-network', 'vpc');
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName['authentication mode']).toMatchObject({ status: 'fail', fix: expect.stringMatching(/authenticationMode=API_AND_CONFIG_MAP/) });
    expect(byName['worker access entry']?.status).toBe('skip');
    // in a VPC, a restricted public endpoint without private access needs a listed NAT address
    expect(byName['API endpoint access']?.detail).toMatch(/NAT gateway whose address must be in the allowed CIDRs/);
  });
});
