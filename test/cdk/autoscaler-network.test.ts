import { Fn, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { FlinkAutoscaler, type FlinkAutoscalerProps } from '../../cdk/lib/flink-autoscaler.ts';
import { awsSolutionsFindings, testStack } from './cdk-test-support.ts';

const SUBNETS = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
const CLUSTER_SG = 'sg-0c1a2b3c4d5e6f708';

/** The autoscaler in an imported VPC, the way the app builds it from context. */
function inVpc(props: Partial<FlinkAutoscalerProps> = {}) {
  const stack = testStack();
  const vpc = Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f67890',
    availabilityZones: Fn.getAzs(),
  });
  const subnets = SUBNETS.map((id) => Subnet.fromSubnetId(stack, id, id));
  const autoscaler = new FlinkAutoscaler(stack, 'Autoscaler', {
    clusters: [{ name: 'private-eks' }],
    vpc,
    vpcSubnets: { subnets },
    ...props,
  });
  return { stack, autoscaler, template: Template.fromStack(stack) };
}

const sgOf = (stack: Stack, autoscaler: FlinkAutoscaler, fn: 'dispatcher' | 'worker') => ({
  'Fn::GetAtt': [
    stack.getLogicalId(autoscaler[fn].function.connections.securityGroups[0]!.node.defaultChild as never),
    'GroupId',
  ],
});

describe('FlinkAutoscaler in a VPC', () => {
  const { stack, autoscaler, template } = inVpc({
    clusterSecurityGroupIds: [CLUSTER_SG],
    vpcEndpoints: ['eks', 'sts', 'sqs', 'lambda', 'dynamodb'],
    routeTableIds: ['rtb-0a1b2c3d4e5f60001'],
  });

  it('runs both functions in the given subnets and tells them so (FSA_IN_VPC)', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(2);
    for (const fn of Object.values(functions)) {
      expect(fn['Properties']['VpcConfig']['SubnetIds']).toEqual(SUBNETS);
      expect(fn['Properties']['Environment']['Variables']['FSA_IN_VPC']).toBe('true');
    }
  });

  it('lets each function reach the cluster security group on 443', () => {
    for (const fn of ['dispatcher', 'worker'] as const) {
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: CLUSTER_SG,
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: sgOf(stack, autoscaler, fn),
      });
    }
  });

  it('creates the interface endpoints with private DNS, open only to the functions', () => {
    const endpoints = Object.values(
      template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }),
    );
    const services = endpoints.map((e) => JSON.stringify(e['Properties']['ServiceName']));
    expect(services.map((s) => /\.(eks|sts|sqs|lambda)"/.exec(s)?.[1]).sort()).toEqual([
      'eks',
      'lambda',
      'sqs',
      'sts',
    ]);
    for (const endpoint of endpoints) {
      expect(endpoint['Properties']).toMatchObject({
        PrivateDnsEnabled: true,
        SubnetIds: SUBNETS,
        VpcId: 'vpc-0a1b2c3d4e5f67890',
      });
    }
    // 2 functions × 4 endpoints + 2 to the cluster
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 10);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 443,
      SourceSecurityGroupId: sgOf(stack, autoscaler, 'worker'),
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('EksEndpointSecurityGroup'), 'GroupId'] },
    });
    // open: false — never the VPC CIDR
    expect(JSON.stringify(template.findResources('AWS::EC2::SecurityGroupIngress'))).not.toContain('CidrIp');
  });

  it('creates the DynamoDB gateway endpoint on the given route tables', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      VpcId: 'vpc-0a1b2c3d4e5f67890',
      RouteTableIds: ['rtb-0a1b2c3d4e5f60001'],
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.dynamodb']] },
    });
  });

  it('has no unacknowledged cdk-nag findings', () => {
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('uses given security groups instead of new ones', () => {
    const groupStack = testStack();
    const group = SecurityGroup.fromSecurityGroupId(groupStack, 'Fns', 'sg-0f0e0d0c0b0a09080');
    const vpc = Vpc.fromVpcAttributes(groupStack, 'Vpc', { vpcId: 'vpc-0a1b2c3d', availabilityZones: Fn.getAzs() });
    new FlinkAutoscaler(groupStack, 'Autoscaler', {
      clusters: [{ name: 'private-eks' }],
      vpc,
      vpcSubnets: { subnets: [Subnet.fromSubnetId(groupStack, 'S', SUBNETS[0]!)] },
      securityGroups: [group],
      clusterSecurityGroupIds: [CLUSTER_SG],
    });
    const groupTemplate = Template.fromStack(groupStack);
    groupTemplate.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    groupTemplate.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: CLUSTER_SG,
      FromPort: 443,
      SourceSecurityGroupId: 'sg-0f0e0d0c0b0a09080',
    });
  });

  it.each([
    { name: 'unknown endpoint', props: { vpcEndpoints: ['s3' as never] }, error: /"s3" is not one of eks, sts/ },
    {
      name: 'dynamodb without route tables',
      props: { vpcEndpoints: ['dynamodb' as const] },
      error: /gateway endpoint and needs the route tables.*"routeTableIds"/,
    },
  ])('rejects $name', ({ props, error }) => {
    expect(() => inVpc(props)).toThrow(error);
  });
});

describe('FlinkAutoscaler outside a VPC', () => {
  it('does not set FSA_IN_VPC and refuses network props without a VPC', () => {
    const stack = testStack();
    new FlinkAutoscaler(stack, 'Autoscaler', { clusters: [{ name: 'prod' }] });
    for (const fn of Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))) {
      expect(fn['Properties']['Environment']['Variables']['FSA_IN_VPC']).toBeUndefined();
      expect(fn['Properties']['VpcConfig']).toBeUndefined();
    }
    expect(
      () => new FlinkAutoscaler(testStack(), 'A', { clusters: [{ name: 'p' }], clusterSecurityGroupIds: [CLUSTER_SG] }),
    ).toThrow(/clusterSecurityGroupIds needs vpc/);
  });
});

describe('FlinkAutoscaler tracing and reserved concurrency', () => {
  it('turns on X-Ray active tracing on both functions and reserves concurrency per function', () => {
    const stack = testStack();
    new FlinkAutoscaler(stack, 'Autoscaler', {
      clusters: [{ name: 'prod' }],
      tracing: true,
      dispatcherReservedConcurrency: 2,
      workerReservedConcurrency: 12,
    });
    const template = Template.fromStack(stack);
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f['Properties']);
    expect(functions.map((f) => f['TracingConfig'])).toEqual([{ Mode: 'Active' }, { Mode: 'Active' }]);
    expect(functions.map((f) => f['ReservedConcurrentExecutions']).sort()).toEqual([12, 2]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }),
        ]),
      },
    });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('sets neither by default', () => {
    const stack = testStack();
    new FlinkAutoscaler(stack, 'Autoscaler', { clusters: [{ name: 'prod' }] });
    for (const fn of Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function'))) {
      expect(fn['Properties']['TracingConfig']).toBeUndefined();
      expect(fn['Properties']['ReservedConcurrentExecutions']).toBeUndefined();
    }
  });

  it('refuses a worker reservation below the queue poller concurrency', () => {
    expect(
      () =>
        new FlinkAutoscaler(testStack(), 'A', {
          clusters: [{ name: 'prod' }],
          workerConcurrency: 10,
          workerReservedConcurrency: 5,
        }),
    ).toThrow(/workerReservedConcurrency \(5\) must be at least workerConcurrency \(10\)/);
  });
});
