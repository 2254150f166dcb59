/**
 * Lambda entry point of the scale-job worker. Module scope runs once per cold start: it reads
 * the environment and builds the clients; the handler itself only runs cycles.
 */

import { withAutoscalerMiddleware } from '../shared/middleware.ts';
import { readRuntimeConfig } from '../shared/runtime-config.ts';
import { createSharedWiring, cycleDependenciesFor } from '../shared/wiring.ts';
import { createScaleJobHandler } from './scale-job-handler.ts';

const wiring = createSharedWiring(readRuntimeConfig(process.env, false));

export const handler = withAutoscalerMiddleware(
  createScaleJobHandler({
    cycleDependencies: (cluster, runId) => cycleDependenciesFor(wiring, cluster, runId),
    logger: wiring.logger,
    reportRun: (run) => wiring.reporter.reportRun({ kind: 'worker', ...run }),
    nowMs: () => wiring.clock.nowMs(),
  }),
  { logger: wiring.powertoolsLogger, metrics: wiring.reporter },
);
