import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FlinkAutoscaler, type FlinkAutoscalerProps } from '../../cdk/lib/flink-autoscaler.ts';
import { awsSolutionsFindings, testStack } from './cdk-test-support.ts';

function build(props: Partial<FlinkAutoscalerProps> = {}, region: string | null = 'eu-west-1') {
  const stack = testStack({ region });
  const autoscaler = new FlinkAutoscaler(stack, 'Autoscaler', {
    clusters: [
      { name: 'prod-eks', namespaces: ['flink'] },
      { name: 'other', region: 'us-east-1' },
    ],
    deploymentDefaults: { 'job.autoscaler.target.utilization': '0.6' },
    ...props,
  });
  return { stack, autoscaler, template: Template.fromStack(stack) };
}

/** All IAM policy statements of one role, by the role's construct. */
function statementsOf(template: Template, roleLogicalId: string): Array<Record<string, unknown>> {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
  });
  return Object.values(policies).flatMap((p) => p['Properties']['PolicyDocument']['Statement']);
}

describe('FlinkAutoscaler', () => {
  const { stack, autoscaler, template } = build();
  const dispatcherRole = stack.getLogicalId(autoscaler.dispatcher.role.node.defaultChild as never);
  const workerRole = stack.getLogicalId(autoscaler.worker.role.node.defaultChild as never);

  it('composes table, queue, two functions, schedule, access entries, dashboard and alarms', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    // 2 roles × 1 cluster in the stack's region (the us-east-1 cluster is mapped by the user)
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });

  it('wires the worker to the queue: batch size 1, partial batch failures, maximum concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    // visibility 6 × the 120 s worker timeout
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 720 });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 120 });
  });

  it('passes clusters and deployment defaults to the functions as JSON', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          FSA_CLUSTERS: JSON.stringify([
            { name: 'prod-eks', region: 'eu-west-1', namespaces: ['flink'] },
            { name: 'other', region: 'us-east-1' },
          ]),
          FSA_DEPLOYMENT_DEFAULTS: '{"job.autoscaler.target.utilization":"0.6"}',
          FSA_TABLE_NAME: Match.anyValue(),
          POWERTOOLS_METRICS_NAMESPACE: 'FlinkServerlessAutoscaler',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FSA_QUEUE_URL: Match.anyValue() }) },
    });
  });

  it('lets the dispatcher describe the configured clusters and send to the queue, nothing else', () => {
    const statements = statementsOf(template, dispatcherRole);
    const actions = statements.flatMap((s) => [s['Action']].flat());
    expect(actions.sort()).toEqual([
      'eks:DescribeCluster',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'sqs:SendMessage',
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'eks:DescribeCluster',
        Resource: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':eks:eu-west-1:123456789012:cluster/prod-eks'],
            ],
          },
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':eks:us-east-1:123456789012:cluster/other'],
            ],
          },
        ],
      }),
    );
  });

  it('gives the worker specific table, EKS and queue actions, never a wildcard action', () => {
    const statements = statementsOf(template, workerRole);
    const actions = statements.flatMap((s) => [s['Action']].flat() as string[]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'eks:DescribeCluster',
        'eks:ListNodegroups',
        'eks:DescribeNodegroup',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
      ]),
    );
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    expect(actions).not.toContain('cloudwatch:PutMetricData');
    expect(actions).not.toContain('sqs:SendMessage');
  });

  it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('has no cdk-nag findings in an environment-agnostic stack either', () => {
    const { stack: agnostic } = build({ clusters: [{ name: 'prod-eks' }] }, null);
    expect(awsSolutionsFindings(agnostic)).toEqual([]);
  });

  it.each([
    { name: 'no clusters', props: { clusters: [] }, error: /at least one EKS cluster/ },
    {
      name: 'a bad cluster name',
      props: { clusters: [{ name: 'bad name' }] },
      error: /not a valid EKS cluster name/,
    },
    {
      name: 'a bad region',
      props: { clusters: [{ name: 'a', region: 'mars' }] },
      error: /not an AWS region/,
    },
    {
      name: 'a duplicate cluster',
      props: { clusters: [{ name: 'a' }, { name: 'a', region: 'eu-west-1' }] },
      error: /listed twice/,
    },
    {
      name: 'a bad namespace',
      props: { clusters: [{ name: 'a', namespaces: ['Flink'] }] },
      error: /namespace name/,
    },
    {
      name: 'concurrency 1',
      props: { workerConcurrency: 1 },
      error: /workerConcurrency must be an integer between 2 and 1000/,
    },
    {
      name: 'oversized deployment defaults',
      props: { deploymentDefaults: { k: 'x'.repeat(3000) } },
      error: /at most 2048 fit in the Lambda environment/,
    },
    {
      name: 'a sub-minute schedule',
      props: { scheduleRate: Duration.seconds(30) },
      error: /whole number of minutes/,
    },
  ])('rejects $name at synth time', ({ props, error }) => {
    expect(() => build(props as Partial<FlinkAutoscalerProps>)).toThrow(error);
  });
});
