import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { AutoscalerFunction } from '../../cdk/lib/constructs/autoscaler-function.ts';
import { awsSolutionsFindings, TEST_ENTRY, testStack } from './cdk-test-support.ts';

describe('AutoscalerFunction', () => {
  it('creates a Node 24 arm64 function with its own log group and a role without managed policies', () => {
    const stack = testStack();
    new AutoscalerFunction(stack, 'Worker', { entry: TEST_ENTRY, environment: { FSA_TABLE_NAME: 'table' } });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 60,
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: Match.anyValue() },
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'flink-serverless-autoscaler',
          // run-time source maps cost cold-start time: off unless asked for
          NODE_OPTIONS: Match.absent(),
          FSA_TABLE_NAME: 'table',
        },
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      }),
      ManagedPolicyArns: Match.absent(),
    });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('maps stack traces to the sources at run time only when asked to', () => {
    const stack = testStack();
    new AutoscalerFunction(stack, 'Worker', { entry: TEST_ENTRY, sourceMapsInStackTraces: true });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
  });

  it('places the function in private subnets of a VPC when given one', () => {
    const stack = testStack();
    const vpc = new Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new AutoscalerFunction(stack, 'Worker', { entry: TEST_ENTRY, vpc });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
    });
    // Only the function's own findings matter here; the test VPC is not part of the product.
    expect(awsSolutionsFindings(stack).filter((f) => f.includes('/Worker/'))).toEqual([]);
  });

  it('bundles an ESM, minified bundle under 1 MB with a source map and the createRequire banner', () => {
    const stack = testStack({ bundle: true });
    new AutoscalerFunction(stack, 'Worker', { entry: TEST_ENTRY });
    const assembly = App.of(stack)!.synth() as { directory: string };

    const assetDirs = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assetDirs).toHaveLength(1);
    const dir = join(assembly.directory, assetDirs[0]!);
    expect(readdirSync(dir).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith("import { createRequire as __fsaCreateRequire } from 'node:module';")).toBe(
      true,
    );
    expect(statSync(join(dir, 'index.mjs')).size).toBeLessThan(1024 * 1024); // docs/design.md §8 budget
    // Only the undici modules the adapters use (lib/adapters/http/undici-core.ts), not its index
    // with fetch, WebSocket, mocks and the SQLite cache store.
    expect(bundle).not.toContain('SqliteCacheStore');
    expect(bundle).not.toContain('EventSource');
    // names survive minification for readable stack traces
    expect(bundle).toContain('FlinkRestClient');
  });

  it.each([
    {
      name: 'memory below 128 MB',
      props: { memorySize: 64 },
      error: /memorySize must be an integer between 128/,
    },
    {
      name: 'timeout above 15 minutes',
      props: { timeout: Duration.minutes(20) },
      error: /timeout \(seconds\)/,
    },
  ])('rejects $name', ({ props, error }) => {
    expect(() => new AutoscalerFunction(testStack(), 'F', { entry: TEST_ENTRY, ...props })).toThrow(error);
  });
});
