/**
 * The dispatcher: on every schedule tick, list the opted-in Flink resources of every configured
 * cluster and enqueue one message per job. A cluster that cannot be listed is reported and
 * skipped; the others are still dispatched.
 *
 * Jobs that still have stored state but are no longer listed (the resource was deleted or lost
 * the opt-in label) get a message too: their cycle finds them gone and cleans up once (design
 * §9.1), after which they are no longer in the store's registry.
 */

import type { CycleLogger } from '../../lib/cycle/run-cycle.ts';
import { describeError } from '../../lib/report/describe-error.ts';
import { formatJobKey } from '../../lib/domain/index.ts';
import type { JobDiscovery } from '../../lib/ports/job-discovery.ts';
import type { JobMessage, JobQueue } from '../../lib/ports/job-queue.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';

/** One cluster the dispatcher lists. */
export interface DispatchCluster {
  readonly name: string;
  /** The cluster's job discovery (built lazily: DescribeCluster and token on first use). */
  discovery(): Promise<JobDiscovery>;
}

export interface DispatcherDependencies {
  readonly clusters: readonly DispatchCluster[];
  readonly queue: JobQueue;
  /**
   * The jobs with stored state, to find those that are no longer managed and need a clean-up.
   * Absent = no clean-up dispatch (state then only expires).
   */
  readonly managedState?: Pick<StateStore, 'listJobKeys'>;
  readonly logger: CycleLogger;
  readonly nowMs: () => number;
  readonly reportRun?: (run: {
    kind: 'dispatcher';
    durationMs: number;
    jobsDispatched: number;
    errors: number;
  }) => void;
}

/**
 * The schedule's input as it reaches the function. EventBridge Scheduler sends no event of its
 * own: the CDK schedule passes `{"time": "<aws.scheduler.scheduled-time>"}`, which Scheduler
 * replaces with the tick's scheduled time (ISO-8601). Without it the invocation time is used.
 */
export interface ScheduleTickEvent {
  readonly time?: string;
}

/** What one tick did. */
export interface DispatchSummary {
  readonly tickMs: number;
  readonly dispatched: number;
  /** Jobs with state that are no longer listed, dispatched for their clean-up. */
  readonly cleanups: number;
  readonly clusters: readonly { readonly name: string; readonly jobs: number; readonly error?: string }[];
}

export function createDispatcherHandler(deps: DispatcherDependencies) {
  return async (event: ScheduleTickEvent): Promise<DispatchSummary> => {
    const startMs = deps.nowMs();
    // The scheduled time, not the invocation time: a retried tick keeps its identity.
    const scheduled = event.time ? Date.parse(event.time) : Number.NaN;
    const tickMs = Number.isFinite(scheduled) ? scheduled : startMs;
    const clusters: { name: string; jobs: number; error?: string }[] = [];
    const messages = new Map<string, JobMessage>();
    for (const cluster of deps.clusters) {
      try {
        const jobs = await (await cluster.discovery()).listManagedJobs();
        for (const job of jobs) {
          // One message per job and tick, even if a list page repeated a resource.
          messages.set(formatJobKey(job.key), { key: job.key, tickMs });
        }
        clusters.push({ name: cluster.name, jobs: jobs.length });
      } catch (error) {
        deps.logger.error('could not list the jobs of a cluster', {
          cluster: cluster.name,
          error: describeError(error),
        });
        clusters.push({ name: cluster.name, jobs: 0, error: describeError(error) });
      }
    }
    let cleanups = 0;
    let stateError: string | undefined;
    if (deps.managedState) {
      // Only clusters listed successfully this tick: a cluster that failed to list says nothing
      // about whether its jobs still exist.
      const listed = new Set(clusters.filter((c) => !c.error).map((c) => c.name));
      try {
        for (const key of await deps.managedState.listJobKeys()) {
          const id = formatJobKey(key);
          if (!listed.has(key.cluster) || messages.has(id)) continue;
          messages.set(id, { key, tickMs });
          cleanups += 1;
        }
      } catch (error) {
        stateError = describeError(error);
        deps.logger.error('could not list the jobs with state; clean-up waits for the next tick', {
          error: stateError,
        });
      }
    }
    let dispatched = 0;
    let queueError: unknown;
    try {
      dispatched = await deps.queue.send([...messages.values()]);
    } catch (error) {
      queueError = error;
    }
    const errors = clusters.filter((c) => c.error).length + (queueError ? 1 : 0) + (stateError ? 1 : 0);
    deps.reportRun?.({
      kind: 'dispatcher',
      durationMs: deps.nowMs() - startMs,
      jobsDispatched: dispatched,
      errors,
    });
    deps.logger.info('tick dispatched', { tickMs, dispatched, cleanups, clusters });
    // Failing the invocation makes the tick visible (Lambda Errors metric and alarm); neither the
    // schedule nor Lambda retries it (cdk/lib/constructs/schedule.ts): the next tick does the work.
    if (queueError) throw queueError;
    return { tickMs, dispatched, cleanups, clusters };
  };
}
