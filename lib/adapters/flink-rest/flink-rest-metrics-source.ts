import type { AutoscalerOptions } from '../../config/index.ts';
import type {
  MetricAggregates,
  RawJobManagerMetrics,
  RawJobMetrics,
  RawTaskManagerMetrics,
  RawVertexMetrics,
  VertexInfo,
} from '../../domain/index.ts';
import {
  type FlinkJobTarget,
  FlinkResponseFormatError,
  JobNotFoundError,
  MetricsNotReadyError,
  type MetricsSource,
  type RunningJobRef,
} from '../../ports/metrics-source.ts';
import { createConcurrencyLimiter } from './bounded-parallel.ts';
import { encodeMetricIds, type FlinkJsonClient, FlinkRestClient } from './flink-rest-client.ts';
import { parseJobsOverview } from './parse-cluster-responses.ts';
import { type JobDetails, parseJobDetails } from './parse-job-details.ts';
import {
  parseAggregatedMetrics,
  parseConfigurationEntries,
  parseMetricIdList,
  parseMetricValues,
} from './parse-metric-responses.ts';
import { countSourcePartitions } from './source-partitions.ts';
import { assembleVertexMetrics, selectVertexMetrics } from './vertex-metric-names.ts';

/** TaskManager metric ids (docs/algorithm.md §2.3) and where they land in {@link RawTaskManagerMetrics}. */
export const TASK_MANAGER_METRIC_IDS = {
  heapMaxBytes: 'Status.JVM.Memory.Heap.Max',
  heapUsedBytes: 'Status.JVM.Memory.Heap.Used',
  managedUsedBytes: 'Status.Flink.Memory.Managed.Used',
  metaspaceUsedBytes: 'Status.JVM.Memory.Metaspace.Used',
} as const;

/** Optional GC metric, missing before Flink 1.19; probed until the TaskManagers report the required metrics. */
export const GC_TIME_METRIC_ID = 'Status.JVM.GarbageCollector.All.TimeMsPerSecond';

/** Construction options of {@link FlinkRestMetricsSource}. */
export interface FlinkRestMetricsSourceOptions {
  /**
   * Shared client; one is created (and owned) when absent. Any {@link FlinkJsonClient} will do,
   * e.g. a recorded capture answering from files (`fsa replay`).
   */
  readonly client?: FlinkJsonClient;
  /** Max REST calls in flight per collection (vertex, TaskManager, JobManager and config calls together). @default 4 */
  readonly maxConcurrentRequests?: number;
  /** Max jobs whose metric-name listings and GC probe results are cached. @default 256 */
  readonly maxCachedJobs?: number;
}

/** One rate-limited GET of a collection. */
type RestCall = (path: string, query?: Record<string, string>) => Promise<unknown>;

interface JobCache {
  /** Listing of non-source vertices, which only changes with the vertex set (Java does the same). */
  readonly nonSourceNames: Map<string, readonly string[]>;
  gcMetricAvailable?: boolean;
  configuration?: Readonly<Record<string, string>>;
}

/**
 * {@link MetricsSource} over the Flink REST API (docs/flink-rest.md §3, docs/algorithm.md §2).
 *
 * Per cycle: job details → per vertex metric listing (sources every cycle, others cached per job
 * attempt) and one aggregated query → TaskManager metrics (GC probe with fallback) → JobManager
 * slot metrics → effective configuration (cached per job attempt, best-effort). Calls run with
 * bounded parallelism, each with `options.restClientTimeoutMs`.
 *
 * Flink answers an aggregated query with `[]` as a whole when any requested id has no value
 * (`AbstractAggregatingMetricsHandler.getAggregatedMetricValues`): such an answer is missing
 * data, never zeros. A vertex's empty answer drops its cached listing and makes the cycle
 * not ready, naming the metrics that are no longer reported.
 */
export class FlinkRestMetricsSource implements MetricsSource {
  readonly #client: FlinkJsonClient;
  readonly #ownsClient: boolean;
  readonly #concurrency: number;
  readonly #maxCachedJobs: number;
  readonly #caches = new Map<string, JobCache>();

  constructor(options: FlinkRestMetricsSourceOptions = {}) {
    this.#client = options.client ?? new FlinkRestClient();
    this.#ownsClient = options.client === undefined;
    this.#concurrency = options.maxConcurrentRequests ?? 4;
    this.#maxCachedJobs = options.maxCachedJobs ?? 256;
  }

  async findRunningJob(target: FlinkJobTarget, options: AutoscalerOptions): Promise<RunningJobRef> {
    const body = await this.#get(target, options, '/jobs/overview');
    const running = parseJobsOverview(body).filter((job) => job.state === 'RUNNING');
    if (running.length === 0) {
      throw new MetricsNotReadyError('no-running-job', `No RUNNING job on ${target.restBaseUrl}`);
    }
    // Application clusters run one job; if a session cluster has several, the newest wins.
    running.sort((a, b) => (b.startTimeMs ?? 0) - (a.startTimeMs ?? 0));
    const job = running[0]!;
    return {
      jobId: job.jobId,
      ...(job.name === undefined ? {} : { name: job.name }),
      ...(job.startTimeMs === undefined ? {} : { startTimeMs: job.startTimeMs }),
    };
  }

  async collect(target: FlinkJobTarget, options: AutoscalerOptions, nowMs: number): Promise<RawJobMetrics> {
    const jobId = target.jobId ?? (await this.findRunningJob(target, options)).jobId;
    const jobPath = `/jobs/${encodeURIComponent(jobId)}`;
    const limiter = createConcurrencyLimiter(this.#concurrency);
    const call: RestCall = (path, query) => limiter.run(() => this.#get(target, options, path, query));
    const details = parseJobDetails(await call(jobPath), jobPath);
    if (details.state !== 'RUNNING') {
      throw new MetricsNotReadyError(
        'job-not-running',
        `Job ${jobId} is ${details.state}, not RUNNING`,
        { jobState: details.state },
      );
    }
    if (details.vertices.length === 0) {
      throw new MetricsNotReadyError('empty-plan', `Job ${jobId} has no vertices in its plan yet`);
    }
    if (details.runningTsMs === undefined) {
      throw new FlinkResponseFormatError(jobPath, 'timestamps.RUNNING', 'is missing for a RUNNING job');
    }
    const cache = this.#cacheFor(target, jobId, details.runningTsMs);

    const [vertexResults, taskManagers, jobManager, flinkConfiguration] = await Promise.all([
      Promise.all(
        details.vertices.map((vertex) => this.#collectVertex(call, jobPath, details, vertex, cache)),
      ),
      this.#collectTaskManagers(call, cache),
      this.#collectJobManager(call),
      // Best-effort: the configuration only refines decisions, so its failure (a proxy that
      // blocks the path, masked or odd values) must not cost the cycle; it is tried again next time.
      this.#collectConfiguration(call, jobPath, jobId, cache).catch(() => undefined),
    ]);

    const missingRequired = [
      ...vertexResults.flatMap((result) => result.missingRequired),
      ...taskManagers.missingRequired,
    ];
    const stableAtMs = details.runningTsMs + options.stabilizationIntervalMs;
    if (missingRequired.length > 0 && nowMs < stableAtMs) {
      // Right after a (re)start Flink has not reported every metric yet; Java skips quietly.
      throw new MetricsNotReadyError(
        'metrics-not-reported',
        `Job ${jobId} has not reported ${missingRequired.join(', ')} yet (stabilizing until ${new Date(stableAtMs).toISOString()})`,
      );
    }

    const vertices: Record<string, RawVertexMetrics> = {};
    for (const result of vertexResults) vertices[result.vertex.id] = result.metrics;
    return {
      collectedAtMs: nowMs,
      topology: {
        jobId: details.jobId,
        jobRunningTsMs: details.runningTsMs,
        vertices: vertexResults.map((result) => result.vertex),
      },
      vertices,
      taskManagers: taskManagers.metrics,
      jobManager,
      missingRequired,
      ...(details.name === undefined ? {} : { jobName: details.name }),
      ...(flinkConfiguration === undefined ? {} : { flinkConfiguration }),
    };
  }

  /** Closes the connection pool when this source created it. */
  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }

  async #collectVertex(
    call: RestCall,
    jobPath: string,
    details: JobDetails,
    vertex: VertexInfo,
    cache: JobCache,
  ): Promise<{ vertex: VertexInfo; metrics: RawVertexMetrics; missingRequired: string[] }> {
    const io = details.ioCounters[vertex.id] ?? {};
    if (vertex.finished) {
      // Finished subtasks report no metrics at all; the core treats the vertex as all-zero.
      return {
        vertex,
        metrics: assembleVertexMetrics(selectVertexMetrics([], false), new Map(), io, true),
        missingRequired: [],
      };
    }
    const isSource = vertex.inputs.length === 0;
    const metricsPath = `${jobPath}/vertices/${encodeURIComponent(vertex.id)}/subtasks/metrics`;
    let names = isSource ? undefined : cache.nonSourceNames.get(vertex.id);
    const fresh = names === undefined;
    if (names === undefined) names = parseMetricIdList(await call(metricsPath), metricsPath);
    const selection = selectVertexMetrics(names, isSource);
    // Only a complete listing is kept: one without a required metric (not reported yet, or gone
    // for a while) would hide it for the rest of the attempt. Java caches only complete ones too
    // (`getFilteredVertexMetricNames` throws `MetricNotFoundException` before caching).
    if (fresh && !isSource && selection.missingRequired.length === 0) {
      cache.nonSourceNames.set(vertex.id, names);
    }
    const aggregated =
      selection.queryIds.length === 0
        ? new Map<string, MetricAggregates>()
        : parseAggregatedMetrics(
            await call(metricsPath, { get: encodeMetricIds(selection.queryIds) }),
            metricsPath,
          );
    if (selection.queryIds.length > 0 && aggregated.size === 0) {
      await this.#noValues(call, metricsPath, details.jobId, vertex, selection.queryIds, cache);
    }
    const partitions = isSource ? countSourcePartitions(names) : 0;
    return {
      vertex: partitions > 0 ? { ...vertex, numSourcePartitions: partitions } : vertex,
      metrics: assembleVertexMetrics(selection, aggregated, io, false),
      missingRequired: selection.missingRequired.map((label) => `${vertex.id}:${label}`),
    };
  }

  /**
   * A vertex's aggregated query answered `[]`: some requested id has no value now (its subtasks
   * were redeployed, the metric was dropped). Without values LAG would read as 0 and busy time as
   * unknown, so the cycle is not ready. The cached listing is dropped and a fresh one names the
   * ids no longer reported (all queried ids when it still lists them: they came back meanwhile).
   */
  async #noValues(
    call: RestCall,
    metricsPath: string,
    jobId: string,
    vertex: VertexInfo,
    queried: readonly string[],
    cache: JobCache,
  ): Promise<never> {
    cache.nonSourceNames.delete(vertex.id);
    const listed = new Set(parseMetricIdList(await call(metricsPath), metricsPath));
    const gone = queried.filter((id) => !listed.has(id));
    const missing = gone.length > 0 ? gone : queried;
    const name = vertex.name === undefined ? vertex.id : `'${vertex.name}' (${vertex.id})`;
    throw new MetricsNotReadyError(
      'metrics-without-values',
      `Job ${jobId}: Flink has no values for ${missing.join(', ')} of vertex ${name} right now ` +
        '(an aggregated query then answers nothing at all); its metric listing is read again next cycle',
      { metrics: missing },
    );
  }

  async #collectTaskManagers(
    call: RestCall,
    cache: JobCache,
  ): Promise<{ metrics: RawTaskManagerMetrics; missingRequired: string[] }> {
    const required = Object.values(TASK_MANAGER_METRIC_IDS);
    const query = (ids: readonly string[]) =>
      call('/taskmanagers/metrics', { get: encodeMetricIds(ids), agg: 'min,max,avg' }).then((body) =>
        parseAggregatedMetrics(body, '/taskmanagers/metrics'),
      );
    let answer = new Map<string, MetricAggregates>();
    if (cache.gcMetricAvailable !== false) {
      // Flink answers an empty list when any requested id has no value, so the GC id is probed
      // together with the required ones and, if that is empty, the required ones asked alone.
      answer = await query([...required, GC_TIME_METRIC_ID]);
      if (answer.size > 0) cache.gcMetricAvailable = true;
    }
    if (answer.size === 0) {
      answer = await query(required);
      // The probe's verdict only counts once the TaskManagers report the required metrics: an
      // empty answer before that says nothing about GC, so the probe runs again next cycle (Java
      // `RestApiMetricsCollector.queryTmMetrics` forgets it the same way).
      cache.gcMetricAvailable = answer.size > 0 ? false : undefined;
    }
    const metrics: Record<string, MetricAggregates> = {};
    for (const [field, id] of Object.entries(TASK_MANAGER_METRIC_IDS)) {
      const value = answer.get(id);
      if (value !== undefined) metrics[field] = value;
    }
    const gc = answer.get(GC_TIME_METRIC_ID);
    if (gc !== undefined) metrics['gcTimeMsPerSecond'] = gc;
    const missingRequired = answer.size === 0 ? required.map((id) => `taskmanagers:${id}`) : [];
    return { metrics: metrics as RawTaskManagerMetrics, missingRequired };
  }

  async #collectJobManager(call: RestCall): Promise<RawJobManagerMetrics> {
    const path = '/jobmanager/metrics';
    const values = parseMetricValues(
      await call(path, { get: encodeMetricIds(['taskSlotsTotal', 'taskSlotsAvailable']) }),
      path,
    );
    const total = values.get('taskSlotsTotal');
    const available = values.get('taskSlotsAvailable');
    return {
      ...(typeof total === 'number' && Number.isFinite(total) ? { taskSlotsTotal: total } : {}),
      ...(typeof available === 'number' && Number.isFinite(available)
        ? { taskSlotsAvailable: available }
        : {}),
    };
  }

  async #collectConfiguration(
    call: RestCall,
    jobPath: string,
    jobId: string,
    cache: JobCache,
  ): Promise<Readonly<Record<string, string>>> {
    if (cache.configuration !== undefined) return cache.configuration;
    // Only a successful read is cached: a failed one is tried again next cycle.
    const perJobPath = `${jobPath}/jobmanager/config`;
    let configuration: Record<string, string>;
    try {
      configuration = parseConfigurationEntries(await call(perJobPath), perJobPath);
    } catch (error) {
      // Before Flink 1.19 the per-job endpoint does not exist (404, which the client reports as an
      // unknown job); the job details call just succeeded, so fall back to the cluster config.
      if (!(error instanceof JobNotFoundError && error.jobId === jobId)) throw error;
      configuration = parseConfigurationEntries(await call('/jobmanager/config'), '/jobmanager/config');
    }
    cache.configuration = configuration;
    return configuration;
  }

  #get(
    target: FlinkJobTarget,
    options: AutoscalerOptions,
    path: string,
    query?: Record<string, string>,
  ): Promise<unknown> {
    return this.#client.getJson(target, {
      path,
      timeoutMs: options.restClientTimeoutMs,
      ...(query ? { query } : {}),
    });
  }

  #cacheFor(target: FlinkJobTarget, jobId: string, runningTsMs: number): JobCache {
    // Keyed by job attempt: after a restart operator chains (and so metric names) may differ.
    const key = `${target.restBaseUrl}|${jobId}|${runningTsMs}`;
    let cache = this.#caches.get(key);
    if (cache === undefined) {
      cache = { nonSourceNames: new Map() };
      this.#caches.set(key, cache);
      if (this.#caches.size > this.#maxCachedJobs) {
        const oldest = this.#caches.keys().next().value;
        if (oldest !== undefined) this.#caches.delete(oldest);
      }
    }
    return cache;
  }
}
