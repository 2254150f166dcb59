import type { KubernetesStatusCause } from '../../lib/adapters/kubernetes/kubernetes-errors.ts';

/** A Kubernetes `Status` answer (docs/kubernetes-and-eks.md §8) with its HTTP code. */
export interface StatusResponse {
  readonly code: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Builds a failure `Status` the way the API server does (Kubernetes API conventions, "Response
 * Status Kind": `kind: Status`, `status: Failure`, a CamelCase `reason`, `code` = HTTP status).
 */
export function failureStatus(
  code: number,
  reason: string,
  message: string,
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: readonly KubernetesStatusCause[];
    retryAfterSeconds?: number;
  },
  headers?: Readonly<Record<string, string>>,
): StatusResponse {
  return {
    code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
    ...(headers ? { headers } : {}),
  };
}

/** `<plural>.<group> "<name>"`, the resource phrase of API server messages. */
export function resourcePhrase(plural: string, group: string, name: string): string {
  return `${plural}${group ? `.${group}` : ''} "${name}"`;
}

/** 404 NotFound for a missing object (API server `errors.NewNotFound`). */
export function notFound(plural: string, group: string, name: string): StatusResponse {
  return failureStatus(404, 'NotFound', `${resourcePhrase(plural, group, name)} not found`, {
    name,
    group,
    kind: plural,
  });
}

/** 409 Conflict for a stale `resourceVersion` precondition (API server `errors.NewConflict`). */
export function conflict(plural: string, group: string, name: string): StatusResponse {
  return failureStatus(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${resourcePhrase(plural, group, name)}: the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: plural },
  );
}

/** 422 Invalid with field causes, as schema validation answers (API server `errors.NewInvalid`). */
export function invalid(
  kind: string,
  group: string,
  name: string,
  causes: readonly KubernetesStatusCause[],
): StatusResponse {
  const summary = causes.map((c) => `${c.field ?? ''}: ${c.message ?? ''}`).join(', ');
  return failureStatus(
    422,
    'Invalid',
    `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${summary}`,
    {
      name,
      group,
      kind,
      causes,
    },
  );
}

/** 400 BadRequest for an undecodable body or query (API server `errors.NewBadRequest`). */
export function badRequest(message: string): StatusResponse {
  return failureStatus(400, 'BadRequest', message);
}

/** True for a {@link StatusResponse} (as opposed to a stored object or a parsed request). */
export function isStatusResponse(value: unknown): value is StatusResponse {
  return (
    typeof (value as StatusResponse).code === 'number' && typeof (value as StatusResponse).body === 'object'
  );
}
