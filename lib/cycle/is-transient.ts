/**
 * Which failed cycles the next tick may fix on its own. The worker acknowledges every failed
 * cycle either way (the next tick runs the job again, docs/architecture.md "Failure policy"); this
 * only says, in the event and the run record, whether a user has to act.
 */
import { FlinkResponseFormatError } from '../ports/metrics-source.ts';

/**
 * Transient: transport errors, throttling (429), server errors, a Kubernetes conflict (409: the
 * resource changed in between) and anything unknown. Persistent: a response we cannot parse, and
 * an HTTP client error (4xx other than 409/429) from Flink or Kubernetes — 401/403 (access entry,
 * RBAC), 404, 422 (an invalid patch) give the same answer until someone changes something.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof FlinkResponseFormatError) return false;
  const status = httpStatusOf(error);
  if (status === undefined || status < 400 || status >= 500) return true;
  return status === 409 || status === 429;
}

/**
 * The HTTP status an adapter error carries (`FlinkRestError.status`, `KubernetesApiError.status`),
 * read structurally so the cycle depends on no adapter.
 */
function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as Error & { status?: unknown }).status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}
