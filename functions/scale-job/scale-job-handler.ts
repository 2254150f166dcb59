/**
 * The scale-job worker: an SQS batch of job messages → one run-cycle per job, with partial batch
 * failures so only the failed messages are retried (and reach the DLQ after `maxReceiveCount`).
 * Dependencies come from {@link WorkerDependencies}, built once per cold start by the wiring.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { decodeJobMessage } from '../../lib/adapters/sqs/job-message-codec.ts';
import type { CycleResult } from '../../lib/cycle/cycle-result.ts';
import type { CycleDependencies, CycleLogger } from '../../lib/cycle/run-cycle.ts';
import { describeError, runCycle } from '../../lib/cycle/run-cycle.ts';
import { formatJobKey } from '../../lib/domain/index.ts';
import type { DeadlineContext } from '../shared/middleware.ts';

/** What the worker needs; the Lambda wiring and the tests build it. */
export interface WorkerDependencies {
  /** The cycle dependencies of a cluster for this run (cluster adapters are cached by the wiring). */
  cycleDependencies(cluster: string, runId: string): Promise<CycleDependencies>;
  readonly logger: CycleLogger;
  /** Run totals (EMF): jobs evaluated and errors, for the fleet dashboard and alarms. */
  readonly reportRun?: (run: { durationMs: number; jobsEvaluated: number; errors: number }) => void;
  readonly nowMs: () => number;
  /** Jobs processed at once within one batch. @default 4 */
  readonly concurrency?: number;
}

/** The outcome of each record, for logs and tests. */
export interface WorkerRecordResult {
  readonly messageId: string;
  readonly job?: string;
  readonly result?: CycleResult;
  readonly error?: string;
  /** Whether the message is reported as a batch item failure (retried by SQS). */
  readonly retry: boolean;
}

/** Creates the SQS handler. Records whose cycle failed retryably, or crashed, are retried. */
export function createScaleJobHandler(deps: WorkerDependencies) {
  return async (
    event: SQSEvent,
    context: Context | DeadlineContext,
  ): Promise<SQSBatchResponse & { results: WorkerRecordResult[] }> => {
    const startMs = deps.nowMs();
    const deadline = 'deadline' in context ? context.deadline : undefined;
    const results: WorkerRecordResult[] = new Array(event.Records.length);
    let next = 0;
    const worker = async () => {
      while (next < event.Records.length) {
        const index = next++;
        const record = event.Records[index]!;
        if (deadline?.expired()) {
          // Out of time: hand the rest back to SQS rather than be killed mid-cycle.
          results[index] = {
            messageId: record.messageId,
            error: 'Lambda deadline reached before this job',
            retry: true,
          };
          continue;
        }
        results[index] = await processRecord(deps, record.messageId, record.body, context.awsRequestId);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, deps.concurrency ?? 4) }, worker));
    const evaluated = results.filter((r) => r.result?.outcome === 'decided').length;
    const errors = results.filter((r) => r.error !== undefined || r.result?.outcome === 'failed').length;
    deps.reportRun?.({ durationMs: deps.nowMs() - startMs, jobsEvaluated: evaluated, errors });
    return {
      batchItemFailures: results.filter((r) => r.retry).map((r) => ({ itemIdentifier: r.messageId })),
      results,
    };
  };
}

async function processRecord(
  deps: WorkerDependencies,
  messageId: string,
  body: string,
  requestId: string,
): Promise<WorkerRecordResult> {
  let message: ReturnType<typeof decodeJobMessage>;
  try {
    message = decodeJobMessage(body);
  } catch (error) {
    // A malformed message never becomes valid: retrying only delays it reaching the DLQ, where
    // the alarm makes it visible; so report it as a failure without a cycle.
    deps.logger.error('invalid job message', { messageId, error: describeError(error) });
    return { messageId, error: describeError(error), retry: true };
  }
  const job = formatJobKey(message.key);
  try {
    const cycleDeps = await deps.cycleDependencies(message.key.cluster, `${requestId}/${messageId}`);
    const result = await runCycle(cycleDeps, message.key, { tickMs: message.tickMs });
    return { messageId, job, result, retry: result.outcome === 'failed' && result.retryable === true };
  } catch (error) {
    // runCycle reports expected failures itself; reaching here means wiring or a bug.
    deps.logger.error('job cycle crashed', { messageId, job, error: describeError(error) });
    return { messageId, job, error: describeError(error), retry: true };
  }
}
