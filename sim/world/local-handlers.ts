/**
 * The real dispatcher and scale-job handlers wired to one local cluster named `local` through the
 * Lambda wiring (`cycleDependenciesFor`): the pair the handler tests, the reliability suite and the
 * load benchmark drive against the simulator, the emulator and a state store.
 */
import {
  createDispatcherHandler,
  type DispatcherDependencies,
} from '../../functions/dispatcher/dispatcher-handler.ts';
import { createScaleJobHandler, type WorkerDependencies } from '../../functions/scale-job/scale-job-handler.ts';
import { type CycleWiring, cycleDependenciesFor } from '../../functions/shared/wiring.ts';
import type { ClusterAdapters } from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import type { CycleDependencies } from '../../lib/cycle/run-cycle.ts';
import type { JobQueue } from '../../lib/ports/job-queue.ts';

/** What {@link localHandlers} wires; everything but the adapters is passed through as given. */
export interface LocalHandlersOptions
  extends Omit<CycleWiring, 'clusterAdapters' | 'deploymentDefaults'> {
  /** The adapters of the one cluster, `local`. */
  readonly adapters: ClusterAdapters;
  readonly queue: JobQueue;
  /** Dispatcher clean-up of jobs with state that are no longer managed. @default none */
  readonly managedState?: DispatcherDependencies['managedState'];
  readonly reportDispatch?: DispatcherDependencies['reportRun'];
  readonly reportWork?: WorkerDependencies['reportRun'];
  /** Jobs processed at once in a batch. @default the handler's */
  readonly concurrency?: number;
  /** Changes the cycle dependencies of each run (fault injection). */
  readonly wrapDependencies?: (deps: CycleDependencies) => CycleDependencies;
}

/** Creates the handler pair. */
export function localHandlers(options: LocalHandlersOptions) {
  const { adapters, queue, logger, clock } = options;
  const wiring: CycleWiring = {
    clusterAdapters: async () => adapters,
    metrics: options.metrics,
    store: options.store,
    clock,
    logger,
    deploymentDefaults: {},
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  };
  const worker = createScaleJobHandler({
    cycleDependencies: async (cluster, runId) => {
      const deps = await cycleDependenciesFor(wiring, cluster, runId);
      return options.wrapDependencies ? options.wrapDependencies(deps) : deps;
    },
    logger,
    nowMs: () => clock.nowMs(),
    ...(options.reportWork ? { reportRun: options.reportWork } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
  });
  const dispatcher = createDispatcherHandler({
    clusters: [{ name: 'local', discovery: async () => adapters.discovery }],
    queue,
    logger,
    nowMs: () => clock.nowMs(),
    ...(options.managedState ? { managedState: options.managedState } : {}),
    ...(options.reportDispatch ? { reportRun: options.reportDispatch } : {}),
  });
  return { worker, dispatcher };
}
