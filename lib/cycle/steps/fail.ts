/**
 * How an unexpected error ends a cycle: logged, counted, reported as an `AutoscalerError` event
 * and returned as a `failed` result, never thrown, so one bad job never stops the others.
 */
import { formatJobKey } from '../../domain/index.ts';
import { describeError } from '../../report/describe-error.ts';
import type { CycleResult } from '../cycle-result.ts';
import { isTransient } from '../is-transient.ts';
import { type CycleContext, emit } from './cycle-context.ts';

/** Longest event message the operator writes (docs/algorithm.md §5.4). */
const MAX_EVENT_MESSAGE_CHARS = 2048;

/**
 * The failed result of a cycle that could not `step` (e.g. "run the cycle"). The message says
 * whether the next tick may succeed on its own or a user has to act (lib/cycle/is-transient.ts).
 */
export async function fail(cycle: CycleContext, error: unknown, step: string): Promise<CycleResult> {
  const { deps, key } = cycle;
  const transient = isTransient(error);
  const message = `Could not ${step}: ${describeError(error)}${
    transient ? '; the next tick retries' : '; this needs a fix before the next tick can succeed'
  }`;
  deps.logger?.error('cycle failed', { job: formatJobKey(key), step, error: describeError(error) });
  deps.reporter?.reportJobError(key, { detailedMetrics: cycle.detailedMetrics === true });
  // The operator never de-duplicates AutoscalerError events (docs/algorithm.md §5.4).
  await emit(cycle, {
    reason: 'AutoscalerError',
    type: 'Warning',
    message: message.slice(0, MAX_EVENT_MESSAGE_CHARS),
  });
  return { outcome: 'failed', reason: message, transient };
}
