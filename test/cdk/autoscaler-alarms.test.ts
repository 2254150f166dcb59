import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AlarmTopic } from '../../cdk/lib/constructs/alarm-topic.ts';
import { AutoscalerAlarms } from '../../cdk/lib/constructs/autoscaler-alarms.ts';
import { awsSolutionsFindings, testStack } from './cdk-test-support.ts';

describe('AutoscalerAlarms', () => {
  it('alarms only on fleet metrics (Service dimension), which the reporter writes for every job by default', () => {
    const stack = testStack();
    new AutoscalerAlarms(stack, 'Alarms', { serviceName: 'fsa-test', deadLetterQueue: new Queue(stack, 'Dlq') });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    const ours = alarms.filter((a) => a['Properties']['Namespace'] === 'FlinkServerlessAutoscaler');
    expect(ours.length).toBeGreaterThan(0);
    for (const alarm of ours) {
      expect(alarm['Properties']['Dimensions']).toEqual([{ Name: 'Service', Value: 'fsa-test' }]);
    }
  });

  it('alarms on run errors, DLQ depth, stale evaluations and stuck jobs', () => {
    const stack = testStack();
    new AutoscalerAlarms(stack, 'Alarms', {
      serviceName: 'fsa-test',
      deadLetterQueue: new Queue(stack, 'Dlq'),
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'FlinkServerlessAutoscaler',
      MetricName: 'StuckJobs',
      Dimensions: [{ Name: 'Service', Value: 'fsa-test' }],
      Statistic: 'Maximum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'FlinkServerlessAutoscaler',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'Service', Value: 'fsa-test' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'JobsEvaluated',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
  });

  it('disables the stale alarm with staleEvaluationPeriods 0 and notifies a topic', () => {
    const stack = testStack();
    const topic = new Topic(stack, 'Topic');
    new AutoscalerAlarms(stack, 'Alarms', {
      serviceName: 'fsa-test',
      deadLetterQueue: new Queue(stack, 'Dlq'),
      topic,
      staleEvaluationPeriods: 0,
      stuckJobsAlarm: false,
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Topic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^Topic') }],
    });
  });

  it('rejects more datapoints than evaluation periods', () => {
    const stack = testStack();
    expect(
      () =>
        new AutoscalerAlarms(stack, 'Alarms', {
          serviceName: 's',
          deadLetterQueue: new Queue(stack, 'Dlq'),
          errorDatapointsToAlarm: 4,
          errorEvaluationPeriods: 3,
        }),
    ).toThrow(/errorDatapointsToAlarm must be an integer between 1 and 3, got 4/);
  });
});

describe('AlarmTopic', () => {
  it('creates a KMS-encrypted, SSL-only topic CloudWatch can publish to, with email subscriptions', () => {
    const stack = testStack();
    new AlarmTopic(stack, 'AlarmTopic', { emails: ['oncall@example.com'] });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      }),
    });
    template.resourceCountIs('AWS::SNS::TopicPolicy', 1);
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('rejects an invalid email', () => {
    expect(() => new AlarmTopic(testStack(), 'T', { emails: ['not-an-email'] })).toThrow(
      /not an email address/,
    );
  });
});
