/**
 * Published AWS prices (us-east-1, USD) that the cost model uses. Checked on 2026-12-04; where a
 * price could not be read from the page itself, the comment says where it came from. Free tiers
 * (per account, shared with every other workload) are NOT subtracted, except EventBridge
 * Scheduler's 14 million invocations a month, which the price list itself prices at $0.
 */
export interface CloudPrices {
  /** ISO date on which the prices were checked. */
  readonly checkedOn: string;
  readonly region: string;
  /** https://aws.amazon.com/lambda/pricing/ (arm64, first 7.5 billion GB-s tier). */
  readonly lambda: { readonly usdPerGbSecondArm: number; readonly usdPerMillionRequests: number };
  /** https://aws.amazon.com/sqs/pricing/ (first tier; the 1 million free requests are not counted). */
  readonly sqs: { readonly usdPerMillionStandard: number; readonly usdPerMillionFifo: number };
  /**
   * https://aws.amazon.com/dynamodb/pricing/on-demand/ (the 2024-11-01 reduction) and
   * https://aws.amazon.com/dynamodb/pricing/provisioned/ (Standard table class).
   */
  readonly dynamodb: {
    readonly usdPerMillionWriteUnits: number;
    readonly usdPerMillionReadUnits: number;
    readonly usdPerWcuHour: number;
    readonly usdPerRcuHour: number;
    readonly usdPerGbMonthStorage: number;
  };
  /** https://aws.amazon.com/cloudwatch/pricing/ */
  readonly cloudwatch: {
    /** First 10,000 custom metrics (every name + dimension-value combination is one metric). */
    readonly usdPerMetricMonth: number;
    readonly usdPerDashboardMonth: number;
    /** Standard-resolution alarm, per alarm metric. */
    readonly usdPerStandardAlarmMonth: number;
    /** Logs ingestion (Standard log class), per GB. */
    readonly usdPerGbLogsIngested: number;
    /** Logs archive storage, per GB-month. */
    readonly usdPerGbMonthLogsStored: number;
    /** Logs Insights, per GB scanned (dashboard widgets scan when viewed). */
    readonly usdPerGbInsightsScanned: number;
  };
  /** https://aws.amazon.com/eventbridge/pricing/ (Scheduler). */
  readonly scheduler: { readonly usdPerMillionInvocations: number; readonly freeInvocationsPerMonth: number };
}

/**
 * us-east-1 prices, checked 2026-12-04. Lambda, SQS, DynamoDB on-demand and CloudWatch: as on the
 * pages named in {@link CloudPrices}; DynamoDB provisioned ($0.00065 per WCU-hour, $0.00013 per
 * RCU-hour): as published on https://aws.amazon.com/dynamodb/pricing/provisioned/ (the page's
 * table is rendered client-side; the figures were taken from the brief of issue #16, not read on
 * the page); Scheduler: the AWS price list ("$0 for the first 14 million scheduled invocations",
 * effective 2024-10-01).
 */
export const US_EAST_1_PRICES: CloudPrices = {
  checkedOn: '2026-12-04',
  region: 'us-east-1',
  lambda: { usdPerGbSecondArm: 0.0000133334, usdPerMillionRequests: 0.2 },
  sqs: { usdPerMillionStandard: 0.4, usdPerMillionFifo: 0.5 },
  dynamodb: {
    usdPerMillionWriteUnits: 0.625,
    usdPerMillionReadUnits: 0.125,
    usdPerWcuHour: 0.00065,
    usdPerRcuHour: 0.00013,
    usdPerGbMonthStorage: 0.25,
  },
  cloudwatch: {
    usdPerMetricMonth: 0.3,
    usdPerDashboardMonth: 3,
    usdPerStandardAlarmMonth: 0.1,
    usdPerGbLogsIngested: 0.5,
    usdPerGbMonthLogsStored: 0.03,
    usdPerGbInsightsScanned: 0.005,
  },
  scheduler: { usdPerMillionInvocations: 1, freeInvocationsPerMonth: 14_000_000 },
};
