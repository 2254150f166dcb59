import { Template } from 'aws-cdk-lib/assertions';
import { type CfnRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { EksAccess } from '../../cdk/lib/constructs/eks-access.ts';
import { testStack } from './cdk-test-support.ts';

describe('EksAccess', () => {
  it('creates one STANDARD access entry per cluster and role, mapped to the autoscaler group', () => {
    const stack = testStack();
    const role = (id: string) =>
      new Role(stack, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const worker = role('WorkerRole');
    new EksAccess(stack, 'Access', {
      clusterNames: ['prod-a', 'prod-b'],
      principals: [
        { name: 'Dispatcher', role: role('DispatcherRole') },
        { name: 'Worker', role: worker },
      ],
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EKS::AccessEntry', 4);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod-a',
      PrincipalArn: { 'Fn::GetAtt': [stack.getLogicalId(worker.node.defaultChild as CfnRole), 'Arn'] },
      Type: 'STANDARD',
      KubernetesGroups: ['flink-serverless-autoscaler'],
    });
  });

  it('rejects duplicate cluster names', () => {
    expect(() => new EksAccess(testStack(), 'Access', { clusterNames: ['a', 'a'], principals: [] })).toThrow(
      /cluster names must be unique/,
    );
  });
});
