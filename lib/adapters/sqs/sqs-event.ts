import type { SQSEvent } from 'aws-lambda';
import type { JobMessage } from '../../ports/job-queue.ts';
import { encodeJobMessage } from './job-message-codec.ts';
import { deduplicationIdOf, messageGroupIdOf } from './sqs-job-queue.ts';

/** Where the records seem to come from (only informational in the event). */
export interface SqsEventOrigin {
  /** Prefix of the generated message ids (`<prefix>-<index>`). */
  readonly messageIdPrefix: string;
  readonly queueArn?: string;
  readonly region?: string;
}

/**
 * Job messages as the SQS event the scale-job Lambda receives (the shape of a real delivery),
 * for the local world and the tests, where the queue is in process.
 */
export function sqsEventOf(messages: readonly JobMessage[], origin: SqsEventOrigin): SQSEvent {
  const region = origin.region ?? 'eu-west-1';
  return {
    Records: messages.map((message, index) => ({
      messageId: `${origin.messageIdPrefix}-${index}`,
      receiptHandle: `rh-${origin.messageIdPrefix}-${index}`,
      body: encodeJobMessage(message),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(message.tickMs),
        SenderId: 'dispatcher',
        ApproximateFirstReceiveTimestamp: String(message.tickMs),
        // A FIFO delivery carries its group and de-duplication id (what SqsJobQueue sends).
        MessageGroupId: messageGroupIdOf(message.key),
        MessageDeduplicationId: deduplicationIdOf(message),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: origin.queueArn ?? `arn:aws:sqs:${region}:123456789012:fsa-jobs.fifo`,
      awsRegion: region,
    })),
  };
}
