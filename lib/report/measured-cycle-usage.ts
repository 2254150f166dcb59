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
  "workerBatchSize": 1,
  "defaults": [
    {
      "vertices": 10,
      "workerInvocations": 1,
      "workerBilledMs": 426.33,
      "sqsRequests": 2.1,
      "dynamoRequests": 8,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 66358,
      "logBytes": 1821,
      "customMetrics": 0
    },
    {
      "vertices": 100,
      "workerInvocations": 1,
      "workerBilledMs": 710.67,
      "sqsRequests": 2.1,
      "dynamoRequests": 8,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 8,
      "dynamoStoredBytes": 67400,
      "logBytes": 9018,
      "customMetrics": 0
    },
    {
      "vertices": 1000,
      "workerInvocations": 1,
      "workerBilledMs": 6132.3,
      "sqsRequests": 2.1,
      "dynamoRequests": 8,
      "dynamoReadUnits": 8,
      "dynamoWriteUnits": 24,
      "dynamoStoredBytes": 86538,
      "logBytes": 81918,
      "customMetrics": 0
    }
  ],
  "detailed": [
    {
      "vertices": 10,
      "workerInvocations": 1,
      "workerBilledMs": 661,
      "sqsRequests": 2.1,
      "dynamoRequests": 8,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 66358,
      "logBytes": 13718,
      "customMetrics": 110
    },
    {
      "vertices": 100,
      "workerInvocations": 1,
      "workerBilledMs": 365.67,
      "sqsRequests": 2.1,
      "dynamoRequests": 8,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 8,
      "dynamoStoredBytes": 67400,
      "logBytes": 120090,
      "customMetrics": 1010
    }
  ],
  "fleet": {
    "dispatcherBilledMsPerTick": 78.667,
    "dispatcherLogBytesPerTick": 1353,
    "fleetCustomMetrics": 8,
    "alarms": 4,
    "dashboards": 1,
    "idleSqsRequestsPerMonth": 648000
  }
};

/** The same with the worker batch size at 10 (undefined once the stack batches). */
export const MEASURED_USAGE_BATCHED: MeasuredUsage | undefined = {
  "measuredOn": "2026-12-05",
  "workerMemoryMb": 512,
  "dispatcherMemoryMb": 512,
  "workerBatchSize": 10,
  "defaults": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 236.7,
      "sqsRequests": 0.3,
      "dynamoRequests": 8,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 66358,
      "logBytes": 1032.7,
      "customMetrics": 0
    }
  ],
  "detailed": [
    {
      "vertices": 10,
      "workerInvocations": 1,
      "workerBilledMs": 661,
      "sqsRequests": 2.1,
      "dynamoRequests": 8,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 6,
      "dynamoStoredBytes": 66358,
      "logBytes": 13718,
      "customMetrics": 110
    },
    {
      "vertices": 100,
      "workerInvocations": 1,
      "workerBilledMs": 365.67,
      "sqsRequests": 2.1,
      "dynamoRequests": 8,
      "dynamoReadUnits": 3,
      "dynamoWriteUnits": 8,
      "dynamoStoredBytes": 67400,
      "logBytes": 120090,
      "customMetrics": 1010
    }
  ],
  "fleet": {
    "dispatcherBilledMsPerTick": 48.333,
    "dispatcherLogBytesPerTick": 1356,
    "fleetCustomMetrics": 8,
    "alarms": 4,
    "dashboards": 1,
    "idleSqsRequestsPerMonth": 648000
  }
};
