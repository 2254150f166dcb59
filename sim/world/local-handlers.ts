/**
 * The real dispatcher and scale-job handlers wired to one local cluster (the adapters' `cluster`) through the
 * one composition root (`composeCycleDependencies`, which the Lambda's `cycleDependenciesFor` also
 * calls): the pair the handler tests, the reliability suite, the load benchmark and the local world
 * drive against the simulator, the emulator and a state store.
 */
import {
  createDispatcherHandler,
  type DispatcherDependencies,
} from '../../functions/dispatcher/dispatcher-handler.ts';
import { createScaleJobHandler, type WorkerDependencies } from '../../functions/scale-job/scale-job-handler.ts';
import type { ClusterAdapters } from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { RecentEmissions } from '../../lib/adapters/state/recent-emissions.ts';
import {
  type CycleProcessParts,
  composeCycleDependencies,
} from '../../lib/cycle/compose-cycle-dependencies.ts';
import type { CycleDependencies, CycleLogger } from '../../lib/cycle/run-cycle.ts';
import type { JobQueue } from '../../lib/ports/job-queue.ts';

/** What {@link localHandlers} wires; everything but the adapters is passed through as given. */
export interface LocalHandlersOptions extends Omit<CycleProcessParts, 'deploymentDefaults' | 'logger'> {
  readonly logger: CycleLogger;
  /** The adapters of the one cluster (its name: `adapters.cluster`). */
  readonly adapters: ClusterAdapters;
  readonly queue: JobQueue;
  /** Dispatcher clean-up of jobs with state that are no longer managed. @default none */
  readonly managedState?: DispatcherDependencies['managedState'];
  readonly reportDispatch?: DispatcherDependencies['reportRun'];
  readonly reportWork?: WorkerDependencies['reportRun'];
  /** Cycles run at once in a batch. @default the handler's */
  readonly concurrency?: number;
  /** Changes the cycle dependencies of each run (fault injection). */
  readonly wrapDependencies?: (deps: CycleDependencies) => CycleDependencies;
}

/** Creates the handler pair. */
export function localHandlers(options: LocalHandlersOptions) {
  const { adapters, queue, logger, clock } = options;
  // The cluster's adapters are the same for every run; only the run id (for logs) differs.
  const parts: CycleProcessParts = {
    metrics: options.metrics,
    store: options.store,
    clock,
    logger,
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.cadenceMs !== undefined ? { cadenceMs: options.cadenceMs } : {}),
    ...(options.wrapEventLog ? { wrapEventLog: options.wrapEventLog } : {}),
    // As in a warm Lambda container (functions/shared/wiring.ts).
    recentEmissions: new RecentEmissions(),
  };
  const worker = createScaleJobHandler({
    cycleDependencies: async (_cluster, runId) => {
      const deps = composeCycleDependencies(adapters, parts, runId);
      return options.wrapDependencies ? options.wrapDependencies(deps) : deps;
    },
    // The one cluster is the adapters'; a message for another can never succeed (dead-lettered).
    isKnownCluster: (cluster) => cluster === adapters.cluster,
    logger,
    nowMs: () => clock.nowMs(),
    ...(options.reportWork ? { reportRun: options.reportWork } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  const dispatcher = createDispatcherHandler({
    clusters: [{ name: adapters.cluster, discovery: async () => adapters.discovery }],
    queue,
    logger,
    nowMs: () => clock.nowMs(),
    ...(options.managedState ? { managedState: options.managedState } : {}),
    ...(options.reportDispatch ? { reportRun: options.reportDispatch } : {}),
  });
  return { worker, dispatcher };
}
