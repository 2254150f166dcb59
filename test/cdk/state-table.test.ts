import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { StateTable } from '../../cdk/lib/constructs/state-table.ts';
import { awsSolutionsFindings, testStack } from './cdk-test-support.ts';

describe('StateTable', () => {
  it('creates an on-demand table with pk/sk, TTL on expiresAt, PITR and AWS-managed encryption', () => {
    const stack = testStack();
    new StateTable(stack, 'State');
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it('uses a customer managed key and the given removal policy', () => {
    const stack = testStack();
    const key = new Key(stack, 'Key', { enableKeyRotation: true });
    new StateTable(stack, 'State', { encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      DeletionProtectionEnabled: false,
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});
