import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  AVERAGE_SUFFIX,
  DIMENSION,
  JOB_DIMENSIONS,
  JOB_METRIC,
  METRICS_NAMESPACE,
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
  return { period: Duration.minutes(1), namespace: METRICS_NAMESPACE };
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

/**
 * The autoscaler's dashboard: fleet health first (runs, errors, decisions, jobs evaluated, duration,
 * Lambda and DLQ), then per-job and per-vertex graphs built from SEARCH expressions.
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
        markdown: `# Flink Serverless Autoscaler (${props.serviceName})\nFleet health, then one line per job or vertex (\`Resource\` is \`<kind>/<name>\`, \`Vertex\` the JobVertexID). Run dimensions: ${RUN_DIMENSIONS.join(', ')}.`,
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
      graph('Decisions: scalings per job', [search(JOB_DIMENSIONS, JOB_METRIC.SCALINGS.name, 'Sum')], [], 8),
      graph('Decisions: blocked per job', [search(JOB_DIMENSIONS, JOB_METRIC.BLOCKED.name, 'Sum')], [], 8),
      graph('Errors per job', [search(JOB_DIMENSIONS, JOB_METRIC.ERRORS.name, 'Sum')], [], 8),
    );
    const vertexSearch = (name: string, statistic = 'Average') => search(VERTEX_DIMENSIONS, name, statistic);
    this.dashboard.addWidgets(
      graph(
        'Parallelism (left) vs recommended (right)',
        [vertexSearch(VERTEX_METRIC.PARALLELISM.name, 'Maximum')],
        [vertexSearch(VERTEX_METRIC.RECOMMENDED_PARALLELISM.name, 'Maximum')],
      ),
      graph(
        'True processing rate (left) vs target data rate (right), window averages, records/s',
        [vertexSearch(`${VERTEX_METRIC.TRUE_PROCESSING_RATE.name}${AVERAGE_SUFFIX}`)],
        [vertexSearch(`${VERTEX_METRIC.TARGET_DATA_RATE.name}${AVERAGE_SUFFIX}`)],
      ),
    );
    this.dashboard.addWidgets(
      graph('Load (busy time fraction)', [vertexSearch(VERTEX_METRIC.LOAD.name)]),
      graph('Lag (records)', [vertexSearch(VERTEX_METRIC.LAG.name, 'Maximum')]),
    );
    this.dashboard.addWidgets(
      graph(
        'Heap usage (max ratio)',
        [search(JOB_DIMENSIONS, JOB_METRIC.HEAP_MAX_USAGE_RATIO.name, 'Maximum')],
        [],
        8,
      ),
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
