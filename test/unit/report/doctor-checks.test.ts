import { describe, expect, it } from 'vitest';
import {
  checkAccessEntry,
  checkAuthenticationMode,
  checkEndpointAccess,
  checkFlinkCrds,
  checkJob,
  checkOperatorVersion,
  type ClusterAccessConfig,
  doctorExitCode,
  type JobProbe,
  operatorVersionOf,
  parseMajorMinor,
  summarizeChecks,
} from '../../../lib/report/doctor/index.ts';

const cluster = (over: Partial<ClusterAccessConfig> = {}): ClusterAccessConfig => ({
  clusterName: 'prod',
  authenticationMode: 'API_AND_CONFIG_MAP',
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
  clusterSecurityGroupId: 'sg-0cluster',
  ...over,
});

describe('authentication mode', () => {
  it.each([
    ['API', 'pass'],
    ['API_AND_CONFIG_MAP', 'pass'],
    ['CONFIG_MAP', 'fail'],
    [undefined, 'warn'],
  ] as const)('%s is %s', (mode, status) => {
    const check = checkAuthenticationMode(cluster({ ...(mode ? { authenticationMode: mode } : { authenticationMode: undefined }) }));
    expect(check.status).toBe(status);
    if (status !== 'pass') expect(check.fix).toMatch(/update-cluster-config --name prod --access-config authenticationMode=API_AND_CONFIG_MAP/);
  });
});

describe('endpoint access against the functions network', () => {
  const restricted = { publicAccessCidrs: ['203.0.113.0/24'] };
  it.each([
    ['open public endpoint, not in a VPC', {}, false, 'pass'],
    ['open public endpoint, network unknown', {}, undefined, 'pass'],
    ['CIDR-restricted endpoint, not in a VPC', restricted, false, 'fail'],
    ['private-only endpoint, not in a VPC', { endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: [] }, false, 'fail'],
    ['private-only endpoint, in the VPC', { endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: [] }, true, 'pass'],
    ['restricted public + private, in the VPC', { ...restricted, endpointPrivateAccess: true }, true, 'pass'],
    ['restricted public only, in a VPC (NAT address must be listed)', restricted, true, 'fail'],
    ['open public only, in a VPC (needs a NAT route)', {}, true, 'warn'],
    ['private-only endpoint, network unknown', { endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: [] }, undefined, 'warn'],
  ] as const)('%s → %s', (_, over, inVpc, status) => {
    const check = checkEndpointAccess(cluster(over), { inVpc, source: 'test' });
    expect(check.status).toBe(status);
    if (status === 'fail' && inVpc === false) expect(check.fix).toMatch(/ingress rule .* sg-0cluster on 443/);
  });
});

describe('access entries', () => {
  const expected = { role: 'worker' as const, principalArn: 'arn:aws:iam::111122223333:role/worker', expectedGroup: 'flink-serverless-autoscaler' };
  it('passes an entry mapping the role to the expected group', () => {
    expect(checkAccessEntry('prod', expected, { type: 'STANDARD', kubernetesGroups: ['flink-serverless-autoscaler'] }).status).toBe('pass');
  });
  it('fails a missing entry with the command that creates it', () => {
    expect(checkAccessEntry('prod', expected, undefined)).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/create-access-entry --cluster-name prod --principal-arn arn:aws:iam::111122223333:role\/worker --type STANDARD --kubernetes-groups flink-serverless-autoscaler/),
    });
  });
  it('fails an entry in another group and one of another type', () => {
    expect(checkAccessEntry('prod', expected, { type: 'STANDARD', kubernetesGroups: ['viewers'] })).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/group\(s\) viewers, not flink-serverless-autoscaler/),
    });
    expect(checkAccessEntry('prod', expected, { type: 'EC2_LINUX', kubernetesGroups: [] }).status).toBe('fail');
  });
});

describe('operator', () => {
  it('reads the version from the Helm label, else from the image tag, never from a digest', () => {
    expect(operatorVersionOf({ namespace: 'o', name: 'op', versionLabel: '1.15.0', images: [] })).toBe('1.15.0');
    expect(operatorVersionOf({ namespace: 'o', name: 'op', images: ['ghcr.io/apache/flink-kubernetes-operator:1.13.1'] })).toBe('1.13.1');
    expect(operatorVersionOf({ namespace: 'o', name: 'op', images: ['registry:5000/flink-kubernetes-operator@sha256:abc'] })).toBeUndefined();
  });
  it('warns on an operator older than the verified release or not found', () => {
    expect(checkOperatorVersion([{ namespace: 'o', name: 'op', versionLabel: '1.13.1', images: [] }]).status).toBe('warn');
    expect(checkOperatorVersion([{ namespace: 'o', name: 'op', versionLabel: '1.16.0', images: [] }]).status).toBe('pass');
    expect(checkOperatorVersion([]).status).toBe('warn');
    expect(checkOperatorVersion({ error: 'forbidden' }).status).toBe('warn');
  });
  it('fails when the Flink CRDs are not served', () => {
    expect(checkFlinkCrds(undefined).status).toBe('fail');
    expect(checkFlinkCrds(['flinksessionjobs']).status).toBe('fail');
    expect(checkFlinkCrds(['flinkdeployments']).status).toBe('warn');
    expect(checkFlinkCrds(['flinkdeployments', 'flinkdeployments/status', 'flinksessionjobs']).status).toBe('pass');
  });
});

describe('per-job checks', () => {
  const probe = (over: Partial<JobProbe> = {}): JobProbe => ({
    subject: 'ns/job (FlinkDeployment)',
    readiness: { ready: true },
    specFlinkVersion: 'v1_18',
    rest: { via: 'service-proxy', baseUrl: 'https://api/api/v1/namespaces/ns/services/job-rest:rest/proxy', service: { namespace: 'ns', name: 'job-rest' } },
    restProbe: { reachable: true, flinkVersion: '1.18.1', metrics: { found: true, vertex: 'Source', value: 412 } },
    ...over,
  });
  const statuses = (p: JobProbe) => Object.fromEntries(checkJob(p).map((c) => [c.name, c.status]));

  it('passes a ready job on Flink 1.18 with metrics', () => {
    expect(Object.values(statuses(probe()))).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });
  it('fails Flink before 1.17, by REST or by spec', () => {
    expect(statuses(probe({ restProbe: { reachable: true, flinkVersion: '1.16.3', metrics: { skipped: 'x' } } }))['Flink version']).toBe('fail');
    expect(statuses(probe({ specFlinkVersion: 'v1_15', restProbe: { reachable: false, error: 'timeout' } }))['Flink version']).toBe('fail');
    expect(parseMajorMinor('2.0-SNAPSHOT')).toEqual([2, 0]);
  });
  it('fails a refused resource, warns a transient state', () => {
    const refused = probe({ readiness: { ready: false, code: 'ambiguous-configuration', refused: true, reason: 'a both flat and nested' } });
    expect(statuses(refused)['readiness']).toBe('fail');
    const deploying = probe({ readiness: { ready: false, code: 'lifecycle', refused: false, reason: 'lifecycleState is DEPLOYING' } });
    expect(statuses(deploying)['readiness']).toBe('warn');
  });
  it('fails a running job without busyTimeMsPerSecond', () => {
    const p = probe({ restProbe: { reachable: true, flinkVersion: '1.18.1', metrics: { found: false, reason: 'no vertex reports it' } } });
    expect(statuses(p)['metric busyTimeMsPerSecond']).toBe('fail');
  });
  it('names the annotation URL in the fix of an unreachable annotated endpoint', () => {
    const p = probe({ rest: { via: 'annotation', baseUrl: 'http://jm:8081' }, restProbe: { reachable: false, error: 'ECONNREFUSED' } });
    expect(checkJob(p).find((c) => c.name === 'Flink REST API')?.fix).toMatch(/http:\/\/jm:8081 \(annotation flink-serverless-autoscaler\/rest-url\)/);
  });
});

describe('summary and exit code', () => {
  it('exits 1 on any failure, 0 with warnings only', () => {
    const pass = checkFlinkCrds(['flinkdeployments', 'flinksessionjobs']);
    const warn = checkOperatorVersion([]);
    const fail = checkFlinkCrds(undefined);
    expect(doctorExitCode([pass, warn])).toBe(0);
    expect(doctorExitCode([pass, warn, fail])).toBe(1);
    expect(summarizeChecks([pass, warn, fail])).toEqual({ pass: 1, warn: 1, fail: 1, skip: 0 });
  });
});
