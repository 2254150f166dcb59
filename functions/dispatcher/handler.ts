/**
 * Lambda entry point of the dispatcher (EventBridge Scheduler, every minute by default).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsJobQueue } from '../../lib/adapters/sqs/sqs-job-queue.ts';
import { withAutoscalerMiddleware } from '../shared/middleware.ts';
import { readRuntimeConfig } from '../shared/runtime-config.ts';
import { createDispatcherHandler } from './dispatcher-handler.ts';
import { createDispatcherWiring } from './dispatcher-wiring.ts';

const config = readRuntimeConfig(process.env, true);
const wiring = createDispatcherWiring(config);

export const handler = withAutoscalerMiddleware(
  createDispatcherHandler({
    clusters: config.clusters.map((cluster) => ({
      name: cluster.name,
      discovery: () => wiring.discovery(cluster.name),
    })),
    queue: new SqsJobQueue(new SQSClient({}), config.queueUrl as string),
    managedState: wiring.store,
    logger: wiring.logger,
    nowMs: () => wiring.clock.nowMs(),
    reportRun: (run) => wiring.reporter.reportRun(run),
  }),
  { logger: wiring.powertoolsLogger, metrics: wiring.reporter },
);
