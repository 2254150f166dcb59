/** The ports a cycle talks to and its per-call options (built by compose-cycle-dependencies.ts). */
import type { Clock } from '../ports/clock.ts';
import type { ClusterCapacitySource } from '../ports/cluster-capacity-source.ts';
import type { JobHealthSource } from '../ports/job-health-source.ts';
import type { EventSink } from '../ports/event-sink.ts';
import type { DiscoveredJob, JobDiscovery } from '../ports/job-discovery.ts';
import type { MetricsReporter } from '../ports/metrics-reporter.ts';
import type { FlinkJobTarget, MetricsSource } from '../ports/metrics-source.ts';
import type { PolicyHook } from '../ports/policy-hook.ts';
import type { ScalingRealizer } from '../ports/scaling-realizer.ts';
import type { StateStore } from '../ports/state-store.ts';

/** Minimal structured logger (Powertools' Logger fits). */
export interface CycleLogger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Everything a cycle talks to. Built once per process (cold start) and shared by all jobs. */
export interface CycleDependencies {
  readonly discovery: JobDiscovery;
  readonly metrics: MetricsSource;
  readonly store: StateStore;
  readonly realizer: ScalingRealizer;
  /** Where events go: the DynamoDB event log, Kubernetes Events on the resource, … */
  readonly eventSinks: readonly EventSink[];
  readonly clock: Clock;
  /** How to reach a job's Flink REST API (headers with the cluster token, TLS dispatcher). */
  readonly restTarget: (job: DiscoveredJob) => FlinkJobTarget | Promise<FlinkJobTarget>;
  readonly reporter?: MetricsReporter;
  /** Cluster capacity for the capacity guard; only consulted when the option enables it. */
  readonly capacity?: ClusterCapacitySource;
  /**
   * Job state and unschedulable TaskManager pods, read only while a change is watched for
   * rollback (docs/algorithm.md §13). Absent: the watch judges on what Flink's REST API says.
   */
  readonly health?: JobHealthSource;
  readonly logger?: CycleLogger;
  /** Deployment-wide option defaults (below each resource's own flinkConfiguration). */
  readonly deploymentDefaults?: Readonly<Record<string, string>>;
  /**
   * Interval of the schedule that runs the cycles (EventBridge rate, `fsa run --interval`). The
   * window's samples are loaded from `now − window − 3 × cadence`, so the window can start at a
   * sample taken before `now − window` on any real cadence. @default 60 000
   */
  readonly cadenceMs?: number;
  /** Unique id of this run (Lambda request id / message id), for logs. */
  readonly runId: string;
  /**
   * Reviews every change before it is written (allow / deny / modify). Absent = no hook: the
   * cycle makes no preview read and behaves exactly as without the feature.
   */
  readonly policy?: PolicyHook;
}

/** Per-call options of `runCycle`. */
export interface CycleRequest {
  /**
   * Epoch ms of the dispatcher tick that asked for this cycle. A job already evaluated at or after
   * it (a duplicate or out-of-order queue delivery) is skipped before anything is written.
   */
  readonly tickMs?: number;
}
