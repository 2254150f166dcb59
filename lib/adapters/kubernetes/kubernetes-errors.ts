/**
 * Typed errors of the Kubernetes adapters. Each names what was wrong so a decision report or a
 * CLI message can say it without a stack trace (conventions: typed errors with cause).
 */

/** One entry of a Kubernetes `Status.details.causes` (docs/kubernetes-and-eks.md §8). */
export interface KubernetesStatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** A non-2xx answer of the Kubernetes API, carrying the `Status` fields (docs/kubernetes-and-eks.md §8). */
export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';
  /** HTTP status code. */
  readonly status: number;
  /** Machine-readable `Status.reason` (`Conflict`, `Invalid`, `NotFound`, …); `Unknown` if absent. */
  readonly reason: string;
  /** `Status.details.causes`, e.g. the fields a 422 rejected. */
  readonly causes: readonly KubernetesStatusCause[];
  /** `Retry-After` in ms when the server sent one. */
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(init: {
    status: number;
    reason: string;
    message: string;
    causes?: readonly KubernetesStatusCause[];
    retryAfterMs?: number;
    method: string;
    path: string;
    cause?: unknown;
  }) {
    super(`${init.method} ${init.path} → ${init.status} ${init.reason}: ${init.message}`, {
      cause: init.cause,
    });
    this.status = init.status;
    this.reason = init.reason;
    this.causes = init.causes ?? [];
    this.retryAfterMs = init.retryAfterMs;
    this.method = init.method;
    this.path = init.path;
  }
}

/** A namespace, name or other value that cannot be used as given (checked before it goes into a URL). */
export class InvalidKubernetesInputError extends Error {
  override readonly name = 'InvalidKubernetesInputError';
  /** Which input was wrong (`namespace`, `name`, `kubeconfig.users[0].user`, …). */
  readonly field: string;
  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super(`${field}: ${message}`, options);
    this.field = field;
  }
}

/** A scaling patch that could not be applied (conflict twice, rejected by validation, …). */
export class ScalingPatchError extends Error {
  override readonly name = 'ScalingPatchError';
  readonly kind: 'conflict' | 'invalid' | 'refused' | 'api';
  /** The server's causes for `invalid` (422): which fields it rejected. */
  readonly causes: readonly KubernetesStatusCause[];
  constructor(
    kind: ScalingPatchError['kind'],
    message: string,
    options?: { cause?: unknown; causes?: readonly KubernetesStatusCause[] },
  ) {
    super(message, options);
    this.kind = kind;
    this.causes = options?.causes ?? [];
  }
}
