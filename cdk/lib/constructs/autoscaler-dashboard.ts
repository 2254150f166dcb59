import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  DashboardVariable,
  DefaultValue,
  GraphWidget,
  type IMetric,
  LogQueryVisualizationType,
  LogQueryWidget,
  MathExpression,
  Metric,
  TextWidget,
  VariableInputType,
  VariableType,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  AVERAGE_SUFFIX,
  CYCLE_RECORD,
  DIMENSION,
  JOB_DIMENSIONS,
  JOB_METRIC,
  METRICS_NAMESPACE,
  NOT_READY_REASONS,
  REASON_DIMENSION,
  RUN_DIMENSIONS,
  RUN_METRIC,
  VERTEX_DIMENSIONS,
  VERTEX_METRIC,
} from '../../../lib/adapters/cloudwatch/metric-catalog.ts';

/** Props of {@link AutoscalerDashboard}. */
export interface AutoscalerDashboardProps {
  /** `Service` dimension value of the run metrics (the functions' `POWERTOOLS_SERVICE_NAME`). */
  readonly serviceName: string;
  readonly dispatcher: IFunction;
  readonly worker: IFunction;
  /** The worker's log group: its cycle records feed the per-job and per-vertex Logs Insights widgets. */
  readonly workerLogGroup: ILogGroup;
  /**
   * Interval between cycle records that list every vertex when nothing changes (the worker's
   * `FSA_VERTEX_DETAIL_INTERVAL_MS`): how old the per-vertex table can be. @default Duration.minutes(5)
   */
  readonly vertexDetailInterval?: Duration;
  readonly deadLetterQueue: IQueue;
  /** @default a CloudFormation-generated name */
  readonly dashboardName?: string;
  /** Aggregation period of the graphs. @default Duration.minutes(1) */
  readonly period?: Duration;
  /** @default METRICS_NAMESPACE */
  readonly namespace?: string;
}

/** Defaults of {@link AutoscalerDashboardProps}. */
export function defaultAutoscalerDashboardProps() {
  return { period: Duration.minutes(1), namespace: METRICS_NAMESPACE, vertexDetailInterval: Duration.minutes(5) };
}

/**
 * CloudWatch SEARCH expression over one dimension set: it matches every job or vertex present in the
 * namespace, so new ones show up without a redeploy.
 */
export function searchExpression(
  namespace: string,
  dimensions: readonly string[],
  metricName: string,
  statistic: string,
  period: Duration,
): string {
  return `SEARCH('{${namespace},${dimensions.join(',')}} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()})`;
}

/** Text of the dashboard's Job variable in the queries; the dashboard replaces it with the input. */
export const JOB_VARIABLE_TOKEN = 'FSA_JOB_FILTER';

/** The first lines of every per-job query: the cycle records of the jobs matching the Job variable. */
export function cycleRecordsOfChosenJob(): string[] {
  return [
    `filter ${CYCLE_RECORD.markerKey} = "${CYCLE_RECORD.markerValue}"`,
    `filter strcontains(job, "${JOB_VARIABLE_TOKEN}")`,
  ];
}

/**
 * The vertices of the chosen job, one row per vertex: only the detailed cycle records list them
 * (`nv` present); `unnest` would turn a record without the list into one empty row.
 */
export function verticesOfChosenJob(): string[] {
  return [
    ...cycleRecordsOfChosenJob(),
    'filter ispresent(nv)',
    'fields jsonParse(@message) as record',
    'unnest record.v into vertex',
  ];
}

/**
 * The autoscaler's dashboard: fleet health first (runs, errors, decisions, not-ready reasons,
 * durations, Lambda and DLQ; fleet metrics only, no SEARCH), then each job's vertices from the
 * cycle records through Logs Insights, then SEARCH graphs of the jobs with detailed metrics.
 */
export class AutoscalerDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: AutoscalerDashboardProps) {
    super(scope, id);
    const defaults = defaultAutoscalerDashboardProps();
    const period = props.period ?? defaults.period;
    const namespace = props.namespace ?? defaults.namespace;

    const runMetric = (name: string, statistic: string, label: string) =>
      new Metric({
        namespace,
        metricName: name,
        dimensionsMap: { [DIMENSION.service]: props.serviceName },
        statistic,
        period,
        label,
      });
    const search = (dimensions: readonly string[], metricName: string, statistic: string, label = '') =>
      new MathExpression({
        expression: searchExpression(namespace, dimensions, metricName, statistic, period),
        label,
        period,
      });
    const graph = (title: string, left: IMetric[], right: IMetric[] = [], width = 12) =>
      new GraphWidget({ title, left, right, width, height: 6 });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Flink Serverless Autoscaler (${props.serviceName})\nFleet health (metrics with the dimension ${RUN_DIMENSIONS.join(', ')}), then the vertices of a chosen job (Logs Insights), then jobs with detailed metrics (\`Resource\` is \`<kind>/<name>\`, \`Vertex\` the JobVertexID).`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Runs and jobs evaluated',
        [
          props.worker.metricInvocations({ period, label: 'worker invocations' }),
          props.dispatcher.metricInvocations({ period, label: 'dispatcher runs' }),
          runMetric(RUN_METRIC.JOBS_EVALUATED.name, 'Sum', 'jobs evaluated'),
          runMetric(RUN_METRIC.JOBS_DISPATCHED.name, 'Sum', 'jobs dispatched'),
        ],
        [],
        8,
      ),
      graph(
        'Errors',
        [
          runMetric(RUN_METRIC.ERRORS.name, 'Sum', 'run errors'),
          props.worker.metricErrors({ period, label: 'worker Lambda errors' }),
          props.dispatcher.metricErrors({ period, label: 'dispatcher Lambda errors' }),
        ],
        [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, label: 'DLQ depth' })],
        8,
      ),
      graph(
        'Worker run and dispatch duration (ms)',
        [
          runMetric(RUN_METRIC.RUN_DURATION.name, 'Average', 'average'),
          runMetric(RUN_METRIC.RUN_DURATION.name, 'Maximum', 'maximum'),
          runMetric(RUN_METRIC.DISPATCH_DURATION.name, 'Maximum', 'dispatcher maximum'),
        ],
        [],
        8,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Decisions (fleet)',
        [
          runMetric(RUN_METRIC.JOBS_EVALUATED.name, 'Sum', 'jobs evaluated'),
          runMetric(RUN_METRIC.JOBS_SCALED.name, 'Sum', 'jobs scaled'),
          runMetric(RUN_METRIC.JOBS_BLOCKED.name, 'Sum', 'jobs blocked'),
        ],
        [],
        8,
      ),
      graph(
        'Not-ready cycles by reason (fleet)',
        NOT_READY_REASONS.map(
          (reason) =>
            new Metric({
              namespace,
              metricName: RUN_METRIC.NOT_READY_CYCLES.name,
              dimensionsMap: { [DIMENSION.service]: props.serviceName, [REASON_DIMENSION]: reason },
              statistic: 'Sum',
              period,
              label: reason,
            }),
        ),
        [],
        8,
      ),
      graph('Stuck jobs (fleet)', [runMetric(RUN_METRIC.STUCK_JOBS.name, 'Maximum', 'stuck jobs')], [], 8),
    );
    this.addJobDetail(props.workerLogGroup, props.vertexDetailInterval ?? defaults.vertexDetailInterval);
    this.addDetailedMetricGraphs(search, graph);
  }

  /**
   * Per-job and per-vertex detail from the worker's cycle records (Logs Insights, scanned only
   * when the dashboard is viewed), for the job chosen with the dashboard's Job variable.
   */
  private addJobDetail(logGroup: ILogGroup, vertexDetailInterval: Duration): void {
    this.dashboard.addVariable(
      new DashboardVariable({
        id: 'job',
        type: VariableType.PATTERN,
        inputType: VariableInputType.INPUT,
        label: 'Job (part of cluster/namespace/kind/name)',
        value: JOB_VARIABLE_TOKEN,
        // Every job key contains a slash: by default the widgets show every job.
        defaultValue: DefaultValue.value('/'),
      }),
    );
    const query = (title: string, lines: string[], view: LogQueryVisualizationType, width: number) =>
      new LogQueryWidget({ title, logGroupNames: [logGroup.logGroupName], queryLines: lines, view, width, height: 6 });
    const chosenVertices = verticesOfChosenJob();
    const detailAge =
      vertexDetailInterval.toSeconds() === 0
        ? 'every cycle'
        : `at least every ${vertexDetailInterval.toHumanString()}, and at once when a cycle changes something`;
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## Jobs and vertices\nFrom the worker\'s cycle records (one log line per job-cycle with the job\'s totals, read with Logs Insights when viewed; ' +
          `the vertices are listed ${detailAge}). ` +
          'Type part of a job key in the **Job** variable above (e.g. its name) to choose a job.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      query(
        'Vertices of the chosen job: parallelism, recommendation, rates (records/s), lag, load',
        [
          ...chosenVertices,
          'stats latest(vertex.p) as parallelism, latest(vertex.r) as recommended, latest(vertex.t) as trueProcessingRate, ' +
            'latest(vertex.d) as targetDataRate, latest(vertex.lag) as lag, latest(vertex.l) as load by job, vertex.n',
          'sort job, vertex.n',
          'limit 1000',
        ],
        LogQueryVisualizationType.TABLE,
        24,
      ),
    );
    this.dashboard.addWidgets(
      query(
        'Chosen job: total parallelism vs recommended',
        // From every record's job totals, so the graph has a point each cycle.
        [...cycleRecordsOfChosenJob(), 'stats sum(p) as parallelism, sum(r) as recommended by bin(1m)'],
        LogQueryVisualizationType.LINE,
        12,
      ),
      query(
        'Chosen job: pending records and the busiest vertex\'s load',
        [...cycleRecordsOfChosenJob(), 'stats sum(lag) as lag, max(l) as load by bin(1m)'],
        LogQueryVisualizationType.LINE,
        12,
      ),
    );
    this.dashboard.addWidgets(
      query(
        'Decisions that changed something, per job',
        [...cycleRecordsOfChosenJob(), 'filter action != "balanced"', 'stats count(*) as cycles by job, action', 'sort cycles desc', 'limit 100'],
        LogQueryVisualizationType.TABLE,
        8,
      ),
      query(
        'Failed cycles per job',
        ['filter message = "cycle failed"', `filter strcontains(job, "${JOB_VARIABLE_TOKEN}")`, 'stats count(*) as failures by job, step', 'sort failures desc', 'limit 100'],
        LogQueryVisualizationType.TABLE,
        8,
      ),
      query(
        'Heap, GC and evaluation age per job (latest)',
        [...cycleRecordsOfChosenJob(), 'filter ispresent(nv)', 'stats latest(heap) as heapMaxUsage, latest(gc) as gcPressure, latest(age) as evaluationAgeSeconds by job', 'sort heapMaxUsage desc', 'limit 100'],
        LogQueryVisualizationType.TABLE,
        8,
      ),
    );
    // The price of every recommended change and the running total against the spec (README,
    // "Vertex names and the price of a decision").
    this.dashboard.addWidgets(
      query(
        'Recommended changes and their price (USD per month, + adds, − saves)',
        [...cycleRecordsOfChosenJob(), 'filter ispresent(usd)', 'fields @timestamp, job, action, p as parallelism, r as recommended, usd as usdPerMonth', 'sort @timestamp desc', 'limit 100'],
        LogQueryVisualizationType.TABLE,
        12,
      ),
      query(
        'Saved (+) or added (−) against each job\'s own spec so far, USD',
        [...cycleRecordsOfChosenJob(), 'filter ispresent(saved)', 'stats latest(saved) as savedUsd by job', 'sort savedUsd desc', 'limit 100'],
        LogQueryVisualizationType.TABLE,
        12,
      ),
    );
  }

  /**
   * Graphs of the jobs that opted in to CloudWatch metrics (detailed-metrics annotation): SEARCH
   * expressions over the per-vertex and per-job dimension sets, so they show up without a redeploy;
   * a SEARCH returns at most 500 series per graph.
   */
  private addDetailedMetricGraphs(
    search: (dimensions: readonly string[], metricName: string, statistic: string) => IMetric,
    graph: (title: string, left: IMetric[], right?: IMetric[], width?: number) => GraphWidget,
  ): void {
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '## Jobs with detailed metrics\nOnly jobs annotated `flink-serverless-autoscaler/detailed-metrics: "true"` ' +
          '(CloudWatch custom metrics, $0.30 each a month); one line per job or vertex, up to 500 per graph.',
        width: 24,
        height: 2,
      }),
    );
    const vertexSearch = (name: string, statistic = 'Average') => search(VERTEX_DIMENSIONS, name, statistic);
    // One SEARCH per graph: each may return up to 500 series, and a graph shows at most 500
    // (CloudWatch User Guide, "Using search expressions in graphs" / service quotas), so two
    // SEARCHes side by side in one graph could pass the limit for a large fleet.
    this.dashboard.addWidgets(
      graph('Parallelism', [vertexSearch(VERTEX_METRIC.PARALLELISM.name, 'Maximum')], [], 6),
      graph('Recommended parallelism', [vertexSearch(VERTEX_METRIC.RECOMMENDED_PARALLELISM.name, 'Maximum')], [], 6),
      graph(
        'True processing rate, window average, records/s',
        [vertexSearch(`${VERTEX_METRIC.TRUE_PROCESSING_RATE.name}${AVERAGE_SUFFIX}`)],
        [],
        6,
      ),
      graph(
        'Target data rate, window average, records/s',
        [vertexSearch(`${VERTEX_METRIC.TARGET_DATA_RATE.name}${AVERAGE_SUFFIX}`)],
        [],
        6,
      ),
    );
    this.dashboard.addWidgets(
      graph('Load (busy time fraction)', [vertexSearch(VERTEX_METRIC.LOAD.name)]),
      graph('Lag (records)', [vertexSearch(VERTEX_METRIC.LAG.name, 'Maximum')]),
    );
    this.dashboard.addWidgets(
      graph('Heap usage (max ratio)', [search(JOB_DIMENSIONS, JOB_METRIC.HEAP_MAX_USAGE_RATIO.name, 'Maximum')], [], 8),
      graph('GC pressure', [search(JOB_DIMENSIONS, JOB_METRIC.GC_PRESSURE.name, 'Maximum')], [], 8),
      graph(
        'Memory recommendation (bytes per TaskManager)',
        [search(JOB_DIMENSIONS, JOB_METRIC.MEMORY_RECOMMENDATION.name, 'Average')],
        [],
        8,
      ),
    );
  }
}
