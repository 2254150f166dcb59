/**
 * Lambda entry point of the scale-job worker. Module scope runs once per cold start: it reads
 * the environment and builds the clients; the handler itself only runs cycles.
 */

import { withAutoscalerMiddleware } from '../shared/middleware.ts';
import { readRuntimeConfig } from '../shared/runtime-config.ts';
import { createSharedWiring, cycleDependenciesFor } from '../shared/wiring.ts';
import { createScaleJobHandler } from './scale-job-handler.ts';

const config = readRuntimeConfig(process.env, false);
const wiring = createSharedWiring(config);
const clusterNames = new Set(config.clusters.map((cluster) => cluster.name));

export const handler = withAutoscalerMiddleware(
  createScaleJobHandler({
    cycleDependencies: (cluster, runId) => cycleDependenciesFor(wiring, cluster, runId),
    isKnownCluster: (cluster) => clusterNames.has(cluster),
    concurrency: config.cycleConcurrency,
    logger: wiring.logger,
    reportRun: (run) => wiring.reporter.reportRun({ kind: 'worker', ...run }),
    nowMs: () => wiring.clock.nowMs(),
  }),
  { logger: wiring.powertoolsLogger, metrics: wiring.reporter },
);
