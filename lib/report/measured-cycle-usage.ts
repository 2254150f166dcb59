/**
 * Usage per job-cycle measured by the cost benchmark, the input of `fsa cost`. GENERATED: refresh
 * with `npm run bench -- --only=cost --write-usage` after a change to what a cycle does (requests,
 * item sizes, log lines, metrics) or to the deployed stack (memory, batch size, alarms).
 */
import type { MeasuredUsage } from './cost-model.ts';

/** As deployed by the CDK stack today. */
export const MEASURED_USAGE: MeasuredUsage = {
  "measuredOn": "2026-12-05",
  "workerMemoryMb": 256,
  "dispatcherMemoryMb": 256,
  "workerBatchSize": 10,
  "defaults": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 151.06,
      "sqsRequests": 0.3,
      "dynamoRequests": 3,
      "dynamoReadUnits": 1.5,
      "dynamoWriteUnits": 1,
      "dynamoStoredBytes": 4765900,
      "logBytes": 410.1,
      "customMetrics": 0
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 272.54,
      "sqsRequests": 0.3,
      "dynamoRequests": 3,
      "dynamoReadUnits": 2,
      "dynamoWriteUnits": 1,
      "dynamoStoredBytes": 4729200,
      "logBytes": 1852.7,
      "customMetrics": 0
    },
    {
      "vertices": 1000,
      "workerInvocations": 0.1,
      "workerBilledMs": 1382.5,
      "sqsRequests": 0.3,
      "dynamoRequests": 3,
      "dynamoReadUnits": 4,
      "dynamoWriteUnits": 1,
      "dynamoStoredBytes": 4925000,
      "logBytes": 16436,
      "customMetrics": 0
    }
  ],
  "detailed": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 59.34,
      "sqsRequests": 0.3,
      "dynamoRequests": 3,
      "dynamoReadUnits": 1.5,
      "dynamoWriteUnits": 1,
      "dynamoStoredBytes": 4765900,
      "logBytes": 12307,
      "customMetrics": 110
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 170.48,
      "sqsRequests": 0.3,
      "dynamoRequests": 3,
      "dynamoReadUnits": 2,
      "dynamoWriteUnits": 1,
      "dynamoStoredBytes": 4729200,
      "logBytes": 112920,
      "customMetrics": 1010
    }
  ],
  "fleet": {
    "dispatcherBilledMsPerTick": 58.8,
    "dispatcherLogBytesPerTick": 1359,
    "fleetCustomMetrics": 8,
    "alarms": 4,
    "dashboards": 1,
    "idleSqsRequestsPerMonth": 648000
  }
};

/** The same with the worker batch size at 10 (undefined once the stack batches). */
export const MEASURED_USAGE_BATCHED: MeasuredUsage | undefined = undefined;
