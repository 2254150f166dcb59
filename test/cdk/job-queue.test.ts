import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../cdk/lib/constructs/job-queue.ts';
import { awsSolutionsFindings, testStack } from './cdk-test-support.ts';

describe('JobQueue', () => {
  it('creates an encrypted FIFO queue with a FIFO DLQ and a visibility timeout of 6 × the worker timeout', () => {
    const stack = testStack();
    new JobQueue(stack, 'Jobs', { workerTimeout: Duration.minutes(2) });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      // The dispatcher sets a de-duplication id (job + tick); content-based would also drop a
      // legitimately repeated body.
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      VisibilityTimeout: 720, // 6 × 120 s
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 3600,
      // Only never-succeeding messages are reported failed; a died invocation gets one more receive.
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: 2 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    // enforceSSL on both queues
    template.resourceCountIs('AWS::SQS::QueuePolicy', 2);
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('passes maxReceiveCount through', () => {
    const stack = testStack();
    new JobQueue(stack, 'Jobs', { workerTimeout: Duration.minutes(1), maxReceiveCount: 5 });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
    });
  });

  it.each([
    {
      name: 'equal to the worker timeout',
      visibility: Duration.minutes(2),
      error: /must be greater than the worker timeout/,
    },
    { name: 'above 12 hours', visibility: Duration.hours(13), error: /at most 12 hours/ },
  ])('rejects a visibility timeout $name', ({ visibility, error }) => {
    const stack = testStack();
    expect(
      () =>
        new JobQueue(stack, 'Jobs', { workerTimeout: Duration.minutes(2), visibilityTimeout: visibility }),
    ).toThrow(error);
  });

  it('rejects a maxReceiveCount of 0', () => {
    expect(
      () => new JobQueue(testStack(), 'Jobs', { workerTimeout: Duration.minutes(1), maxReceiveCount: 0 }),
    ).toThrow(/maxReceiveCount must be an integer between 1 and 1000, got 0/);
  });
});
