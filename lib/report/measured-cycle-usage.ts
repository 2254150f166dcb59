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
      "workerBilledMs": 122.78,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 4,
      "dynamoStoredBytes": 66448,
      "logBytes": 408.1,
      "customMetrics": 0
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 214.44,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 4,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 67729,
      "logBytes": 1850.7,
      "customMetrics": 0
    },
    {
      "vertices": 1000,
      "workerInvocations": 0.1,
      "workerBilledMs": 1598.5,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 8,
      "dynamoWriteUnits": 24,
      "dynamoStoredBytes": 88893,
      "logBytes": 16434,
      "customMetrics": 0
    }
  ],
  "detailed": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 122.64,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 4,
      "dynamoStoredBytes": 66448,
      "logBytes": 12305,
      "customMetrics": 110
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 184.78,
      "sqsRequests": 0.3,
      "dynamoRequests": 6,
      "dynamoReadUnits": 4,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 67729,
      "logBytes": 112920,
      "customMetrics": 1010
    }
  ],
  "fleet": {
    "dispatcherBilledMsPerTick": 112.6,
    "dispatcherLogBytesPerTick": 1359,
    "fleetCustomMetrics": 8,
    "alarms": 4,
    "dashboards": 1,
    "idleSqsRequestsPerMonth": 648000
  }
};

/** The same with the worker batch size at 10 (undefined once the stack batches). */
export const MEASURED_USAGE_BATCHED: MeasuredUsage | undefined = undefined;
