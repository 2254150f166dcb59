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
import { formatJobKey, type NotReadyReason } from '../../lib/domain/index.ts';
import type { DeadlineContext } from '../shared/middleware.ts';

/** What the worker needs; the Lambda wiring and the tests build it. */
export interface WorkerDependencies {
  /** The cycle dependencies of a cluster for this run (cluster adapters are cached by the wiring). */
  cycleDependencies(cluster: string, runId: string): Promise<CycleDependencies>;
  readonly logger: CycleLogger;
  /** Run totals (EMF): jobs evaluated, not ready by reason, stuck, errors (fleet dashboard, alarms). */
  readonly reportRun?: (run: WorkerRunTotals) => void;
  readonly nowMs: () => number;
  /** Jobs processed at once within one batch. @default 4 */
  readonly concurrency?: number;
}

/** What one worker run reports (fleet-level metrics only, never per job). */
export interface WorkerRunTotals {
  readonly durationMs: number;
  /** Jobs evaluated on a full metric window (a not-ready cycle does not count). */
  readonly jobsEvaluated: number;
  /** Cycles that could not evaluate their job, by reason. */
  readonly notReadyByReason: Readonly<Partial<Record<NotReadyReason, number>>>;
  /** Jobs not ready for longer than they can be by design (lib/report/liveness.ts). */
  readonly stuckJobs: number;
  readonly errors: number;
}

/** The run totals of a batch's results (pure). */
export function runTotalsOf(results: readonly WorkerRecordResult[], durationMs: number): WorkerRunTotals {
  const notReadyByReason: Partial<Record<NotReadyReason, number>> = {};
  let jobsEvaluated = 0;
  let stuckJobs = 0;
  for (const { result } of results) {
    if (result?.notReady) {
      const reason = result.notReady.reason;
      notReadyByReason[reason] = (notReadyByReason[reason] ?? 0) + 1;
      if (result.notReady.stuck) stuckJobs += 1;
    } else if (result?.outcome === 'decided' && result.decision?.action !== 'not-ready') {
      jobsEvaluated += 1;
    }
  }
  const errors = results.filter((r) => r.error !== undefined || r.result?.outcome === 'failed').length;
  return { durationMs, jobsEvaluated, notReadyByReason, stuckJobs, errors };
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
    deps.reportRun?.(runTotalsOf(results, deps.nowMs() - startMs));
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
