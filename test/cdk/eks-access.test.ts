import { Template } from 'aws-cdk-lib/assertions';
import { type CfnRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import {
  AUTOSCALER_KUBERNETES_GROUP,
  DISPATCHER_KUBERNETES_GROUP,
  EksAccess,
  type EksAccessCluster,
} from '../../cdk/lib/constructs/eks-access.ts';
import { awsSolutionsFindings, testStack } from './cdk-test-support.ts';

/** A stack with the two roles mapped into the given clusters. */
function build(clusters: readonly EksAccessCluster[], region: string | null = 'eu-west-1') {
  const stack = testStack({ region });
  const role = (id: string) => new Role(stack, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  const dispatcher = role('DispatcherRole');
  const worker = role('WorkerRole');
  const access = new EksAccess(stack, 'Access', {
    clusters,
    principals: [
      { name: 'Dispatcher', role: dispatcher, kubernetesGroup: DISPATCHER_KUBERNETES_GROUP },
      { name: 'Worker', role: worker, kubernetesGroup: AUTOSCALER_KUBERNETES_GROUP },
    ],
  });
  const arnOf = (r: Role) => ({ 'Fn::GetAtt': [stack.getLogicalId(r.node.defaultChild as CfnRole), 'Arn'] });
  return { stack, access, dispatcherArn: arnOf(dispatcher), workerArn: arnOf(worker) };
}

describe('EksAccess', () => {
  it('maps each role to its own group: the dispatcher read-only, the worker read-write', () => {
    const { stack, dispatcherArn, workerArn } = build([
      { name: 'prod-a', region: 'eu-west-1' },
      { name: 'prod-b', region: 'eu-west-1' },
    ]);
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EKS::AccessEntry', 4);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod-a',
      PrincipalArn: workerArn,
      Type: 'STANDARD',
      KubernetesGroups: ['flink-serverless-autoscaler'],
    });
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod-a',
      PrincipalArn: dispatcherArn,
      Type: 'STANDARD',
      KubernetesGroups: ['flink-serverless-autoscaler-dispatcher'],
    });
    template.resourceCountIs('Custom::EksAccessEntry', 0);
  });

  it('creates the entries of a cluster in another region through EKS calls in that region', () => {
    const { stack, access, workerArn } = build([
      { name: 'local', region: 'eu-west-1' },
      { name: 'remote', region: 'us-east-1' },
    ]);
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    template.resourceCountIs('Custom::EksAccessEntry', 2);
    expect(access.crossRegionEntries).toHaveLength(2);
    const entries = Object.values(template.findResources('Custom::EksAccessEntry')).map(
      (r) => r['Properties'] as Record<string, unknown>,
    );
    // The SDK calls are serialized as JSON with the role ARN as a token: resolve to compare.
    const create = entries.map((p) => JSON.stringify(p['Create']));
    const worker = create.find((c) => c.includes('flink-serverless-autoscaler\\"]') && !c.includes('dispatcher'));
    expect(worker).toBeDefined();
    expect(worker).toContain('\\"region\\":\\"us-east-1\\"');
    expect(worker).toContain('\\"action\\":\\"CreateAccessEntry\\"');
    expect(worker).toContain('\\"clusterName\\":\\"remote\\"');
    expect(worker).toContain('\\"type\\":\\"STANDARD\\"');
    expect(JSON.stringify(entries)).toContain(workerArn['Fn::GetAtt'][0]);
    for (const entry of entries) {
      expect(JSON.stringify(entry['Delete'])).toContain('DeleteAccessEntry');
      expect(JSON.stringify(entry['Update'])).toContain('UpdateAccessEntry');
    }
    // The provider may only manage access entries of that cluster, in that region.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['eks:CreateAccessEntry', 'eks:UpdateAccessEntry', 'eks:DeleteAccessEntry'],
            Effect: 'Allow',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks:us-east-1:123456789012:cluster/remote']] },
              {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':eks:us-east-1:123456789012:access-entry/remote/*'],
                ],
              },
            ],
          },
        ],
      },
    });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('puts a cluster without its own region in the stack region, even when that is unresolved', () => {
    const { stack } = build([{ name: 'prod', region: testStack({ region: null }).region }], null);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 2);
  });

  it('fails synth when a cluster region cannot be compared with an unresolved stack region', () => {
    expect(() => build([{ name: 'prod', region: 'us-east-1' }], null)).toThrow(
      /cluster prod is in region us-east-1 but the stack's region is not known at synth time.*-c region=<region>/,
    );
  });

  it('rejects duplicate cluster names', () => {
    expect(() =>
      build([
        { name: 'a', region: 'eu-west-1' },
        { name: 'a', region: 'us-east-1' },
      ]),
    ).toThrow(/cluster names must be unique/);
  });
});
