import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { STATE_TABLE } from '../../../lib/adapters/dynamodb/table-schema.ts';

/** Props of {@link StateTable}. */
export interface StateTableProps {
  /**
   * Physical table name. Leave unset so two deployments in one account never collide.
   * @default a CloudFormation-generated name
   */
  readonly tableName?: string;
  /**
   * Customer managed KMS key. When unset the table uses the AWS managed key (`aws/dynamodb`).
   * @default AWS managed key
   */
  readonly encryptionKey?: IKey;
  /**
   * What happens to the table when the stack deletes it. State holds scaling history, so it is
   * kept by default.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * DynamoDB deletion protection.
   * @default true when the removal policy is RETAIN, else false
   */
  readonly deletionProtection?: boolean;
  /**
   * Point-in-time recovery (35 days of restorable history).
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
}

/** Defaults of {@link StateTableProps}. */
export function defaultStateTableProps(): Required<Omit<StateTableProps, 'tableName' | 'encryptionKey'>> {
  return {
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    pointInTimeRecovery: true,
  };
}

/**
 * The autoscaler's single DynamoDB table (docs/design.md §5): on-demand, because load is one small burst per
 * schedule tick; TTL on `expiresAt` so samples and events expire on their own.
 */
export class StateTable extends Construct {
  /** The table. */
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StateTableProps = {}) {
    super(scope, id);
    const defaults = defaultStateTableProps();
    const removalPolicy = props.removalPolicy ?? defaults.removalPolicy;
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: STATE_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: STATE_TABLE.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? defaults.pointInTimeRecovery,
      },
      encryption: props.encryptionKey ? TableEncryption.CUSTOMER_MANAGED : TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      deletionProtection: props.deletionProtection ?? removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
  }
}
