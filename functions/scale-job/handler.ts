/**
 * TEMPORARY SEAM (CDK step): only the shared middleware stack around a body that throws. The real
 * handler is written with the run-cycle; this file exists so the CDK app can bundle and synthesize.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { EmfMetricsReporter } from '../../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import { withAutoscalerMiddleware } from '../shared/middleware.ts';

const logger = new Logger();
const metrics = new EmfMetricsReporter();

export const handler = withAutoscalerMiddleware<unknown, never>(
  async () => {
    throw new Error('scale-job handler is wired in the run-cycle step');
  },
  { logger, metrics },
);
