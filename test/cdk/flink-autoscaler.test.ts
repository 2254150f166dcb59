import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
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
    // dispatcher, worker, and the provider of the cross-region access entries (AwsCustomResource)
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    // 2 roles × 1 cluster in the stack's region; the us-east-1 cluster's entries are created by
    // EKS calls in us-east-1 (AWS::EKS::AccessEntry only exists in the stack's region)
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    template.resourceCountIs('Custom::EksAccessEntry', 2);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });

  it('wires the worker to the FIFO queue: batches of 10 jobs, partial batch failures, maximum concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    // visibility 6 × the 120 s worker timeout
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 720 });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 120 });
    // The worker runs the batch's cycles at once, up to the batch size by default.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FSA_CYCLE_CONCURRENCY: '10' }) },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, VisibilityTimeout: 720 });
  });

  it('gives the worker the vertex-detail interval of the cycle records: 5 minutes by default, or as set', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FSA_VERTEX_DETAIL_INTERVAL_MS: '300000' }) },
    });
    build({ vertexDetailInterval: Duration.minutes(0) }).template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FSA_VERTEX_DETAIL_INTERVAL_MS: '0' }) },
    });
  });

  it('passes a smaller batch size and its own cycle concurrency through', () => {
    const small = build({ workerBatchSize: 4, cycleConcurrency: 2 }).template;
    small.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 4 });
    small.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FSA_CYCLE_CONCURRENCY: '2' }) },
    });
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
          // The worker sizes the metric window's look-back from the schedule's interval.
          FSA_CADENCE_MS: '60000',
          FSA_TABLE_NAME: Match.anyValue(),
          POWERTOOLS_METRICS_NAMESPACE: 'FlinkServerlessAutoscaler',
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FSA_QUEUE_URL: Match.anyValue() }) },
    });
  });

  it('never retries a failed dispatcher tick asynchronously: the next tick does the work', () => {
    const dispatcher = stack.getLogicalId(autoscaler.dispatcher.function.node.defaultChild as never);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: dispatcher },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
  });

  it('passes a 5-minute schedule interval on as the cycles\' cadence', () => {
    const five = build({ scheduleRate: Duration.minutes(5) }).template;
    five.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ FSA_CADENCE_MS: '300000' }) },
    });
    five.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('lets the dispatcher query only the job registry partition, for clean-up', () => {
    const statements = statementsOf(template, dispatcherRole);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['JOBS'] } },
      }),
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ FSA_QUEUE_URL: Match.anyValue(), FSA_TABLE_NAME: Match.anyValue() }),
      },
    });
  });

  it('sets no policy hook and grants no invoke by default', () => {
    const actions = statementsOf(template, workerRole).flatMap((s) => [s['Action']].flat());
    expect(actions).not.toContain('lambda:InvokeFunction');
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ FSA_POLICY_FUNCTION: Match.anyValue() }) } },
      0,
    );
  });

  it('lets the dispatcher describe the configured clusters and send to the queue, nothing else', () => {
    const statements = statementsOf(template, dispatcherRole);
    const actions = statements.flatMap((s) => [s['Action']].flat());
    expect(actions.sort()).toEqual([
      'dynamodb:Query',
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
      // The name is the cluster's identity in job keys and state (synth error rather than a
      // region in every job key).
      name: 'one cluster name in two regions',
      props: { clusters: [{ name: 'a' }, { name: 'a', region: 'us-east-1' }] },
      error: /cluster name a is listed in two regions \(eu-west-1 and us-east-1\).*must be unique/,
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
      name: 'a batch size above the FIFO limit of 10',
      props: { workerBatchSize: 11 },
      error: /workerBatchSize must be an integer between 1 and 10, got 11/,
    },
    {
      name: 'a cycle concurrency of 0',
      props: { cycleConcurrency: 0 },
      error: /cycleConcurrency must be an integer between 1 and 100, got 0/,
    },
    {
      name: 'a vertex-detail interval of 90 seconds',
      props: { vertexDetailInterval: Duration.seconds(90) },
      error: /vertexDetailInterval \(minutes\) must be an integer between 0 and 60, got 1.5/,
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

describe('FlinkAutoscaler policy hook', () => {
  it('passes an ARN, failure mode and timeout to the worker and grants invoke on that function only', () => {
    const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:scaling-policy';
    const { stack, autoscaler, template } = build({
      policyFunction: arn,
      policyFailureMode: 'fail-open',
      policyTimeout: Duration.seconds(3),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          FSA_POLICY_FUNCTION: arn,
          FSA_POLICY_FAILURE_MODE: 'fail-open',
          FSA_POLICY_TIMEOUT_MS: '3000',
        }),
      },
    });
    const workerRole = stack.getLogicalId(autoscaler.worker.role.node.defaultChild as never);
    expect(statementsOf(template, workerRole)).toContainEqual(
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Resource: [arn, `${arn}:*`] }),
    );
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('defaults to fail-closed and 5 s', () => {
    const { stack, template } = build({ policyFunction: 'scaling-policy' });
    expect(awsSolutionsFindings(stack)).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          FSA_POLICY_FAILURE_MODE: 'fail-closed',
          FSA_POLICY_TIMEOUT_MS: '5000',
        }),
      },
    });
  });

  it('accepts a Function construct and passes its ARN', () => {
    const stack = testStack({ region: 'eu-west-1' });
    const policy = LambdaFunction.fromFunctionArn(
      stack,
      'Policy',
      'arn:aws:lambda:eu-west-1:123456789012:function:scaling-policy',
    );
    new FlinkAutoscaler(stack, 'Autoscaler', { clusters: [{ name: 'prod-eks' }], policyFunction: policy });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          FSA_POLICY_FUNCTION: 'arn:aws:lambda:eu-west-1:123456789012:function:scaling-policy',
        }),
      },
    });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it.each([
    { props: { policyFunction: 'not a name!' }, message: /policyFunction "not a name!"/ },
    { props: { policyFunction: 'p', policyFailureMode: 'open' as never }, message: /policyFailureMode/ },
    { props: { policyFunction: 'p', policyTimeout: Duration.minutes(3) }, message: /policyTimeout/ },
    { props: { policyTimeout: Duration.seconds(2) }, message: /need policyFunction/ },
  ])('rejects invalid policy props: $message', ({ props, message }) => {
    expect(() => build(props)).toThrow(message);
  });
});
