/** Which failed cycles are worth retrying (the scale-job worker returns them to the queue). */
import { FlinkResponseFormatError, FlinkRestError } from '../ports/metrics-source.ts';

/**
 * Errors that a later cycle may not hit: transport errors, throttling, server errors, state-store
 * conflicts and anything unknown. Only a response we cannot parse and a Flink client error (4xx
 * other than 429) are final: a retry would get the same answer.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof FlinkResponseFormatError) return false;
  if (error instanceof FlinkRestError)
    return error.status === undefined || error.status >= 500 || error.status === 429;
  return true;
}
