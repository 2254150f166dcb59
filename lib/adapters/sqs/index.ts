export * from './job-message-codec.ts';
export * from './sqs-event.ts';
export * from './sqs-job-queue.ts';
