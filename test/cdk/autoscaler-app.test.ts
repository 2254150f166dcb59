import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AutoscalerStack } from '../../cdk/lib/autoscaler-stack.ts';
import { buildApp } from '../../cdk/lib/build-app.ts';
import { readStageConfig } from '../../cdk/lib/stage-config.ts';
import { awsSolutionsFindings } from './cdk-test-support.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CDK_JSON = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

describe('AutoscalerStack', () => {
  it('creates an alarm topic only when alarmEmail is set, and passes cdk-nag', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = readStageConfig({
      tryGetContext: (key) =>
        ({ clusters: ['prod-eks'], alarmEmail: 'oncall@example.com', region: 'eu-west-1' })[key as string],
    });
    const stack = new AutoscalerStack(app, 'Fsa', {
      config,
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });
});

describe('the CDK app', () => {
  it('ships no default cluster: without -c clusters, synth fails and says how to pass them', () => {
    expect(CDK_JSON.context['clusters']).toBeUndefined();
    expect(() => buildApp(new App({ context: CDK_JSON.context }), {})).toThrow(
      /context "clusters" is required: .* -c clusters='\[\{"name":"prod"\}\]'/,
    );
  });

  it('synthesizes offline in-process from the cdk.json context, bundles included', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'fsa-app-'));
    const app = buildApp(new App({ outdir, context: { ...CDK_JSON.context, clusters: 'prod-eks' } }), {});

    const assembly = app.synth();

    const stack = assembly.getStackByName('FlinkServerlessAutoscaler');
    expect(stack.environment.account).toBe('unknown-account'); // environment-agnostic: no lookups
    const template = stack.template as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(2);
    expect(readdirSync(outdir).filter((f) => f.startsWith('asset.'))).toHaveLength(2);
  });

  it('runs as `node cdk/bin/app.ts` (Node 24 type stripping), the way cdk.json launches it', () => {
    expect(CDK_JSON.app).toBe('node cdk/bin/app.ts');
    const outdir = mkdtempSync(join(tmpdir(), 'fsa-bin-'));

    execFileSync(process.execPath, ['cdk/bin/app.ts'], {
      cwd: ROOT,
      // Bundling is covered in-process above; here only the entry point and type stripping matter.
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({
          ...CDK_JSON.context,
          clusters: [{ name: 'prod-eks' }],
          'aws:cdk:bundling-stacks': [],
        }),
      },
      stdio: 'pipe',
    });

    expect(readdirSync(outdir)).toContain('FlinkServerlessAutoscaler.template.json');
  });
});

/** The app's stack template for the given context and CDK CLI environment, without bundling. */
function synthApp(context: Record<string, unknown>, processEnv: Record<string, string> = {}) {
  const app = buildApp(
    new App({ context: { ...CDK_JSON.context, ...context, 'aws:cdk:bundling-stacks': [] } }),
    processEnv,
  );
  const stack = app.node.findChild('FlinkServerlessAutoscaler') as AutoscalerStack;
  return { stack, template: Template.fromStack(stack) };
}

describe('the CDK app environment and clusters', () => {
  const CLI_ENV = { CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'eu-west-1' };

  it('takes account and region from CDK_DEFAULT_* when the context has none; context wins', () => {
    const { stack } = synthApp({ clusters: 'prod' }, CLI_ENV);
    expect([stack.account, stack.region]).toEqual(['210987654321', 'eu-west-1']);
    const { stack: pinned } = synthApp({ clusters: 'prod', account: '123456789012', region: 'us-west-2' }, CLI_ENV);
    expect([pinned.account, pinned.region]).toEqual(['123456789012', 'us-west-2']);
  });

  it('gives a cluster in another region its access entries there, never silently none', () => {
    const { template } = synthApp({ clusters: '[{"name":"prod","region":"us-east-1"}]' }, CLI_ENV);
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
    const entries = Object.values(template.findResources('Custom::EksAccessEntry'));
    expect(entries).toHaveLength(2); // dispatcher and worker
    for (const entry of entries) {
      const create = JSON.stringify(entry['Properties']['Create']);
      expect(create).toContain('\\"region\\":\\"us-east-1\\"');
      expect(create).toContain('\\"clusterName\\":\\"prod\\"');
    }
    // A cluster in the stack's region keeps the CloudFormation resource.
    synthApp({ clusters: '[{"name":"prod","region":"eu-west-1"}]' }, CLI_ENV).template.resourceCountIs(
      'AWS::EKS::AccessEntry',
      2,
    );
  });

  it('fails synth when a cluster region cannot be compared with an unknown stack region', () => {
    expect(() => synthApp({ clusters: '[{"name":"prod","region":"us-east-1"}]' })).toThrow(
      /cluster prod is in region us-east-1 but the stack's region is not known at synth time/,
    );
  });

  it('fails synth when one cluster name is given in two regions', () => {
    expect(() =>
      synthApp({ clusters: '[{"name":"prod","region":"eu-west-1"},{"name":"prod","region":"us-east-1"}]' }, CLI_ENV),
    ).toThrow(/cluster name prod is listed in two regions/);
  });

  it('puts the functions in the VPC of the context, with endpoints and the cluster ingress rule', () => {
    const { template } = synthApp(
      {
        clusters: 'private-eks',
        vpcId: 'vpc-0a1b2c3d4e5f67890',
        subnetIds: 'subnet-0a1b2c3d4e5f60001,subnet-0a1b2c3d4e5f60002',
        clusterSecurityGroupIds: 'sg-0c1a2b3c4d5e6f708',
        vpcEndpoints: 'true',
        routeTableIds: 'rtb-0a1b2c3d4e5f60001',
        tracing: 'true',
        workerReservedConcurrency: '20',
      },
      CLI_ENV,
    );
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f['Properties']);
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn['VpcConfig']['SubnetIds']).toEqual(['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002']);
      expect(fn['Environment']['Variables']['FSA_IN_VPC']).toBe('true');
      expect(fn['TracingConfig']).toEqual({ Mode: 'Active' });
    }
    expect(functions.map((f) => f['ReservedConcurrentExecutions'] ?? null).sort()).toEqual([20, null]);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 5);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      RouteTableIds: ['rtb-0a1b2c3d4e5f60001'],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: 'sg-0c1a2b3c4d5e6f708',
      FromPort: 443,
      ToPort: 443,
    });
  });
});
