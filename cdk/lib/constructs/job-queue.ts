import { Duration } from 'aws-cdk-lib';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AutoscalerConfigError, assertIntegerInRange } from '../validation.ts';

/** Props of {@link JobQueue}. */
export interface JobQueueProps {
  /** Timeout of the worker Lambda that consumes the queue; the visibility timeout is derived from it. */
  readonly workerTimeout: Duration;
  /**
   * Visibility timeout. Must exceed the worker timeout, or a message still being processed becomes
   * visible again and a second worker runs the same job.
   * @default 6 × workerTimeout (the AWS recommendation for Lambda event sources)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives before a message goes to the dead-letter queue. The worker reports as failed only
   * messages that can never succeed (malformed, unknown cluster) and acknowledges every other
   * one, failed cycles included (the next tick retries them). So a message is received again only
   * after such a failure or when an invocation died (timeout, out of memory); 2 gives the latter
   * one more delivery, which the cycle then skips as late, and sends the former to the DLQ on
   * its second receive.
   * @default 2
   */
  readonly maxReceiveCount?: number;
  /**
   * Retention of a job message. A message older than one schedule tick is stale (the next tick sends
   * a fresh one), so this is short.
   * @default 1 hour
   */
  readonly retentionPeriod?: Duration;
  /**
   * Retention of dead-lettered messages, for inspection.
   * @default 14 days
   */
  readonly deadLetterRetentionPeriod?: Duration;
}

/** Defaults of {@link JobQueueProps} that do not depend on the worker timeout. */
export function defaultJobQueueProps() {
  return {
    maxReceiveCount: 2,
    retentionPeriod: Duration.hours(1),
    deadLetterRetentionPeriod: Duration.days(14),
  };
}

/**
 * The job fan-out queue (one message per managed job and tick) with its dead-letter queue, both
 * FIFO. The dispatcher sends each job as its own message group, so SQS never has two messages of
 * one job in flight at once ("messages within the same message group are always processed one at a
 * time", Amazon SQS Developer Guide, "Using the message group ID with Amazon SQS FIFO queues"),
 * and job + tick as de-duplication id, so a tick sent twice within 5 minutes is enqueued once.
 * High-throughput FIFO (de-duplication and throughput per message group) because every job is its
 * own group: the per-queue limit of a plain FIFO queue would cap a large fleet's tick for nothing.
 * A FIFO queue's dead-letter queue must be FIFO too.
 */
export class JobQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: JobQueueProps) {
    super(scope, id);
    const defaults = defaultJobQueueProps();
    const maxReceiveCount = props.maxReceiveCount ?? defaults.maxReceiveCount;
    assertIntegerInRange('maxReceiveCount', maxReceiveCount, 1, 1000);
    const workerSeconds = props.workerTimeout.toSeconds();
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(workerSeconds * 6);
    if (visibilityTimeout.toSeconds() <= workerSeconds) {
      throw new AutoscalerConfigError(
        `visibilityTimeout (${visibilityTimeout.toSeconds()} s) must be greater than the worker timeout (${workerSeconds} s)`,
      );
    }
    if (visibilityTimeout.toSeconds() > 43_200) {
      throw new AutoscalerConfigError(
        `visibilityTimeout must be at most 12 hours, got ${visibilityTimeout.toSeconds()} s`,
      );
    }

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetentionPeriod ?? defaults.deadLetterRetentionPeriod,
    });
    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      contentBasedDeduplication: false,
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? defaults.retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
