import type { JobKey } from '../domain/index.ts';

/**
 * One unit of work for the scale-job worker: a job to run a cycle for, from one dispatcher tick.
 * `tickMs` lets the worker drop duplicate and out-of-order deliveries (a message whose tick is not
 * newer than the job's last evaluation has nothing left to do).
 */
export interface JobMessage {
  readonly key: JobKey;
  /** Kubernetes uid of the resource when dispatched (a recreated resource has a new one). */
  readonly uid?: string;
  /** Epoch ms of the dispatcher tick that produced the message. */
  readonly tickMs: number;
}

/** Where the dispatcher puts work (SQS in AWS, an in-memory queue locally). */
export interface JobQueue {
  /** Enqueues the messages; resolves with how many were accepted. Throws when some were not. */
  send(messages: readonly JobMessage[]): Promise<number>;
}
