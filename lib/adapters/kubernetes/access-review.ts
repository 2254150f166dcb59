import type { KubernetesClient } from './kubernetes-client.ts';

/**
 * Authorization reviews (Kubernetes API reference, "SubjectAccessReview v1" and
 * "SelfSubjectAccessReview v1", authorization.k8s.io/v1): ask the API server whether a subject may
 * make a request, without making it. A SubjectAccessReview names the subject (user and/or groups)
 * and needs `create subjectaccessreviews` (cluster admins have it); a SelfSubjectAccessReview asks
 * about the caller and every authenticated user may create it.
 */

/** The request asked about (`spec.resourceAttributes`); no namespace = all namespaces. */
export interface ReviewedRequest {
  readonly verb: string;
  /** API group; `''` for the core group. */
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** `status` of a review. */
export interface AccessReviewStatus {
  readonly allowed: boolean;
  /** An authorizer denied explicitly (RBAC never does; a webhook may). */
  readonly denied?: boolean;
  readonly reason?: string;
  readonly evaluationError?: string;
}

/** The subject of a SubjectAccessReview; at least one of them must be set. */
export interface ReviewSubject {
  readonly user?: string;
  readonly groups?: readonly string[];
}

const BASE = '/apis/authorization.k8s.io/v1';

function resourceAttributes(request: ReviewedRequest): Record<string, string> {
  return {
    verb: request.verb,
    group: request.group,
    resource: request.resource,
    ...(request.subresource ? { subresource: request.subresource } : {}),
    ...(request.namespace ? { namespace: request.namespace } : {}),
    ...(request.name ? { name: request.name } : {}),
  };
}

/** May `subject` make `request`? (POST subjectaccessreviews) */
export async function reviewSubjectAccess(
  client: KubernetesClient,
  subject: ReviewSubject,
  request: ReviewedRequest,
): Promise<AccessReviewStatus> {
  const review = await client.post<{ status?: AccessReviewStatus }>(`${BASE}/subjectaccessreviews`, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      ...(subject.user ? { user: subject.user } : {}),
      ...(subject.groups ? { groups: subject.groups } : {}),
      resourceAttributes: resourceAttributes(request),
    },
  });
  return review.status ?? { allowed: false };
}

/** May the caller make `request`? (POST selfsubjectaccessreviews) */
export async function reviewOwnAccess(
  client: KubernetesClient,
  request: ReviewedRequest,
): Promise<AccessReviewStatus> {
  const review = await client.post<{ status?: AccessReviewStatus }>(`${BASE}/selfsubjectaccessreviews`, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: resourceAttributes(request) },
  });
  return review.status ?? { allowed: false };
}
