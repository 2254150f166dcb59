import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { formatJobKey, type JobKey } from '../../domain/index.ts';
import type { JobMessage, JobQueue } from '../../ports/job-queue.ts';
import { encodeJobMessage } from './job-message-codec.ts';

/**
 * FIFO message group of a job: one group per job, so SQS never has two messages of one job in
 * flight at once — "messages within the same message group are always processed one at a time"
 * (Amazon SQS Developer Guide, "Using the message group ID with Amazon SQS FIFO queues",
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagegroupid-property.html).
 * A SHA-256 of the job key: group ids are at most 128 characters of a restricted set, job keys
 * (four Kubernetes names) may be longer.
 */
export function messageGroupIdOf(key: JobKey): string {
  return createHash('sha256').update(formatJobKey(key)).digest('hex');
}

/**
 * De-duplication id of a job message: the job and the tick, so a dispatcher tick that is sent
 * twice (a retried invocation, a retried SendMessageBatch) enqueues one message; SQS drops a
 * repeat within its 5-minute de-duplication interval ("Using the message deduplication ID in
 * Amazon SQS", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html).
 */
export function deduplicationIdOf(message: JobMessage): string {
  return `${messageGroupIdOf(message.key)}:${message.tickMs}`;
}

/** Some messages were not accepted by SQS; lists which and why. */
export class JobQueueSendError extends Error {
  override readonly name = 'JobQueueSendError';
  readonly failed: readonly { readonly job: string; readonly reason: string }[];
  constructor(failed: readonly { job: string; reason: string }[], options?: ErrorOptions) {
    super(
      `${failed.length} job message(s) were not queued: ${failed
        .slice(0, 5)
        .map((f) => `${f.job} (${f.reason})`)
        .join(', ')}`,
      options,
    );
    this.failed = failed;
  }
}

/** SQS allows at most 10 entries per SendMessageBatch. */
const BATCH_SIZE = 10;

/**
 * {@link JobQueue} on the SQS FIFO job queue, sending in batches of 10 with the job as message
 * group ({@link messageGroupIdOf}) and job + tick as de-duplication id ({@link deduplicationIdOf}).
 */
export class SqsJobQueue implements JobQueue {
  readonly #client: Pick<SQSClient, 'send'>;
  readonly #queueUrl: string;

  constructor(client: Pick<SQSClient, 'send'>, queueUrl: string) {
    this.#client = client;
    this.#queueUrl = queueUrl;
  }

  async send(messages: readonly JobMessage[]): Promise<number> {
    const failed: { job: string; reason: string }[] = [];
    let accepted = 0;
    for (let start = 0; start < messages.length; start += BATCH_SIZE) {
      const batch = messages.slice(start, start + BATCH_SIZE);
      const response = await this.#client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            MessageBody: encodeJobMessage(message),
            MessageGroupId: messageGroupIdOf(message.key),
            MessageDeduplicationId: deduplicationIdOf(message),
          })),
        }),
      );
      accepted += response.Successful?.length ?? 0;
      for (const failure of response.Failed ?? []) {
        const message = batch[Number(failure.Id)];
        failed.push({
          job: message ? formatJobKey(message.key) : `entry ${failure.Id}`,
          reason: `${failure.Code ?? 'error'}: ${failure.Message ?? ''}`.trim(),
        });
      }
    }
    if (failed.length > 0) throw new JobQueueSendError(failed);
    return accepted;
  }
}

/** In-process {@link JobQueue} for the CLI and the local world: messages wait in an array. */
export class InMemoryJobQueue implements JobQueue {
  readonly messages: JobMessage[] = [];

  async send(messages: readonly JobMessage[]): Promise<number> {
    this.messages.push(...messages);
    return messages.length;
  }

  /** Takes every queued message. */
  drain(): JobMessage[] {
    return this.messages.splice(0, this.messages.length);
  }
}
