/**
 * Usage per job-cycle measured by the cost benchmark, the input of `fsa cost`. GENERATED: refresh
 * with `npm run bench -- --only=cost --write-usage` after a change to what a cycle does (requests,
 * item sizes, log lines, metrics) or to the deployed stack (memory, batch size, alarms).
 */
import type { MeasuredUsage } from './cost-model.ts';

/** As deployed by the CDK stack today. */
export const MEASURED_USAGE: MeasuredUsage = {
  "measuredOn": "2026-12-05",
  "workerMemoryMb": 512,
  "dispatcherMemoryMb": 512,
  "workerBatchSize": 10,
  "defaults": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 22.9,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 4,
      "dynamoStoredBytes": 66472,
      "logBytes": 1032.7,
      "customMetrics": 0
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 56.467,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 4,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 67748,
      "logBytes": 8229.7,
      "customMetrics": 0
    },
    {
      "vertices": 1000,
      "workerInvocations": 0.1,
      "workerBilledMs": 380.3,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 8,
      "dynamoWriteUnits": 24,
      "dynamoStoredBytes": 88904,
      "logBytes": 81130,
      "customMetrics": 0
    }
  ],
  "detailed": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 10.833,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 4,
      "dynamoStoredBytes": 66472,
      "logBytes": 12930,
      "customMetrics": 110
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 54.767,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 4,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 67748,
      "logBytes": 119300,
      "customMetrics": 1010
    }
  ],
  "fleet": {
    "dispatcherBilledMsPerTick": 14.333,
    "dispatcherLogBytesPerTick": 1359,
    "fleetCustomMetrics": 8,
    "alarms": 4,
    "dashboards": 1,
    "idleSqsRequestsPerMonth": 648000
  }
};

/** The same with the worker batch size at 10 (undefined once the stack batches). */
export const MEASURED_USAGE_BATCHED: MeasuredUsage | undefined = undefined;
