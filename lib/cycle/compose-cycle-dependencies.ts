/**
 * The one composition root of a cycle: {@link CycleDependencies} from the adapters of one cluster
 * and the process-wide parts. The scale-job Lambda, `fsa run` and the local world all call it, so
 * what a cycle talks to cannot drift between them; only the adapters they pass differ.
 */
import { StateStoreEventSink } from '../adapters/dynamodb/state-store-event-sink.ts';
import type { RecentEmissions } from '../adapters/state/recent-emissions.ts';
import type { Clock } from '../ports/clock.ts';
import type { ClusterCapacitySource } from '../ports/cluster-capacity-source.ts';
import type { EventSink } from '../ports/event-sink.ts';
import type { DiscoveredJob, JobDiscovery } from '../ports/job-discovery.ts';
import type { JobHealthSource } from '../ports/job-health-source.ts';
import type { MetricsReporter } from '../ports/metrics-reporter.ts';
import type { FlinkJobTarget, MetricsSource } from '../ports/metrics-source.ts';
import type { PolicyHook } from '../ports/policy-hook.ts';
import type { ScalingRealizer } from '../ports/scaling-realizer.ts';
import type { StateStore } from '../ports/state-store.ts';
import type { CycleDependencies, CycleLogger } from './cycle-dependencies.ts';

/**
 * The adapters of one cluster a cycle uses (the Kubernetes `ClusterAdapters` fit): discovery,
 * realizer, the resource's event sink, the capacity view and the way to its jobs' REST APIs.
 */
export interface CycleClusterAdapters {
  readonly discovery: JobDiscovery;
  readonly realizer: ScalingRealizer;
  /** Events on the resource itself (Kubernetes Events). */
  readonly events: EventSink;
  /** Cluster capacity for the capacity guard (consulted only when the option enables it). */
  readonly capacity?: ClusterCapacitySource;
  /** Job state and unschedulable TaskManager pods while a change is watched for rollback. */
  readonly health?: JobHealthSource;
  restTarget(job: DiscoveredJob): FlinkJobTarget | Promise<FlinkJobTarget>;
}

/** The parts shared by every cluster and job of a process (built once, at cold start). */
export interface CycleProcessParts {
  readonly store: StateStore;
  readonly metrics: MetricsSource;
  readonly clock: Clock;
  readonly logger?: CycleLogger;
  /** Per-job metrics (EMF in the Lambda, a log line in `fsa run --verbose`). */
  readonly reporter?: MetricsReporter;
  /** Deployment-wide option defaults, below each resource's own flinkConfiguration. */
  readonly deploymentDefaults?: Readonly<Record<string, string>>;
  /** Interval of the schedule that runs the cycles (ms). @default 60 000 */
  readonly cadenceMs?: number;
  readonly policy?: PolicyHook;
  /**
   * Wraps the event-log sink (the state store's). The local world records what was really
   * emitted (after de-duplication) for its report. @default the sink as is
   */
  readonly wrapEventLog?: (eventLog: EventSink) => EventSink;
  /**
   * The process's memory of reported events: a repeat within its interval is answered from it,
   * without the sinks' lookups (lib/adapters/state/recent-emissions.ts). Absent: every event goes
   * to the sinks.
   */
  readonly recentEmissions?: RecentEmissions;
}

/**
 * Builds the dependencies of one run (`runId`, for logs) against one cluster. Events go to
 * the state store's event log (what `fsa events` reads) and to the resource (Kubernetes Events).
 */
export function composeCycleDependencies(
  adapters: CycleClusterAdapters,
  parts: CycleProcessParts,
  runId: string,
): CycleDependencies {
  const eventLog = new StateStoreEventSink(parts.store, parts.clock);
  const sinks: [string, EventSink][] = [
    ['event-log', parts.wrapEventLog ? parts.wrapEventLog(eventLog) : eventLog],
    ['kubernetes', adapters.events],
  ];
  const recent = parts.recentEmissions;
  return {
    discovery: adapters.discovery,
    metrics: parts.metrics,
    store: parts.store,
    realizer: adapters.realizer,
    eventSinks: sinks.map(([name, sink]) => (recent ? recent.wrap(name, sink, parts.clock) : sink)),
    clock: parts.clock,
    restTarget: (job) => adapters.restTarget(job),
    ...(adapters.capacity ? { capacity: adapters.capacity } : {}),
    ...(adapters.health ? { health: adapters.health } : {}),
    ...(parts.reporter ? { reporter: parts.reporter } : {}),
    ...(parts.logger ? { logger: parts.logger } : {}),
    ...(parts.deploymentDefaults ? { deploymentDefaults: parts.deploymentDefaults } : {}),
    ...(parts.cadenceMs !== undefined ? { cadenceMs: parts.cadenceMs } : {}),
    ...(parts.policy ? { policy: parts.policy } : {}),
    runId,
  };
}
