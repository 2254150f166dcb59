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
      "workerBilledMs": 113.2,
      "sqsRequests": 0.3,
      "dynamoRequests": 4,
      "dynamoReadUnits": 1.5,
      "dynamoWriteUnits": 2,
      "dynamoStoredBytes": 4765900,
      "logBytes": 410.1,
      "customMetrics": 0
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 191.38,
      "sqsRequests": 0.3,
      "dynamoRequests": 4,
      "dynamoReadUnits": 2,
      "dynamoWriteUnits": 4,
      "dynamoStoredBytes": 4729200,
      "logBytes": 1852.7,
      "customMetrics": 0
    },
    {
      "vertices": 1000,
      "workerInvocations": 0.1,
      "workerBilledMs": 1414.3,
      "sqsRequests": 0.3,
      "dynamoRequests": 4,
      "dynamoReadUnits": 4,
      "dynamoWriteUnits": 22,
      "dynamoStoredBytes": 4925000,
      "logBytes": 16436,
      "customMetrics": 0
    }
  ],
  "detailed": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 85.82,
      "sqsRequests": 0.3,
      "dynamoRequests": 4,
      "dynamoReadUnits": 1.5,
      "dynamoWriteUnits": 2,
      "dynamoStoredBytes": 4765900,
      "logBytes": 12307,
      "customMetrics": 110
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 185.08,
      "sqsRequests": 0.3,
      "dynamoRequests": 4,
      "dynamoReadUnits": 2,
      "dynamoWriteUnits": 4,
      "dynamoStoredBytes": 4729200,
      "logBytes": 112920,
      "customMetrics": 1010
    }
  ],
  "fleet": {
    "dispatcherBilledMsPerTick": 31.8,
    "dispatcherLogBytesPerTick": 1359,
    "fleetCustomMetrics": 8,
    "alarms": 4,
    "dashboards": 1,
    "idleSqsRequestsPerMonth": 648000
  }
};

/** The same with the worker batch size at 10 (undefined once the stack batches). */
export const MEASURED_USAGE_BATCHED: MeasuredUsage | undefined = undefined;
