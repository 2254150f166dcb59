/**
 * How an unexpected error ends a cycle: logged, counted, reported as an `AutoscalerError` event
 * and returned as a `failed` result, never thrown, so one bad job never stops the others.
 */
import { formatJobKey } from '../../domain/index.ts';
import { describeError } from '../../report/describe-error.ts';
import type { CycleResult } from '../cycle-result.ts';
import { isRetryable } from '../is-retryable.ts';
import { type CycleContext, emit } from './cycle-context.ts';

/** Longest event message the operator writes (docs/algorithm.md §5.4). */
const MAX_EVENT_MESSAGE_CHARS = 2048;

/** The failed result of a cycle that could not `step` (e.g. "run the cycle"). */
export async function fail(cycle: CycleContext, error: unknown, step: string): Promise<CycleResult> {
  const { deps, key } = cycle;
  const message = `Could not ${step}: ${describeError(error)}`;
  deps.logger?.error('cycle failed', { job: formatJobKey(key), step, error: describeError(error) });
  deps.reporter?.reportJobError(key, { detailedMetrics: cycle.detailedMetrics === true });
  // The operator never de-duplicates AutoscalerError events (docs/algorithm.md §5.4).
  await emit(cycle, {
    reason: 'AutoscalerError',
    type: 'Warning',
    message: message.slice(0, MAX_EVENT_MESSAGE_CHARS),
  });
  return { outcome: 'failed', reason: message, retryable: isRetryable(error) };
}
