/**
 * Security: least-privilege IAM (no wildcard action; a `*` resource only for actions AWS cannot
 * scope, each listed here with why), minimal RBAC, and tokens and credentials never in the logs
 * or metrics (a fault run through the full wiring, with the Powertools logger at DEBUG, scanned).
 */
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FlinkAutoscaler } from '../../cdk/lib/flink-autoscaler.ts';
import { testStack } from '../cdk/cdk-test-support.ts';
import { type ReliabilityWorld, startReliabilityWorld } from '../reliability/support/reliability-world.ts';

/** Actions AWS only authorizes on `Resource: "*"`, and why each is needed. */
const WILDCARD_RESOURCE_ALLOWED: Readonly<Record<string, string>> = {
  'cloudwatch:PutMetricData': 'CloudWatch metrics have no resource ARN (scoped by a namespace condition)',
  'xray:PutTraceSegments': 'X-Ray has no resource-level permissions',
  'xray:PutTelemetryRecords': 'X-Ray has no resource-level permissions',
  'ec2:DescribeInstanceTypes': 'EC2 Describe* calls support no resource-level permissions',
  'ec2:CreateNetworkInterface': 'Lambda in a VPC: ENI actions support no resource-level permissions',
  'ec2:DescribeNetworkInterfaces': 'Lambda in a VPC: ENI actions support no resource-level permissions',
  'ec2:DeleteNetworkInterface': 'Lambda in a VPC: ENI actions support no resource-level permissions',
  'ec2:AssignPrivateIpAddresses': 'Lambda in a VPC: ENI actions support no resource-level permissions',
  'ec2:UnassignPrivateIpAddresses': 'Lambda in a VPC: ENI actions support no resource-level permissions',
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

describe('IAM of the FlinkAutoscaler construct', () => {
  const stack = testStack();
  new FlinkAutoscaler(stack, 'Autoscaler', {
    clusters: [
      { name: 'prod-eks', namespaces: ['flink'] },
      { name: 'other', region: 'us-east-1' },
    ],
  });
  const template = Template.fromStack(stack);
  const statements: Statement[] = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );

  it('has policies to check', () => {
    expect(statements.length).toBeGreaterThan(3);
  });

  it('grants no wildcard action', () => {
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
  });

  it('uses a * resource only for actions AWS cannot scope, each documented', () => {
    const offending: string[] = [];
    for (const s of statements) {
      const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
      if (!resources.includes('*')) continue;
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      for (const action of actions) if (!(action in WILDCARD_RESOURCE_ALLOWED)) offending.push(action);
    }
    expect(offending).toEqual([]);
  });

  it('no resource ARN ends in a bare wildcard over a whole service', () => {
    const text = JSON.stringify(statements.map((s) => s.Resource));
    expect(text).not.toMatch(/arn:aws:[a-z0-9-]+:::\*"|:\*:\*"|"arn:\$\{AWS::Partition\}:[a-z0-9-]+:\*"/);
  });
});

describe('RBAC manifest', () => {
  const docs = parseAllDocuments(readFileSync(new URL('../../k8s/rbac.yaml', import.meta.url), 'utf8')).map(
    (d) => d.toJS() as Record<string, unknown>,
  );
  type Role = { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
  const roles = docs.filter((d) => d['kind'] === 'ClusterRole') as unknown as (Role & {
    metadata: { name: string };
  })[];
  const flatten = (role: Role) =>
    role.rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${res}:${v}`)));

  it('grants no wildcard, no secrets, and writes only what the worker writes', () => {
    expect(roles.map((r) => r.metadata.name).sort()).toEqual([
      'flink-serverless-autoscaler',
      'flink-serverless-autoscaler-dispatcher',
    ]);
    for (const role of roles) {
      const flat = flatten(role);
      expect(role.rules.flatMap((r) => [...r.apiGroups, ...r.resources, ...r.verbs])).not.toContain('*');
      expect(flat.filter((x) => /secret|configmap|serviceaccount|role/.test(x))).toEqual([]);
      expect(flat.filter((x) => /:(watch|delete|deletecollection|escalate|bind|impersonate)$/.test(x))).toEqual(
        [],
      );
    }
    const writes = (role: Role) =>
      flatten(role)
        .filter((x) => /:(create|update|patch|delete|deletecollection)$/.test(x))
        .sort();
    const worker = roles.find((r) => r.metadata.name === 'flink-serverless-autoscaler')!;
    const dispatcher = roles.find((r) => r.metadata.name === 'flink-serverless-autoscaler-dispatcher')!;
    expect(writes(worker)).toEqual(
      ['events:create', 'events:patch', 'flinkdeployments:patch', 'flinksessionjobs:patch'].sort(),
    );
    // The dispatcher only lists jobs: no write of any kind.
    expect(writes(dispatcher)).toEqual([]);
  });
});

describe('tokens and credentials never logged', () => {
  let world: ReliabilityWorld;
  beforeAll(async () => {
    world = await startReliabilityWorld({ jobs: ['s-one', 's-two'] });
    // A run with failures on every path that logs: Flink 500s, a Kubernetes 401 (token expiry),
    // DynamoDB throttling, a Kubernetes 500 on the patch.
    for (let i = 0; i < 7; i++) {
      if (i === 2) world.sims.get('s-one')!.injectFault({ status: 500, times: 3 });
      if (i === 3) world.token.rotate();
      if (i === 4) world.dynamo.inject({ operation: 'PutItem', times: 2, errorType: 'ThrottlingException' });
      if (i === 5) world.emulator.intercept({ method: 'PATCH', times: 4 }, { status: 500 });
      await world.tick();
    }
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });

  it('captured a real run with errors at every level', () => {
    expect(world.logLines.length).toBeGreaterThan(20);
    expect(world.logLines.some((l) => l.includes('"level":"ERROR"'))).toBe(true);
    expect(world.token.issued.length).toBe(2);
  });

  it('no bearer token, authorization header or AWS secret appears in any log line or metric', () => {
    const everything = [...world.logLines, ...world.emfLines].join('\n');
    for (const token of world.token.issued) expect(everything).not.toContain(token);
    expect(everything).not.toMatch(/Bearer\s+\S/i);
    expect(everything).not.toMatch(/"authorization"\s*:/i);
    expect(everything).not.toContain('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(everything).not.toMatch(/k8s-aws-v1\.[A-Za-z0-9_-]{20,}/);
  });
});
