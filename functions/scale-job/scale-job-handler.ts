/**
 * The scale-job worker: an SQS batch of job messages → one run-cycle per job, several jobs at once
 * within a bound, so one invocation's start-up and memory serve the whole batch.
 *
 * Failure policy (the cadence is one tick a minute, docs/architecture.md "Failure policy"): a cycle
 * that fails is recorded (an `AutoscalerError` event, the error metric, the run record) and its
 * message acknowledged; the next tick runs the job again with fresher data. Returning it to the
 * queue would only bring it back after the visibility timeout, when a newer tick has already run,
 * and would block the job's FIFO message group meanwhile. Only a message that can never succeed —
 * malformed, or for a cluster this deployment does not know — is reported as a batch item failure,
 * so the redrive policy moves it to the dead-letter queue, whose alarm makes it visible.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { CycleResult } from '../../lib/cycle/cycle-result.ts';
import type { CycleDependencies, CycleLogger } from '../../lib/cycle/run-cycle.ts';
import { describeError, runCycle } from '../../lib/cycle/run-cycle.ts';
import type { NotReadyReason } from '../../lib/domain/index.ts';
import type { DeadlineContext } from '../shared/middleware.ts';
import { type JobWork, mapWithConcurrency, planBatch } from './job-batch.ts';

/** Cycles run at once within one batch unless {@link WorkerDependencies.concurrency} says otherwise. */
export const DEFAULT_CYCLE_CONCURRENCY = 10;

/** What the worker needs; the Lambda wiring and the tests build it. */
export interface WorkerDependencies {
  /** The cycle dependencies of a cluster for this run (cluster adapters are cached by the wiring). */
  cycleDependencies(cluster: string, runId: string): Promise<CycleDependencies>;
  /**
   * Whether this deployment manages `cluster`. A message for another cluster can never succeed and
   * is dead-lettered. @default every cluster is known
   */
  readonly isKnownCluster?: (cluster: string) => boolean;
  readonly logger: CycleLogger;
  /** Run totals (EMF): jobs evaluated, not ready by reason, stuck, errors (fleet dashboard, alarms). */
  readonly reportRun?: (run: WorkerRunTotals) => void;
  readonly nowMs: () => number;
  /** Jobs whose cycles run at once within one batch (I/O-bound: seconds of waiting on APIs). @default 10 */
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
  /** Failed cycles, crashed or unrun messages and dead-lettered messages. */
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
  /** Why no cycle result exists: malformed message, unknown cluster, crash, deadline. */
  readonly error?: string;
  /**
   * Whether the message is reported as a batch item failure. Only for messages that can never
   * succeed; the queue's redrive policy moves them to the dead-letter queue.
   */
  readonly deadLetter: boolean;
}

/** Creates the SQS handler (see the module comment for what is acknowledged and what is not). */
export function createScaleJobHandler(deps: WorkerDependencies) {
  return async (
    event: SQSEvent,
    context: Context | DeadlineContext,
  ): Promise<SQSBatchResponse & { results: WorkerRecordResult[] }> => {
    const startMs = deps.nowMs();
    const deadline = 'deadline' in context ? context.deadline : undefined;
    const plan = planBatch(event.Records);
    const results: WorkerRecordResult[] = plan.malformed.map(({ messageId, error }) => {
      deps.logger.error('invalid job message; it goes to the dead-letter queue', { messageId, error });
      return { messageId, error, deadLetter: true };
    });
    const perJob = await mapWithConcurrency(plan.work, deps.concurrency ?? DEFAULT_CYCLE_CONCURRENCY, (work) =>
      deadline?.expired()
        ? Promise.resolve(outOfTime(deps, work))
        : processJob(deps, work, context.awsRequestId),
    );
    for (const [index, work] of plan.work.entries()) {
      results.push(perJob[index]!);
      for (const messageId of work.superseded) {
        results.push({
          messageId,
          job: work.job,
          result: { outcome: 'skipped', reason: `a newer tick of this job in the same batch (${work.messageId}) runs instead` },
          deadLetter: false,
        });
      }
    }
    deps.reportRun?.(runTotalsOf(results, deps.nowMs() - startMs));
    return {
      batchItemFailures: results.filter((r) => r.deadLetter).map((r) => ({ itemIdentifier: r.messageId })),
      results,
    };
  };
}

/** Out of time before this job: acknowledged unrun (the next tick sends it again), never retried. */
function outOfTime(deps: WorkerDependencies, work: JobWork): WorkerRecordResult {
  const error = 'Lambda deadline reached before this job; the next tick runs it';
  deps.logger.warn(error, { messageId: work.messageId, job: work.job });
  return { messageId: work.messageId, job: work.job, error, deadLetter: false };
}

async function processJob(
  deps: WorkerDependencies,
  { job, messageId, message }: JobWork,
  requestId: string,
): Promise<WorkerRecordResult> {
  if (deps.isKnownCluster && !deps.isKnownCluster(message.key.cluster)) {
    const error = `cluster '${message.key.cluster}' is not configured in this deployment`;
    deps.logger.error('job message for an unknown cluster; it goes to the dead-letter queue', {
      messageId,
      job,
      error,
    });
    return { messageId, job, error, deadLetter: true };
  }
  try {
    const cycleDeps = await deps.cycleDependencies(message.key.cluster, `${requestId}/${messageId}`);
    const result = await runCycle(cycleDeps, message.key, { tickMs: message.tickMs });
    return { messageId, job, result, deadLetter: false };
  } catch (error) {
    // runCycle reports expected failures itself; reaching here means the cluster's adapters could
    // not be built (DescribeCluster, credentials) or a bug. Logged and counted; the next tick retries.
    deps.logger.error('job cycle crashed; the next tick retries', { messageId, job, error: describeError(error) });
    return { messageId, job, error: describeError(error), deadLetter: false };
  }
}
