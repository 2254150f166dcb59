import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { STATE_TABLE } from '../../../lib/adapters/dynamodb/table-schema.ts';
import { PROVISIONED_TABLE_DEFAULTS } from '../../../lib/report/cost-model.ts';
import { AutoscalerConfigError, assertIntegerInRange } from '../validation.ts';

/** Lowest and highest capacity units auto scaling may set. */
export interface CapacityRange {
  readonly min: number;
  readonly max: number;
}

/**
 * How the table is billed.
 *
 * - `provisioned` (the default): capacity units per hour, scaled by Application Auto Scaling to keep the consumed
 *   capacity at `targetUtilizationPercent`. A steady fleet at a 1-minute cadence consumes about
 *   the same units every minute, which is what provisioned capacity prices lowest: in us-east-1 a
 *   write capacity unit costs $0.00065 per hour and sustains 60 writes of 1 KB a minute (2.6
 *   million a month, $1.62 on demand at $0.625 per million), so at 70 % utilization provisioned
 *   writes cost about 40 % of on-demand (https://aws.amazon.com/dynamodb/pricing/provisioned/).
 *   Each tick's cycles write within seconds; DynamoDB burst capacity (up to 300 s of unused
 *   capacity, "Burst capacity" in the DynamoDB Developer Guide) absorbs that, and a cycle that is
 *   still throttled fails and the next tick retries it (docs/architecture.md "Failure policy").
 * - `on-demand`: per request unit; nothing to size, and the cheaper choice for a fleet whose size
 *   changes a lot or that runs at a long cadence.
 */
export type StateTableBilling =
  | { readonly mode: 'on-demand' }
  | {
      readonly mode: 'provisioned';
      readonly readCapacity: CapacityRange;
      readonly writeCapacity: CapacityRange;
      /** Consumed / provisioned capacity auto scaling aims at (20–90). @default 70 */
      readonly targetUtilizationPercent?: number;
    };

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
  /**
   * Billing mode (see {@link StateTableBilling}).
   * @default provisioned, 1–500 units of each kind, 70 % target utilization
   */
  readonly billing?: StateTableBilling;
}

/**
 * Capacity auto scaling may set by default, the range the cost model prices
 * (`PROVISIONED_TABLE_DEFAULTS` in lib/report/cost-model.ts): a floor of 1 unit keeps a small
 * fleet's fixed cost at about $0.57 a month; the ceilings cap what auto scaling may buy (raise them
 * for fleets of more than a few thousand jobs).
 */
export const DEFAULT_PROVISIONED_CAPACITY = {
  readCapacity: { min: PROVISIONED_TABLE_DEFAULTS.minUnits, max: PROVISIONED_TABLE_DEFAULTS.maxUnits },
  writeCapacity: { min: PROVISIONED_TABLE_DEFAULTS.minUnits, max: PROVISIONED_TABLE_DEFAULTS.maxUnits },
} as const;

/** Defaults of {@link StateTableProps}. */
export function defaultStateTableProps(): Required<Omit<StateTableProps, 'tableName' | 'encryptionKey'>> {
  return {
    removalPolicy: RemovalPolicy.RETAIN,
    deletionProtection: true,
    pointInTimeRecovery: true,
    billing: { mode: 'provisioned', ...DEFAULT_PROVISIONED_CAPACITY },
  };
}

/** Default auto scaling target of provisioned billing (the AWS console's default as well). */
export const DEFAULT_TARGET_UTILIZATION_PERCENT = Math.round(PROVISIONED_TABLE_DEFAULTS.targetUtilization * 100);

/** Highest capacity units one auto scaling range may reach (DynamoDB's default table quota). */
const MAX_CAPACITY_UNITS = 40_000;

function validateRange(name: string, range: CapacityRange): void {
  assertIntegerInRange(`${name}.min`, range?.min, 1, MAX_CAPACITY_UNITS);
  assertIntegerInRange(`${name}.max`, range?.max, 1, MAX_CAPACITY_UNITS);
  if (range.max < range.min) {
    throw new AutoscalerConfigError(`${name}.max (${range.max}) must not be below ${name}.min (${range.min})`);
  }
}

/**
 * The autoscaler's single DynamoDB table (docs/design.md §5): provisioned with auto scaling by
 * default, on-demand on request (see {@link StateTableBilling}); TTL on `expiresAt` so samples and events
 * expire on their own.
 */
export class StateTable extends Construct {
  /** The table. */
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StateTableProps = {}) {
    super(scope, id);
    const defaults = defaultStateTableProps();
    const removalPolicy = props.removalPolicy ?? defaults.removalPolicy;
    const billing = props.billing ?? defaults.billing;
    const provisioned = billing.mode === 'provisioned' ? billing : undefined;
    if (provisioned) {
      validateRange('readCapacity', provisioned.readCapacity);
      validateRange('writeCapacity', provisioned.writeCapacity);
    }
    const target = provisioned?.targetUtilizationPercent ?? DEFAULT_TARGET_UTILIZATION_PERCENT;
    // Application Auto Scaling accepts 20–90 % for DynamoDB target tracking.
    if (provisioned) assertIntegerInRange('targetUtilizationPercent', target, 20, 90);
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: STATE_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: STATE_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: STATE_TABLE.ttlAttribute,
      ...(provisioned
        ? {
            billingMode: BillingMode.PROVISIONED,
            readCapacity: provisioned.readCapacity.min,
            writeCapacity: provisioned.writeCapacity.min,
          }
        : { billingMode: BillingMode.PAY_PER_REQUEST }),
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: props.pointInTimeRecovery ?? defaults.pointInTimeRecovery,
      },
      encryption: props.encryptionKey ? TableEncryption.CUSTOMER_MANAGED : TableEncryption.AWS_MANAGED,
      encryptionKey: props.encryptionKey,
      deletionProtection: props.deletionProtection ?? removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy,
    });
    if (provisioned) {
      this.table
        .autoScaleReadCapacity({ minCapacity: provisioned.readCapacity.min, maxCapacity: provisioned.readCapacity.max })
        .scaleOnUtilization({ targetUtilizationPercent: target });
      this.table
        .autoScaleWriteCapacity({
          minCapacity: provisioned.writeCapacity.min,
          maxCapacity: provisioned.writeCapacity.max,
        })
        .scaleOnUtilization({ targetUtilizationPercent: target });
    }
  }
}
