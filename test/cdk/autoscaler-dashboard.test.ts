import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { AutoscalerDashboard } from '../../cdk/lib/constructs/autoscaler-dashboard.ts';
import { testStack } from './cdk-test-support.ts';

function dashboardBody(): string {
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
    deadLetterQueue: new Queue(stack, 'Dlq'),
  });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
  const body = Object.values(dashboards)[0]!['Properties']['DashboardBody'];
  // The body is an Fn::Join of literal parts and tokens (function names); the literals are what matter.
  return JSON.stringify(body);
}

describe('AutoscalerDashboard', () => {
  const body = dashboardBody();

  it.each([
    ['parallelism', 'MetricName=\\\\\\"PARALLELISM\\\\\\"'],
    ['recommended parallelism', 'MetricName=\\\\\\"RECOMMENDED_PARALLELISM\\\\\\"'],
    ['true processing rate', 'MetricName=\\\\\\"TRUE_PROCESSING_RATE_AVERAGE\\\\\\"'],
    ['target data rate', 'MetricName=\\\\\\"TARGET_DATA_RATE_AVERAGE\\\\\\"'],
    ['load', 'MetricName=\\\\\\"LOAD\\\\\\"'],
    ['lag', 'MetricName=\\\\\\"LAG\\\\\\"'],
    ['heap usage', 'MetricName=\\\\\\"HEAP_MAX_USAGE_RATIO\\\\\\"'],
    ['GC pressure', 'MetricName=\\\\\\"GC_PRESSURE\\\\\\"'],
  ])('graphs %s through a SEARCH expression', (_name, term) => {
    expect(body).toContain(term);
  });

  it('searches the exact vertex and job dimension sets of the reporter', () => {
    expect(body).toContain("SEARCH('{FlinkServerlessAutoscaler,Cluster,Namespace,Resource,Vertex}");
    expect(body).toContain("SEARCH('{FlinkServerlessAutoscaler,Cluster,Namespace,Resource}");
  });

  it('shows fleet metrics under the Service dimension', () => {
    for (const name of ['JobsEvaluated', 'RunDurationMs', 'Errors']) {
      expect(body).toContain(`\\"${name}\\",\\"Service\\",\\"fsa-test\\"`);
    }
    expect(body).toContain('ApproximateNumberOfMessagesVisible');
  });
});
