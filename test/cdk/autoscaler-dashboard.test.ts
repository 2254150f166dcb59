import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AutoscalerDashboard, JOB_VARIABLE_TOKEN } from '../../cdk/lib/constructs/autoscaler-dashboard.ts';
import { NOT_READY_REASONS } from '../../lib/adapters/cloudwatch/metric-catalog.ts';
import { testStack } from './cdk-test-support.ts';

interface Widget {
  type: string;
  properties: {
    title?: string;
    metrics?: unknown[][];
    query?: string;
    view?: string;
    markdown?: string;
  };
}

interface DashboardBody {
  widgets: Widget[];
  variables?: Array<{ type: string; pattern?: string; inputType: string; defaultValue?: string }>;
}

/** The synthesized dashboard body, with every token (function and log group names) as `TOKEN`. */
function dashboardBody(): { text: string; body: DashboardBody } {
  const stack = testStack();
  const fn = (id: string) =>
    new LambdaFunction(stack, id, {
      runtime: Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: Code.fromInline('export const handler = async () => {};'),
    });
  new AutoscalerDashboard(stack, 'Dashboard', {
    serviceName: 'fsa-test',
    dispatcher: fn('Dispatcher'),
    worker: fn('Worker'),
    workerLogGroup: new LogGroup(stack, 'WorkerLogs'),
    deadLetterQueue: new Queue(stack, 'Dlq'),
  });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
  const source = Object.values(dashboards)[0]!['Properties']['DashboardBody'] as {
    'Fn::Join': [string, unknown[]];
  };
  const text = source['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return { text, body: JSON.parse(text) as DashboardBody };
}

describe('AutoscalerDashboard', () => {
  const { text, body } = dashboardBody();
  const graphs = body.widgets.filter((w) => w.type === 'metric');
  const queries = body.widgets.filter((w) => w.type === 'log');
  const searchGraphs = graphs.filter((w) => JSON.stringify(w.properties.metrics).includes('SEARCH('));

  it.each([
    ['parallelism', 'MetricName=\\"PARALLELISM\\"'],
    ['recommended parallelism', 'MetricName=\\"RECOMMENDED_PARALLELISM\\"'],
    ['true processing rate', 'MetricName=\\"TRUE_PROCESSING_RATE_AVERAGE\\"'],
    ['target data rate', 'MetricName=\\"TARGET_DATA_RATE_AVERAGE\\"'],
    ['load', 'MetricName=\\"LOAD\\"'],
    ['lag', 'MetricName=\\"LAG\\"'],
    ['heap usage', 'MetricName=\\"HEAP_MAX_USAGE_RATIO\\"'],
    ['GC pressure', 'MetricName=\\"GC_PRESSURE\\"'],
  ])('graphs %s of the jobs with detailed metrics through a SEARCH expression', (_name, term) => {
    expect(text).toContain(term);
  });

  it('searches the exact vertex and job dimension sets of the reporter', () => {
    expect(text).toContain("SEARCH('{FlinkServerlessAutoscaler,Cluster,Namespace,Resource,Vertex}");
    expect(text).toContain("SEARCH('{FlinkServerlessAutoscaler,Cluster,Namespace,Resource}");
  });

  it('graphs the fleet with explicit Service metrics, never SEARCH', () => {
    const fleet = graphs.filter((w) => !searchGraphs.includes(w));
    const series = JSON.stringify(fleet.map((w) => w.properties.metrics));
    for (const name of ['JobsEvaluated', 'RunDurationMs', 'Errors', 'JobsScaled', 'JobsBlocked', 'StuckJobs']) {
      expect(series).toContain(`"${name}","Service","fsa-test"`);
    }
    for (const reason of NOT_READY_REASONS) {
      expect(series).toContain(`"NotReadyCycles","Reason","${reason}","Service","fsa-test"`);
    }
    expect(series).toContain('ApproximateNumberOfMessagesVisible');
    expect(series).not.toContain('SEARCH(');
  });

  it('keeps every SEARCH graph within 500 series: one SEARCH expression per graph', () => {
    expect(searchGraphs.length).toBeGreaterThan(0);
    for (const graph of searchGraphs) {
      const searches = JSON.stringify(graph.properties.metrics).match(/SEARCH\(/g) ?? [];
      expect(searches).toHaveLength(1);
    }
  });

  it('shows the vertices of a chosen job from the cycle records through Logs Insights', () => {
    const vertices = queries.find((w) => w.properties.title?.startsWith('Vertices of the chosen job'));
    expect(vertices?.properties.view).toBe('table');
    const query = vertices!.properties.query!;
    expect(query).toContain("SOURCE 'TOKEN'");
    expect(query).toContain('filter fsa = "cycle"');
    expect(query).toContain(`filter strcontains(job, "${JOB_VARIABLE_TOKEN}")`);
    expect(query).toContain('unnest record.v into vertex');
    for (const field of ['vertex.p', 'vertex.r', 'vertex.t', 'vertex.d', 'vertex.lag', 'vertex.l', 'vertex.n']) {
      expect(query).toContain(field);
    }
  });

  it('graphs parallelism vs recommended, lag and load of the chosen job over time', () => {
    const lines = queries.filter((w) => w.properties.view === 'timeSeries' || w.properties.view === 'line');
    const text = lines.map((w) => w.properties.query).join('\n');
    expect(text).toContain('sum(vertex.p) as parallelism, sum(vertex.r) as recommended by bin(1m)');
    expect(text).toContain('max(vertex.lag) as lag, avg(vertex.l) as load by bin(1m)');
  });

  it('has a Job pattern variable that every per-job query uses', () => {
    expect(body.variables).toEqual([
      expect.objectContaining({ type: 'pattern', pattern: JOB_VARIABLE_TOKEN, inputType: 'input', defaultValue: '/' }),
    ]);
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const query of queries) expect(query.properties.query).toContain(JOB_VARIABLE_TOKEN);
  });
});
