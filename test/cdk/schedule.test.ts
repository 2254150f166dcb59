import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { rateExpression, Schedule } from '../../cdk/lib/constructs/schedule.ts';
import { testStack } from './cdk-test-support.ts';

function targetIn(stack: ReturnType<typeof testStack>) {
  return new LambdaFunction(stack, 'Target', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async () => {};'),
  });
}

describe('Schedule', () => {
  it('creates an EventBridge Scheduler schedule at 1 minute with its own role', () => {
    const stack = testStack();
    new Schedule(stack, 'Tick', { target: targetIn(stack) });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Target'), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^TickRole'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        // EventBridge Scheduler sends no event: the scheduled time is the tick's identity.
        Input: '{"time":"<aws.scheduler.scheduled-time>"}',
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Target'), 'Arn'] },
          },
        ],
      },
    });
  });

  it.each([
    { rate: Duration.minutes(1), expected: 'rate(1 minute)' },
    { rate: Duration.minutes(5), expected: 'rate(5 minutes)' },
    { rate: Duration.hours(1), expected: 'rate(60 minutes)' },
  ])('renders $expected', ({ rate, expected }) => {
    expect(rateExpression(rate)).toBe(expected);
  });

  it.each([
    { rate: Duration.seconds(30), error: /whole number of minutes/ },
    { rate: Duration.minutes(0), error: /between 1 and 60/ },
    { rate: Duration.minutes(90), error: /between 1 and 60/ },
  ])('rejects $rate', ({ rate, error }) => {
    const stack = testStack();
    expect(() => new Schedule(stack, 'Tick', { target: targetIn(stack), rate })).toThrow(error);
  });
});
