import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { StateTable } from '../../cdk/lib/constructs/state-table.ts';
import { awsSolutionsFindings, testStack } from './cdk-test-support.ts';

describe('StateTable', () => {
  it('creates a provisioned, auto-scaled (1–500 units) table with pk/sk, TTL on expiresAt, PITR and AWS-managed encryption by default', () => {
    const stack = testStack();
    new StateTable(stack, 'State');
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    for (const dimension of ['dynamodb:table:ReadCapacityUnits', 'dynamodb:table:WriteCapacityUnits']) {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ScalableDimension: dimension,
        MinCapacity: 1,
        MaxCapacity: 500,
      });
    }
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
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

  it('bills on demand on request', () => {
    const stack = testStack();
    new StateTable(stack, 'State', { billing: { mode: 'on-demand' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
  });

  it('bills provisioned capacity with target-tracking auto scaling of reads and writes on request', () => {
    const stack = testStack();
    new StateTable(stack, 'State', {
      billing: {
        mode: 'provisioned',
        readCapacity: { min: 5, max: 200 },
        writeCapacity: { min: 10, max: 400 },
      },
    });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: Match.absent(),
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 10 },
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'dynamodb:table:WriteCapacityUnits',
      MinCapacity: 10,
      MaxCapacity: 400,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
      MinCapacity: 5,
      MaxCapacity: 200,
    });
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 70,
        PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBWriteCapacityUtilization' },
      }),
    });
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it.each([
    {
      name: 'a maximum below the minimum',
      billing: { readCapacity: { min: 50, max: 10 }, writeCapacity: { min: 5, max: 10 } },
      error: /readCapacity.max \(10\) must not be below readCapacity.min \(50\)/,
    },
    {
      name: 'zero capacity',
      billing: { readCapacity: { min: 5, max: 10 }, writeCapacity: { min: 0, max: 10 } },
      error: /writeCapacity.min must be an integer between 1 and 40000, got 0/,
    },
    {
      name: 'a target outside 20–90 %',
      billing: {
        readCapacity: { min: 5, max: 10 },
        writeCapacity: { min: 5, max: 10 },
        targetUtilizationPercent: 95,
      },
      error: /targetUtilizationPercent must be an integer between 20 and 90, got 95/,
    },
  ])('rejects provisioned billing with $name', ({ billing, error }) => {
    expect(() => new StateTable(testStack(), 'State', { billing: { mode: 'provisioned', ...billing } })).toThrow(
      error,
    );
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
