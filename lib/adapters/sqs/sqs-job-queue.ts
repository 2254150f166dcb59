import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { formatJobKey } from '../../domain/index.ts';
import type { JobMessage, JobQueue } from '../../ports/job-queue.ts';
import { encodeJobMessage } from './job-message-codec.ts';

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

/** {@link JobQueue} on an SQS standard queue, sending in batches of 10. */
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
