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
      "workerBilledMs": 48.853,
      "sqsRequests": 0.3,
      "dynamoRequests": 2.0667,
      "dynamoReadUnits": 1,
      "dynamoWriteUnits": 1.0667,
      "dynamoStoredBytes": 4768200,
      "dynamoSampleItemBytes": 367.71,
      "logBytes": 410.1,
      "customMetrics": 0
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 136.81,
      "sqsRequests": 0.3,
      "dynamoRequests": 2.0667,
      "dynamoReadUnits": 1.5,
      "dynamoWriteUnits": 1.2,
      "dynamoStoredBytes": 4732900,
      "dynamoSampleItemBytes": 364.62,
      "logBytes": 1852.7,
      "customMetrics": 0
    },
    {
      "vertices": 1000,
      "workerInvocations": 0.1,
      "workerBilledMs": 1280.7,
      "sqsRequests": 0.3,
      "dynamoRequests": 2.0667,
      "dynamoReadUnits": 4,
      "dynamoWriteUnits": 2.4667,
      "dynamoStoredBytes": 4936000,
      "dynamoSampleItemBytes": 376.59,
      "logBytes": 16436,
      "customMetrics": 0
    }
  ],
  "detailed": [
    {
      "vertices": 10,
      "workerInvocations": 0.1,
      "workerBilledMs": 44.587,
      "sqsRequests": 0.3,
      "dynamoRequests": 2.0667,
      "dynamoReadUnits": 1,
      "dynamoWriteUnits": 1.0667,
      "dynamoStoredBytes": 4768200,
      "dynamoSampleItemBytes": 367.71,
      "logBytes": 12307,
      "customMetrics": 110
    },
    {
      "vertices": 100,
      "workerInvocations": 0.1,
      "workerBilledMs": 212.42,
      "sqsRequests": 0.3,
      "dynamoRequests": 2.0667,
      "dynamoReadUnits": 1.5,
      "dynamoWriteUnits": 1.2,
      "dynamoStoredBytes": 4732900,
      "dynamoSampleItemBytes": 364.62,
      "logBytes": 112920,
      "customMetrics": 1010
    }
  ],
  "fleet": {
    "dispatcherBilledMsPerTick": 45.4,
    "dispatcherLogBytesPerTick": 1359,
    "fleetCustomMetrics": 8,
    "alarms": 4,
    "dashboards": 1,
    "idleSqsRequestsPerMonth": 648000
  }
};

/** The same with the worker batch size at 10 (undefined once the stack batches). */
export const MEASURED_USAGE_BATCHED: MeasuredUsage | undefined = undefined;
