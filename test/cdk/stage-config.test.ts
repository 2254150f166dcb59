import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readStageConfig } from '../../cdk/lib/stage-config.ts';

const context = (values: Record<string, unknown>) => ({ tryGetContext: (key: string) => values[key] });
/** The least VPC context: a VPC and one subnet. */
const IN_VPC = { clusters: ['a'], vpcId: 'vpc-0a1b2c3d', subnetIds: 'subnet-0a1b2c3d' };

describe('readStageConfig', () => {
  it('applies defaults around the required clusters', () => {
    const config = readStageConfig(context({ clusters: ['prod'] }));
    expect(config).toMatchObject({
      stackName: 'FlinkServerlessAutoscaler',
      env: {},
      clusters: [{ name: 'prod' }],
      workerConcurrency: 10,
      workerBatchSize: 10,
      tableBilling: {
        mode: 'provisioned',
        readCapacity: { min: 1, max: 500 },
        writeCapacity: { min: 1, max: 500 },
      },
      serviceName: 'flink-serverless-autoscaler',
      alarmEmails: [],
      deploymentDefaults: {},
      removalPolicy: RemovalPolicy.RETAIN,
      staleEvaluationPeriods: 3,
      sourceMapsInStackTraces: false,
      tracing: false,
    });
    expect(config.network).toBeUndefined();
    expect(config.workerReservedConcurrency).toBeUndefined();
    expect(config.scheduleRate.toMinutes()).toBe(1);
    expect(config.vertexDetailInterval.toMinutes()).toBe(5);
  });

  it('reads every key, including the string forms given with -c key=value', () => {
    const config = readStageConfig(
      context({
        account: '123456789012',
        region: 'eu-west-1',
        stackName: 'FsaProd',
        clusters: '[{"name":"a","region":"eu-central-1","namespaces":["flink"]},"b"]',
        scheduleRate: '5 minutes',
        workerConcurrency: '20',
        workerBatchSize: '5',
        vertexDetailMinutes: '0',
        tableBilling: 'provisioned',
        tableReadCapacity: '10-300',
        tableWriteCapacity: ' 20 - 400 ',
        tableTargetUtilization: '60',
        serviceName: 'fsa-prod',
        alarmEmail: 'a@example.com, b@example.com',
        deploymentDefaults:
          '{"job.autoscaler.target.utilization":0.6,"job.autoscaler.scaling.enabled":false}',
        removalPolicy: 'destroy',
        staleEvaluationPeriods: '0',
        sourceMapsInStackTraces: 'true',
      }),
    );
    expect(config).toMatchObject({
      stackName: 'FsaProd',
      env: { account: '123456789012', region: 'eu-west-1' },
      clusters: [{ name: 'a', region: 'eu-central-1', namespaces: ['flink'] }, { name: 'b' }],
      workerConcurrency: 20,
      workerBatchSize: 5,
      tableBilling: {
        mode: 'provisioned',
        readCapacity: { min: 10, max: 300 },
        writeCapacity: { min: 20, max: 400 },
        targetUtilizationPercent: 60,
      },
      serviceName: 'fsa-prod',
      alarmEmails: ['a@example.com', 'b@example.com'],
      deploymentDefaults: {
        'job.autoscaler.target.utilization': '0.6',
        'job.autoscaler.scaling.enabled': 'false',
      },
      removalPolicy: RemovalPolicy.DESTROY,
      staleEvaluationPeriods: 0,
      sourceMapsInStackTraces: true,
    });
    expect(config.scheduleRate.toMinutes()).toBe(Duration.minutes(5).toMinutes());
    expect(config.vertexDetailInterval.toSeconds()).toBe(0);
  });

  it('reads the VPC, endpoint, concurrency and tracing keys', () => {
    const config = readStageConfig(
      context({
        clusters: ['a'],
        vpcId: 'vpc-0a1b2c3d',
        subnetIds: 'subnet-0a1b2c3d, subnet-4e5f6a7b',
        securityGroupIds: '["sg-0f0e0d0c"]',
        clusterSecurityGroupIds: ['sg-0c1a2b3c'],
        vpcEndpoints: 'eks,sqs',
        routeTableIds: 'rtb-0a1b2c3d',
        dispatcherReservedConcurrency: '1',
        workerReservedConcurrency: 10,
        tracing: 'true',
      }),
    );
    expect(config).toMatchObject({
      network: {
        vpcId: 'vpc-0a1b2c3d',
        subnetIds: ['subnet-0a1b2c3d', 'subnet-4e5f6a7b'],
        securityGroupIds: ['sg-0f0e0d0c'],
        clusterSecurityGroupIds: ['sg-0c1a2b3c'],
        vpcEndpoints: ['eks', 'sqs'],
        routeTableIds: ['rtb-0a1b2c3d'],
      },
      dispatcherReservedConcurrency: 1,
      workerReservedConcurrency: 10,
      tracing: true,
    });
    const all = readStageConfig(context({ ...IN_VPC, vpcEndpoints: true }));
    expect(all.network?.vpcEndpoints).toEqual(['eks', 'sts', 'sqs', 'lambda', 'dynamodb']);
  });

  it('accepts a comma-separated cluster list', () => {
    expect(readStageConfig(context({ clusters: 'a, b' })).clusters).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it.each([
    {
      name: 'missing clusters',
      values: {},
      error: /context "clusters" is required: .*-c clusters='\[\{"name":"prod"\}\]'/,
    },
    {
      name: 'VPC id',
      values: { clusters: ['a'], vpcId: 'my-vpc', subnetIds: 'subnet-0a1b2c3d' },
      error: /"vpcId" must be a VPC id/,
    },
    {
      name: 'VPC without subnets',
      values: { clusters: ['a'], vpcId: 'vpc-0a1b2c3d' },
      error: /"subnetIds" is required with "vpcId"/,
    },
    {
      name: 'subnets without VPC',
      values: { clusters: ['a'], subnetIds: 'subnet-0a1b2c3d' },
      error: /"subnetIds" needs "vpcId"/,
    },
    {
      name: 'security group id',
      values: { ...IN_VPC, clusterSecurityGroupIds: 'subnet-0a1b2c3d' },
      error: /"clusterSecurityGroupIds": "subnet-0a1b2c3d" is not a sg-… id/,
    },
    {
      name: 'VPC endpoint',
      values: { ...IN_VPC, vpcEndpoints: 'eks,s3' },
      error: /"vpcEndpoints": "s3" is not one of eks, sts, sqs, lambda, dynamodb/,
    },
    {
      name: 'tracing switch',
      values: { clusters: ['a'], tracing: 'on' },
      error: /"tracing" must be true or false/,
    },
    {
      name: 'reserved concurrency',
      values: { clusters: ['a'], workerReservedConcurrency: 'lots' },
      error: /"workerReservedConcurrency" must be an integer/,
    },
    { name: 'cluster JSON', values: { clusters: '[{' }, error: /not valid JSON/ },
    {
      name: 'unknown cluster key',
      values: { clusters: [{ name: 'a', zone: 'x' }] },
      error: /unknown keys zone/,
    },
    {
      name: 'schedule rate',
      values: { clusters: ['a'], scheduleRate: '30 seconds' },
      error: /whole minutes/,
    },
    { name: 'account', values: { clusters: ['a'], account: '42' }, error: /12-digit/ },
    {
      name: 'concurrency',
      values: { clusters: ['a'], workerConcurrency: 'many' },
      error: /must be an integer/,
    },
    {
      name: 'batch size above the FIFO limit',
      values: { clusters: ['a'], workerBatchSize: '20' },
      error: /"workerBatchSize" must be an integer between 1 and 10, got 20/,
    },
    {
      name: 'a vertex-detail interval above an hour',
      values: { clusters: ['a'], vertexDetailMinutes: '90' },
      error: /"vertexDetailMinutes" must be an integer between 0 and 60, got 90/,
    },
    {
      name: 'billing mode',
      values: { clusters: ['a'], tableBilling: 'reserved' },
      error: /"tableBilling" must be "on-demand" or "provisioned", got "reserved"/,
    },
    {
      name: 'capacity range',
      values: { clusters: ['a'], tableBilling: 'provisioned', tableWriteCapacity: '100' },
      error: /"tableWriteCapacity" must be "<min>-<max>" capacity units/,
    },
    {
      name: 'capacity without provisioned billing',
      values: { clusters: ['a'], tableBilling: 'on-demand', tableReadCapacity: '5-10' },
      error: /"tableReadCapacity" applies only with tableBilling=provisioned/,
    },
    {
      name: 'removal policy',
      values: { clusters: ['a'], removalPolicy: 'snapshot' },
      error: /"retain" or "destroy"/,
    },
    {
      name: 'source-map switch',
      values: { clusters: ['a'], sourceMapsInStackTraces: 'yes' },
      error: /"sourceMapsInStackTraces" must be true or false/,
    },
    {
      name: 'deployment defaults',
      values: { clusters: ['a'], deploymentDefaults: '["x"]' },
      error: /must be an object/,
    },
  ])('rejects a bad $name', ({ values, error }) => {
    expect(() => readStageConfig(context(values))).toThrow(error);
  });
});
