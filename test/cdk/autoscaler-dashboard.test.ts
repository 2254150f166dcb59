import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AutoscalerDashboard, JOB_VARIABLE_TOKEN } from '../../cdk/lib/constructs/autoscaler-dashboard.ts';
import { buildCycleRecord } from '../../lib/adapters/cloudwatch/cycle-record.ts';
import { NOT_READY_REASONS } from '../../lib/adapters/cloudwatch/metric-catalog.ts';
import type { EvaluatedMetrics, ScalingDecision } from '../../lib/domain/index.ts';
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
    // Only the detailed records list vertices; the others would unnest into one empty row.
    expect(query).toContain('filter ispresent(nv)');
    expect(query.indexOf('filter ispresent(nv)')).toBeLessThan(query.indexOf('unnest record.v into vertex'));
    for (const field of ['vertex.p', 'vertex.r', 'vertex.t', 'vertex.d', 'vertex.lag', 'vertex.l', 'vertex.n']) {
      expect(query).toContain(field);
    }
  });

  it('graphs parallelism vs recommended, lag and load of the chosen job over time from every record\'s totals', () => {
    const lines = queries.filter((w) => w.properties.view === 'timeSeries' || w.properties.view === 'line');
    const text = lines.map((w) => w.properties.query).join('\n');
    expect(text).toContain('stats sum(p) as parallelism, sum(r) as recommended by bin(1m)');
    expect(text).toContain('stats sum(lag) as lag, max(l) as load by bin(1m)');
    // The totals are in every record: no filter on the detailed ones, no unnest.
    expect(text).not.toContain('ispresent(nv)');
    expect(text).not.toContain('unnest');
  });

  it('says how old the per-vertex table can be (the vertex-detail interval)', () => {
    const texts = JSON.stringify(body.widgets.filter((w) => w.type === 'text'));
    expect(texts).toContain('the vertices are listed at least every 5 minutes, and at once when a cycle changes something');
  });

  it('reads only fields the reporter writes: vertex keys from detailed records, totals from every record', () => {
    // Prepare: a record of each shape with every value present
    const vertex = {
      LOAD: { current: 0.5, average: 0.5 },
      TRUE_PROCESSING_RATE: { current: 10, average: 10 },
      TARGET_DATA_RATE: { current: 8, average: 8 },
      LAG: { current: 7, average: 7 },
      PARALLELISM: { current: 2, average: 2 },
      RECOMMENDED_PARALLELISM: { current: 3, average: 3 },
    };
    const evaluated: EvaluatedMetrics = {
      vertices: { v1: vertex },
      global: { HEAP_MAX_USAGE_RATIO: { current: 0.5, average: 0.5 }, GC_PRESSURE: { current: 0.1, average: 0.1 } },
      processingBacklog: false,
    };
    const decision: ScalingDecision = {
      action: 'scale',
      vertices: [],
      guards: [],
      parallelismOverrides: {},
      summary: '',
      price: {
        vcpuHourUsd: 0.04,
        memoryGbHourUsd: 0.004,
        currentTaskManagers: 1,
        newTaskManagers: 2,
        taskManagerCpu: 2,
        taskManagerUsdPerHour: 0.1,
        deltaUsdPerHour: 0.1,
        deltaUsdPerMonth: 73,
      },
    };
    const job = { cluster: 'c', namespace: 'n', kind: 'FlinkDeployment' as const, name: 'j' };
    const extras = { vertexNames: { v1: 'Source' }, evaluationAgeSeconds: 60, savedUsd: 12.5 };
    const detailed = buildCycleRecord(job, evaluated, decision, extras);
    const short = buildCycleRecord(job, evaluated, decision, { ...extras, detailed: false });
    const vertexKeys = Object.keys(detailed.v![0]!);

    // Act
    const read = (query: string, pattern: RegExp) => [...query.matchAll(pattern)].map((m) => m[1]!);
    const unknownFields: string[] = [];
    const checked = new Set<string>();
    for (const widget of queries) {
      const query = widget.properties.query!;
      if (!query.includes('filter fsa = "cycle"')) continue;
      // Heap, GC, the vertices and the running total come only with the detailed records.
      const record = /ispresent\((nv|saved)\)/.test(query) ? detailed : short;
      for (const key of read(query, /vertex\.(\w+)/g)) {
        checked.add(`vertex.${key}`);
        if (!vertexKeys.includes(key)) unknownFields.push(`vertex.${key}`);
      }
      for (const key of read(query, /\b(?:sum|max|avg|latest|ispresent)\((\w+)\)/g)) {
        checked.add(key);
        if (!(key in record)) unknownFields.push(key);
      }
    }

    // Assess
    expect(unknownFields).toEqual([]);
    // every per-vertex value and every total the graphs show was checked
    expect([...checked].sort()).toEqual(
      ['age', 'gc', 'heap', 'l', 'lag', 'nv', 'p', 'r', 'saved', 'usd', 'vertex.d', 'vertex.l', 'vertex.lag', 'vertex.n', 'vertex.p', 'vertex.r', 'vertex.t'],
    );
    expect(vertexKeys.sort()).toEqual(['d', 'l', 'lag', 'n', 'p', 'r', 't']);
  });

  it('has a Job pattern variable that every per-job query uses', () => {
    expect(body.variables).toEqual([
      expect.objectContaining({ type: 'pattern', pattern: JOB_VARIABLE_TOKEN, inputType: 'input', defaultValue: '/' }),
    ]);
    expect(queries.length).toBeGreaterThanOrEqual(5);
    for (const query of queries) expect(query.properties.query).toContain(JOB_VARIABLE_TOKEN);
  });
});
