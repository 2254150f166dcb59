/**
 * How the worker reads one SQS batch (pure): messages decoded, grouped by job, and per job only
 * the newest tick kept, because a cycle evaluates the job as it is now — an older tick of the same
 * job has nothing left to do once the newer one ran (the load step would skip it as late anyway).
 *
 * Per job the messages arrive in order: the queue is FIFO with the job as message group
 * (docs/architecture.md, "Job queue"), and within a group Lambda delivers in order. The worker
 * does not depend on that order, since the newest tick wins whatever the position.
 */
import type { SQSRecord } from 'aws-lambda';
import { decodeJobMessage } from '../../lib/adapters/sqs/job-message-codec.ts';
import { describeError } from '../../lib/cycle/run-cycle.ts';
import { formatJobKey } from '../../lib/domain/index.ts';
import type { JobMessage } from '../../lib/ports/job-queue.ts';

/** The newest message of one job in the batch, and the older ones it supersedes. */
export interface JobWork {
  readonly job: string;
  readonly messageId: string;
  readonly message: JobMessage;
  /** Message ids of older (or equal) ticks of the same job in this batch: acknowledged unrun. */
  readonly superseded: readonly string[];
}

/** A record whose body is not a job message: it can never succeed, so it goes to the DLQ. */
export interface MalformedRecord {
  readonly messageId: string;
  readonly error: string;
}

/** A batch read for work. */
export interface BatchPlan {
  /** One entry per job, in the order the jobs first appear in the batch. */
  readonly work: readonly JobWork[];
  readonly malformed: readonly MalformedRecord[];
}

/** Groups a batch's records by job (see the module comment). */
export function planBatch(records: readonly Pick<SQSRecord, 'messageId' | 'body'>[]): BatchPlan {
  const byJob = new Map<string, { messageId: string; message: JobMessage; superseded: string[] }>();
  const malformed: MalformedRecord[] = [];
  for (const record of records) {
    let message: JobMessage;
    try {
      message = decodeJobMessage(record.body);
    } catch (error) {
      malformed.push({ messageId: record.messageId, error: describeError(error) });
      continue;
    }
    const job = formatJobKey(message.key);
    const current = byJob.get(job);
    if (!current) {
      byJob.set(job, { messageId: record.messageId, message, superseded: [] });
    } else if (message.tickMs > current.message.tickMs) {
      current.superseded.push(current.messageId);
      current.messageId = record.messageId;
      current.message = message;
    } else {
      current.superseded.push(record.messageId);
    }
  }
  return {
    work: [...byJob].map(([job, entry]) => ({ job, ...entry })),
    malformed,
  };
}

/**
 * Runs `task` over `items` with at most `limit` at once, keeping the results in input order.
 * A task must not throw (the worker's tasks catch everything themselves).
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
