import { Metrics } from '@aws-lambda-powertools/metrics';
import type { EvaluationReportExtras } from '../../ports/metrics-reporter.ts';
import type {
  EvaluatedMetrics,
  JobKey,
  NotReadyReason,
  ScalingDecision,
} from '../../domain/index.ts';
import { buildCycleRecord, DEFAULT_VERTEX_DETAIL_INTERVAL_MS, vertexDetailDue } from './cycle-record.ts';
import {
  AVERAGE_SUFFIX,
  AVERAGED_VERTEX_METRICS,
  DIMENSION,
  JOB_METRIC,
  METRICS_NAMESPACE,
  type MetricSpec,
  NOT_READY_REASONS,
  REASON_DIMENSION,
  RUN_METRIC,
  VERTEX_METRIC,
} from './metric-catalog.ts';

/** Where serialized EMF documents go: one JSON document per call, one line in the Lambda log. */
export type EmfOutput = (line: string) => void;

/** Logger for the reporter's own warnings (Powertools' `GenericLogger` shape). */
export interface ReporterLogger {
  warn(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/** Options of {@link EmfMetricsReporter}. */
export interface EmfMetricsReporterOptions {
  /** @default {@link METRICS_NAMESPACE} */
  readonly namespace?: string;
  /**
   * Value of the `Service` dimension of run metrics; identifies the deployment.
   * @default env `POWERTOOLS_SERVICE_NAME`, else `flink-serverless-autoscaler`
   */
  readonly serviceName?: string;
  /**
   * Sink for EMF documents. Lambda ships stdout lines to CloudWatch Logs, which extracts the metrics.
   * @default a line on `process.stdout`
   */
  readonly output?: EmfOutput;
  /** Logger for Powertools' own warnings. @default silent */
  readonly logger?: ReporterLogger;
  /** Clock for the EMF timestamp (epoch ms). @default `Date.now` */
  readonly now?: () => number;
  /**
   * Interval between cycle records that list every vertex, for a job whose cycles change nothing
   * (see ./cycle-record.ts); 0 lists them in every record.
   * @default {@link DEFAULT_VERTEX_DETAIL_INTERVAL_MS} (5 minutes)
   */
  readonly vertexDetailIntervalMs?: number;
}

/** Optional per-job values that are not part of the evaluation itself (the port's extras). */
export type EvaluationExtras = EvaluationReportExtras;

/** Totals of one run (a worker batch or a dispatcher tick). */
export interface RunReport {
  /** Which handler ran: sets the duration metric's name. @default 'worker' */
  readonly kind?: 'worker' | 'dispatcher';
  readonly durationMs: number;
  /** Jobs evaluated on a full metric window (not-ready cycles do not count). */
  readonly jobsEvaluated?: number;
  /** Cycles that could not evaluate their job, by reason (one `NotReadyCycles` metric per reason). */
  readonly notReadyByReason?: Readonly<Partial<Record<NotReadyReason, number>>>;
  /** Jobs not ready for longer than they can be by design. */
  readonly stuckJobs?: number;
  /** Jobs the dispatcher sent to the queue. */
  readonly jobsDispatched?: number;
  readonly errors: number;
}

const DEFAULT_SERVICE_NAME = 'flink-serverless-autoscaler';

const SILENT_LOGGER: ReporterLogger = {
  warn: () => {},
  debug: () => {},
  info: () => {},
  error: () => {},
};

const writeStdoutLine: EmfOutput = (line) => {
  process.stdout.write(`${line}\n`);
};

type Dimensions = Record<string, string>;

/**
 * Reports evaluations, decisions and run totals as CloudWatch Embedded Metric Format documents,
 * built with Powertools Metrics, and each evaluation as one cycle record (./cycle-record.ts).
 *
 * By default only fleet-level metrics (the `Service` dimension) are written: the number of custom
 * metrics, $0.30 each a month, does not grow with jobs or vertices. Decisions are counted into the
 * next worker run's document (JobsScaled, JobsBlocked). A job with `detailedMetrics` also gets its
 * per-job and per-vertex documents, as the operator's metric group has them.
 *
 * One document per dimension set: a document carries a single set of dimension values, so each
 * vertex, each job and each run gets its own. Documents are buffered and written by {@link flush},
 * which the handler middleware calls on success and on error, so a failing invocation still reports
 * what it measured.
 *
 * NaN and ±Infinity are skipped: CloudWatch rejects them, and "not computed" (NaN) or "idle vertex"
 * (an infinite true processing rate) has no meaningful point on a graph.
 *
 * @example
 * const reporter = new EmfMetricsReporter({ serviceName: 'fsa-prod' });
 * reporter.reportEvaluation(jobKey, evaluated, decision);
 * reporter.reportRun({ durationMs: 1200, jobsEvaluated: 1, errors: 0 });
 * reporter.flush();
 */
export class EmfMetricsReporter {
  readonly #metrics: Metrics;
  readonly #serviceName: string;
  readonly #output: EmfOutput;
  readonly #now: () => number;
  readonly #pending: string[] = [];
  readonly #vertexDetailIntervalMs: number;
  /** Decisions since the last worker run document. */
  #scaled = 0;
  #blocked = 0;
  #decisionsCounted = false;

  constructor(options: EmfMetricsReporterOptions = {}) {
    this.#serviceName = options.serviceName ?? process.env['POWERTOOLS_SERVICE_NAME'] ?? DEFAULT_SERVICE_NAME;
    this.#output = options.output ?? writeStdoutLine;
    this.#now = options.now ?? Date.now;
    this.#vertexDetailIntervalMs = options.vertexDetailIntervalMs ?? DEFAULT_VERTEX_DETAIL_INTERVAL_MS;
    this.#metrics = new Metrics({
      namespace: options.namespace ?? METRICS_NAMESPACE,
      serviceName: this.#serviceName,
      logger: options.logger ?? SILENT_LOGGER,
    });
    // Powertools adds a `service` default dimension to every document; the catalog's dimension sets
    // are exact (dashboards and alarms match them), so the reporter owns all dimensions itself.
    this.#metrics.clearDefaultDimensions();
  }

  /**
   * Records one job's evaluation and decision: its cycle record (listing every vertex when the cycle
   * changed something or the vertex-detail interval came round) and the fleet's decision counters;
   * with `detailedMetrics`, also a document per evaluated vertex (operator metric names, plus the
   * recommended parallelism of the decision) and one per job (heap, GC, memory plan, outcome
   * counters).
   */
  reportEvaluation(
    jobKey: JobKey,
    evaluated: EvaluatedMetrics | undefined,
    decision: ScalingDecision,
    extras: EvaluationExtras = {},
  ): void {
    const detailed =
      extras.cycleTimeMs === undefined ||
      vertexDetailDue({
        nowMs: extras.cycleTimeMs,
        intervalMs: this.#vertexDetailIntervalMs,
        changed: extras.changed === true,
        ...(extras.previousEvaluationMs !== undefined ? { previousEvaluationMs: extras.previousEvaluationMs } : {}),
      });
    this.#pending.push(
      JSON.stringify(
        buildCycleRecord(jobKey, evaluated, decision, {
          detailed,
          ...(extras.vertexNames ? { vertexNames: extras.vertexNames } : {}),
          ...(extras.evaluationAgeSeconds !== undefined ? { evaluationAgeSeconds: extras.evaluationAgeSeconds } : {}),
          ...(extras.savedUsd !== undefined ? { savedUsd: extras.savedUsd } : {}),
        }),
      ),
    );
    this.#decisionsCounted = true;
    if (decision.action === 'scale') this.#scaled += 1;
    if (decision.action === 'blocked') this.#blocked += 1;
    if (extras.detailedMetrics === true) this.#recordDetailed(jobKey, evaluated, decision, extras);
  }

  #recordDetailed(
    jobKey: JobKey,
    evaluated: EvaluatedMetrics | undefined,
    decision: ScalingDecision,
    extras: EvaluationExtras,
  ): void {
    const jobDimensions = dimensionsOf(jobKey);
    const recommended = new Map(decision.vertices.map((v) => [v.vertexId, v] as const));
    const vertexIds = new Set([...Object.keys(evaluated?.vertices ?? {}), ...recommended.keys()]);

    for (const vertexId of vertexIds) {
      const values: Array<[MetricSpec, number | undefined]> = [];
      const metrics = evaluated?.vertices[vertexId] ?? {};
      for (const [name, spec] of Object.entries(VERTEX_METRIC)) {
        const metric = metrics[name as keyof typeof VERTEX_METRIC];
        values.push([spec, metric?.current]);
      }
      for (const name of AVERAGED_VERTEX_METRICS) {
        const spec = VERTEX_METRIC[name];
        values.push([{ name: `${spec.name}${AVERAGE_SUFFIX}`, unit: spec.unit }, metrics[name]?.average]);
      }
      const vertexDecision = recommended.get(vertexId);
      if (vertexDecision !== undefined) {
        // The decision is authoritative for these two: it includes limits and alignment applied
        // after evaluation, which the evaluated RECOMMENDED_PARALLELISM may not reflect yet.
        values.push([VERTEX_METRIC.PARALLELISM, vertexDecision.currentParallelism]);
        values.push([VERTEX_METRIC.RECOMMENDED_PARALLELISM, vertexDecision.recommendedParallelism]);
      }
      this.#record({ ...jobDimensions, [DIMENSION.vertex]: vertexId }, values);
    }

    const plan = extras.memoryPlan;
    this.#record(jobDimensions, [
      [JOB_METRIC.HEAP_MAX_USAGE_RATIO, evaluated?.global.HEAP_MAX_USAGE_RATIO?.current],
      [JOB_METRIC.GC_PRESSURE, evaluated?.global.GC_PRESSURE?.current],
      [JOB_METRIC.MEMORY_RECOMMENDATION, plan?.totalAfterBytes],
      [JOB_METRIC.MEMORY_SAVING, plan?.savingBytes],
      [JOB_METRIC.SCALINGS, decision.action === 'scale' ? 1 : 0],
      [JOB_METRIC.BALANCED, decision.action === 'balanced' ? 1 : 0],
      [JOB_METRIC.BLOCKED, decision.action === 'blocked' ? 1 : 0],
      [JOB_METRIC.ERRORS, 0],
      [JOB_METRIC.EVALUATION_AGE, extras.evaluationAgeSeconds],
    ]);
  }

  /**
   * Records a failed cycle of one job (the operator's `errors` counter) when the job has detailed
   * metrics; otherwise the run's `Errors` counts it and the `cycle failed` log line names the job.
   */
  reportJobError(jobKey: JobKey, options: { readonly detailedMetrics?: boolean } = {}): void {
    if (options.detailedMetrics === true) this.#record(dimensionsOf(jobKey), [[JOB_METRIC.ERRORS, 1]]);
  }

  /** Records the totals of one run under the `Service` dimension. */
  reportRun(run: RunReport): void {
    const worker = run.kind !== 'dispatcher';
    this.#record({ [DIMENSION.service]: this.#serviceName }, [
      [worker ? RUN_METRIC.RUN_DURATION : RUN_METRIC.DISPATCH_DURATION, run.durationMs],
      [RUN_METRIC.JOBS_EVALUATED, run.jobsEvaluated],
      [RUN_METRIC.JOBS_DISPATCHED, run.jobsDispatched],
      [RUN_METRIC.STUCK_JOBS, run.stuckJobs],
      [RUN_METRIC.ERRORS, run.errors],
      ...(worker ? this.#takeDecisionCounts() : []),
    ]);
    // Only the reasons that occurred: a document per reason is ~300 log bytes, and a graph of
    // NotReadyCycles fills gaps with 0 (FILL) just as well. Nothing alarms on a reason's absence.
    if (worker && run.notReadyByReason) {
      for (const reason of NOT_READY_REASONS) {
        const count = run.notReadyByReason[reason] ?? 0;
        if (count === 0) continue;
        this.#record({ [DIMENSION.service]: this.#serviceName, [REASON_DIMENSION]: reason }, [
          [RUN_METRIC.NOT_READY_CYCLES, count],
        ]);
      }
    }
  }

  /** Number of documents waiting for {@link flush}. */
  get pendingCount(): number {
    return this.#pending.length;
  }

  /**
   * Writes every buffered document to the output, then empties the buffer. Decisions not yet
   * counted into a worker run's document (a caller that reports no run) get their own document.
   */
  flush(): void {
    if (this.#decisionsCounted) {
      this.#record({ [DIMENSION.service]: this.#serviceName }, this.#takeDecisionCounts());
    }
    const lines = this.#pending.splice(0);
    for (const line of lines) this.#output(line);
  }

  /** The decision counters as metric values (0 included, so alarms and graphs have data), reset. */
  #takeDecisionCounts(): Array<[MetricSpec, number]> {
    const counts: Array<[MetricSpec, number]> = [
      [RUN_METRIC.JOBS_SCALED, this.#scaled],
      [RUN_METRIC.JOBS_BLOCKED, this.#blocked],
    ];
    this.#scaled = 0;
    this.#blocked = 0;
    this.#decisionsCounted = false;
    return counts;
  }

  #record(dimensions: Dimensions, values: ReadonlyArray<readonly [MetricSpec, number | undefined]>): void {
    // Last finite value per name wins, so a later source (the decision) overrides an earlier one
    // instead of turning the metric into an EMF value array.
    const finite = new Map<string, readonly [MetricSpec, number]>();
    for (const [spec, value] of values) {
      if (value !== undefined && Number.isFinite(value)) finite.set(spec.name, [spec, value]);
    }
    if (finite.size === 0) return;
    try {
      this.#metrics.addDimensions(dimensions);
      for (const [spec, value] of finite.values()) this.#metrics.addMetric(spec.name, spec.unit, value);
      this.#metrics.setTimestamp(this.#now());
      this.#pending.push(JSON.stringify(this.#metrics.serializeMetrics()));
    } finally {
      // Serialization does not clear the stores (publishing would, but it writes to its own console).
      this.#metrics.clearMetrics();
      this.#metrics.clearDimensions();
      this.#metrics.clearMetadata();
    }
  }
}

function dimensionsOf(jobKey: JobKey): Dimensions {
  return {
    [DIMENSION.cluster]: jobKey.cluster,
    [DIMENSION.namespace]: jobKey.namespace,
    [DIMENSION.resource]: `${jobKey.kind}/${jobKey.name}`,
  };
}
