import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
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
   * Receives before a message goes to the dead-letter queue.
   * @default 3
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
    maxReceiveCount: 3,
    retentionPeriod: Duration.hours(1),
    deadLetterRetentionPeriod: Duration.days(14),
  };
}

/** The job fan-out queue (one message per managed job and tick) with its dead-letter queue. */
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
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetentionPeriod ?? defaults.deadLetterRetentionPeriod,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? defaults.retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
