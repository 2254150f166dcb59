/**
 * What the CDK stack deploys that the cost depends on, read from the synthesized template of the
 * real `FlinkAutoscaler` construct (not from constants copied here), so a change to memory sizes,
 * the worker's batch size, the queue type, the table's billing or the alarms shows up in the cost
 * benchmark by itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FlinkAutoscaler } from '../cdk/lib/flink-autoscaler.ts';
import { RUNTIME_ENV } from '../functions/shared/runtime-environment.ts';

/** The deployed parameters of the cost model. */
export interface DeployedShape {
  readonly workerMemoryMb: number;
  readonly dispatcherMemoryMb: number;
  /** Messages per worker invocation (the SQS event source's batch size). */
  readonly workerBatchSize: number;
  /** Whether the job queue is a FIFO queue (priced higher per request). */
  readonly fifoQueue: boolean;
  /** `PAY_PER_REQUEST` or `PROVISIONED`. */
  readonly tableBillingMode: string;
  /** Retention of the functions' log groups, days. */
  readonly logRetentionDays: number;
  readonly alarms: number;
  readonly dashboards: number;
  /** The worker's interval between cycle records that list every vertex (`FSA_VERTEX_DETAIL_INTERVAL_MS`). */
  readonly vertexDetailIntervalMs: number;
}

type Resources = Record<string, { Properties?: Record<string, unknown> }>;

/** Synthesizes the default stack (one cluster, no bundling) and reads its cost parameters. */
export function deployedShape(): DeployedShape {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'fsa-cost-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new Stack(app, 'Cost', { env: { account: '123456789012', region: 'us-east-1' } });
  const autoscaler = new FlinkAutoscaler(stack, 'Autoscaler', { clusters: [{ name: 'prod-eks' }] });
  const template = Template.fromStack(stack);
  const functions = template.findResources('AWS::Lambda::Function') as Resources;
  const memoryOf = (logicalId: string) => Number(functions[logicalId]?.Properties?.['MemorySize'] ?? 128);
  const workerId = stack.getLogicalId(autoscaler.worker.function.node.defaultChild as never);
  const dispatcherId = stack.getLogicalId(autoscaler.dispatcher.function.node.defaultChild as never);
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping') as Resources);
  if (mappings.length !== 1) throw new Error(`expected one SQS event source mapping, found ${mappings.length}`);
  const queues = Object.values(template.findResources('AWS::SQS::Queue') as Resources);
  const tables = Object.values(template.findResources('AWS::DynamoDB::Table') as Resources).concat(
    Object.values(template.findResources('AWS::DynamoDB::GlobalTable') as Resources),
  );
  const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup') as Resources);
  return {
    workerMemoryMb: memoryOf(workerId),
    dispatcherMemoryMb: memoryOf(dispatcherId),
    workerBatchSize: Number(mappings[0]!.Properties?.['BatchSize'] ?? 10),
    fifoQueue: queues.some((q) => q.Properties?.['FifoQueue'] === true),
    tableBillingMode: String(tables[0]?.Properties?.['BillingMode'] ?? 'PROVISIONED'),
    logRetentionDays: Math.max(...logGroups.map((g) => Number(g.Properties?.['RetentionInDays'] ?? 0))),
    alarms: Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length,
    dashboards: Object.keys(template.findResources('AWS::CloudWatch::Dashboard')).length,
    vertexDetailIntervalMs: Number(environmentOf(functions[workerId])[RUNTIME_ENV.vertexDetailIntervalMs] ?? 0),
  };
}

function environmentOf(resource: { Properties?: Record<string, unknown> } | undefined): Record<string, string> {
  const environment = resource?.Properties?.['Environment'] as { Variables?: Record<string, string> } | undefined;
  return environment?.Variables ?? {};
}
