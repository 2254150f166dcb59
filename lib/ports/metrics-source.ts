import type { AutoscalerOptions } from '../config/index.ts';
import type { RawJobMetrics } from '../domain/index.ts';

/**
 * Where a Flink job's REST API is reached and how to authenticate.
 *
 * `restBaseUrl` is everything before the Flink path: `http://<name>-rest.<ns>:8081` inside the
 * cluster, or the Kubernetes API service proxy
 * `https://<api>/api/v1/namespaces/<ns>/services/<name>-rest:rest/proxy` from a Lambda outside
 * it (docs/flink-rest.md §1); the proxy path is kept, so no trailing slash is needed.
 */
export interface FlinkJobTarget {
  /** Base URL of the Flink REST API (scheme, host, optional path prefix). */
  readonly restBaseUrl: string;
  /** Flink JobID (32 hex). Absent = the single RUNNING job of an application cluster. */
  readonly jobId?: string;
  /** Extra request headers, e.g. `authorization: Bearer <EKS token>` for the service proxy. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * TLS settings of the connection, e.g. the EKS cluster CA for the service proxy. Absent = the
   * adapter's shared pool with the system roots (in-cluster URLs, the `rest-url` annotation).
   */
  readonly tls?: RestTlsSettings;
}

/**
 * How to verify (and authenticate to) an HTTPS server. Plain data rather than an HTTP library's
 * connection object, so the port stays free of library types and callers need not manage
 * connection pools: the adapter builds and keeps one per distinct setting.
 */
export interface RestTlsSettings {
  /** PEM CA bundle the server certificate is verified against. Absent = the system roots. */
  readonly caPem?: string;
  /** Client certificate authentication (kubeconfig `client-certificate-data` / `client-key-data`). */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
}

/** A job found on a cluster by {@link MetricsSource.findRunningJob}. */
export interface RunningJobRef {
  readonly jobId: string;
  readonly name?: string;
  /** Epoch ms the job started (`start-time` of `/jobs/overview`). */
  readonly startTimeMs?: number;
}

/**
 * Reads one cycle's raw metrics of a running Flink job (docs/algorithm.md §2.1–2.3).
 *
 * Error contract, so the orchestrator can tell "skip quietly" from "report":
 * - {@link MetricsNotReadyError}: the job is not (yet) in a state that can be measured — not
 *   RUNNING, empty plan, metrics not reported yet during stabilization, a metric without values
 *   (an empty aggregated answer). Skip the cycle quietly.
 * - {@link JobNotFoundError}: the job id is unknown to the cluster (404): redeployed or gone.
 * - {@link FlinkRestError}: transport or server failure (5xx, timeout, connection, non-JSON).
 * - {@link FlinkResponseFormatError}: the body parsed but has the wrong shape.
 *
 * A result whose `missingRequired` is non-empty is an incomplete observation and must never
 * be scaled on.
 */
export interface MetricsSource {
  /**
   * Collects topology, vertex, TaskManager and JobManager metrics of the target job.
   * @param nowMs the cycle's time (epoch ms); stamped on the result and used for the
   *   stabilization check, never for wall-clock reads.
   */
  collect(target: FlinkJobTarget, options: AutoscalerOptions, nowMs: number): Promise<RawJobMetrics>;
  /**
   * Finds the job to scale when the target has no `jobId` (application clusters run one job).
   * Throws {@link MetricsNotReadyError} when no job is RUNNING.
   */
  findRunningJob(target: FlinkJobTarget, options: AutoscalerOptions): Promise<RunningJobRef>;
}

/** Base class of every error a {@link MetricsSource} throws. */
export class MetricsSourceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MetricsSourceError';
  }
}

/**
 * The job cannot be measured yet (not RUNNING, empty plan, metrics not reported during
 * stabilization). Not a failure: the orchestrator skips the cycle without an event.
 */
export class MetricsNotReadyError extends MetricsSourceError {
  /**
   * Machine-readable reason. `metrics-without-values`: Flink answered an aggregated query with
   * nothing because a requested metric has no value at the moment (docs/flink-rest.md §3).
   */
  readonly reason:
    | 'job-not-running'
    | 'no-running-job'
    | 'empty-plan'
    | 'metrics-not-reported'
    | 'metrics-without-values';
  /** The metric ids concerned, where the reason is about particular metrics. */
  readonly metrics: readonly string[];
  /** For `job-not-running`: the job's state as Flink reports it (`RESTARTING`, `FAILED`, …). */
  readonly jobState: string | undefined;
  constructor(
    reason: MetricsNotReadyError['reason'],
    message: string,
    details: { readonly metrics?: readonly string[]; readonly jobState?: string } = {},
  ) {
    super(message);
    this.name = 'MetricsNotReadyError';
    this.reason = reason;
    this.metrics = details.metrics ?? [];
    this.jobState = details.jobState;
  }
}

/** HTTP/transport failure talking to Flink: 4xx/5xx, timeout, connection refused, non-JSON body. */
export class FlinkRestError extends MetricsSourceError {
  /** HTTP status; undefined for timeouts, connection errors and similar. */
  readonly status: number | undefined;
  /** Flink path that failed (without base URL or query), e.g. `/jobs/<id>`. */
  readonly path: string;
  /** What went wrong, coarse-grained. */
  readonly kind: 'http-status' | 'timeout' | 'connection' | 'non-json';
  constructor(
    kind: FlinkRestError['kind'],
    path: string,
    status: number | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FlinkRestError';
    this.kind = kind;
    this.path = path;
    this.status = status;
  }
}

/** The cluster answered 404 for a job path: the job id is unknown (redeployed, cancelled, wrong id). */
export class JobNotFoundError extends FlinkRestError {
  readonly jobId: string;
  constructor(jobId: string, path: string, message: string) {
    super('http-status', path, 404, message);
    this.name = 'JobNotFoundError';
    this.jobId = jobId;
  }
}

/** A response parsed as JSON but does not have the documented shape; `field` names the culprit. */
export class FlinkResponseFormatError extends MetricsSourceError {
  /** Flink path (or sample name) whose body was malformed. */
  readonly path: string;
  /** JSON path of the offending field, e.g. `plan.nodes[1].inputs[0].id`. */
  readonly field: string;
  constructor(path: string, field: string, problem: string) {
    super(`Malformed Flink REST response from ${path}: ${field} ${problem}`);
    this.name = 'FlinkResponseFormatError';
    this.path = path;
    this.field = field;
  }
}
