/**
 * Authorization reviews of the emulator: `SubjectAccessReview` and `SelfSubjectAccessReview`
 * (authorization.k8s.io/v1), answered by an RBAC evaluation over the ClusterRoles, Roles and
 * their bindings stored in the emulator (apply `k8s/rbac.yaml` to it like to a real cluster).
 *
 * Sources (Kubernetes v1.31):
 * - API: Kubernetes API reference, "SubjectAccessReview v1" and "SelfSubjectAccessReview v1"
 *   (kubernetes.io/docs/reference/kubernetes-api/authorization-resources/): create-only, cluster-scoped,
 *   `POST /apis/authorization.k8s.io/v1/{subjectaccessreviews,selfsubjectaccessreviews}`; the
 *   answer is the request object with `status.allowed` (and `denied`, `reason`,
 *   `evaluationError`), HTTP 201 like every create.
 * - Validation: `pkg/apis/authorization/validation/validation.go` (ValidateSubjectAccessReviewSpec):
 *   exactly one of `resourceAttributes` / `nonResourceAttributes`; a SubjectAccessReview needs a
 *   `user` or `groups`; anything else is 422 Invalid.
 * - Evaluation: `plugin/pkg/auth/authorizer/rbac/rbac.go` (RuleAllows) and
 *   `pkg/apis/rbac/v1/evaluation_helpers.go`: a rule matches when verb, API group, resource
 *   (`resource/subresource`; `*`; a star then `/subresource`) and resourceNames match, `*` matching all;
 *   `pkg/registry/rbac/validation/rule.go` (VisitRulesFor): ClusterRoleBindings first, then the
 *   RoleBindings of the request's namespace; the allow reason names the binding, the role and
 *   the subject. RBAC never denies: no matching rule is `allowed: false` with an empty reason.
 * - `system:masters` is a privileged group that every request is allowed for, before RBAC
 *   (kube-apiserver authorizer chain, `authorizerfactory.NewPrivilegedGroups`).
 */
import type { StoredObject } from './flink-operator-model.ts';
import { badRequest, failureStatus, invalid, type StatusResponse } from './kube-status.ts';
import type { ResourceStore } from './resource-store.ts';

/** Who a request is from, as the authenticator resolved its token (user.Info). */
export interface EmulatorUser {
  readonly username: string;
  readonly groups: readonly string[];
}

/** The user every request is from unless the emulator is told otherwise: a cluster admin. */
export const EMULATOR_ADMIN: EmulatorUser = {
  username: 'kubernetes-admin',
  groups: ['system:masters', 'system:authenticated'],
};

/** `spec.resourceAttributes` of a review (authorization.k8s.io/v1 ResourceAttributes). */
export interface ResourceAttributes {
  readonly verb?: string;
  readonly group?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

interface PolicyRule {
  readonly verbs?: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
}

interface Subject {
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
}

interface Binding {
  readonly kind: 'ClusterRoleBinding' | 'RoleBinding';
  readonly name: string;
  readonly namespace?: string;
  readonly roleRef: { readonly kind?: string; readonly name?: string };
  readonly subjects: readonly Subject[];
}

const GROUP_PATH = '/apis/authorization.k8s.io/v1/';
const PRIVILEGED_GROUP = 'system:masters';

/**
 * Answers `POST …/subjectaccessreviews` and `POST …/selfsubjectaccessreviews`; `undefined` for
 * every other request. `caller` is the user of the request (the subject of a self review).
 */
export function answerAccessReview(
  store: ResourceStore,
  caller: EmulatorUser,
  request: { readonly method: string; readonly pathname: string; readonly body: string },
): StatusResponse | undefined {
  const plural = request.pathname.startsWith(GROUP_PATH)
    ? request.pathname.slice(GROUP_PATH.length).replace(/\/+$/, '')
    : undefined;
  if (plural !== 'subjectaccessreviews' && plural !== 'selfsubjectaccessreviews') return undefined;
  const kind = plural === 'subjectaccessreviews' ? 'SubjectAccessReview' : 'SelfSubjectAccessReview';
  if (request.method !== 'POST') {
    return failureStatus(405, 'MethodNotAllowed', `the server does not allow this method on ${plural}`);
  }
  let review: { spec?: Record<string, unknown> };
  try {
    review = JSON.parse(request.body) as typeof review;
  } catch {
    return badRequest('the request body is not valid JSON');
  }
  const spec = review?.spec ?? {};
  const attributes = spec['resourceAttributes'] as ResourceAttributes | undefined;
  const causes = specErrors(spec, kind === 'SubjectAccessReview');
  if (causes.length > 0) return invalid(kind, 'authorization.k8s.io', '', causes);
  const subject: EmulatorUser =
    kind === 'SubjectAccessReview'
      ? { username: String(spec['user'] ?? ''), groups: (spec['groups'] as string[] | undefined) ?? [] }
      : caller;
  // Non-resource URLs (`/healthz`…) are not modelled: only the privileged group gets them.
  const decision = attributes
    ? authorize(store, subject, attributes)
    : { allowed: subject.groups.includes(PRIVILEGED_GROUP), reason: '' };
  return {
    code: 201,
    body: {
      kind,
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec,
      status: { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) },
    },
  };
}

function specErrors(spec: Record<string, unknown>, needsSubject: boolean) {
  const causes: { reason: string; field: string; message: string }[] = [];
  const hasResource = spec['resourceAttributes'] !== undefined;
  const hasNonResource = spec['nonResourceAttributes'] !== undefined;
  if (hasResource && hasNonResource) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.nonResourceAttributes',
      message: 'Invalid value: cannot be specified in combination with resourceAttributes',
    });
  }
  if (!hasResource && !hasNonResource) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.resourceAttributes',
      message: 'Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    });
  }
  const groups = spec['groups'];
  if (needsSubject && !spec['user'] && !(Array.isArray(groups) && groups.length > 0)) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec.user',
      message: 'Invalid value: at least one of user or group must be specified',
    });
  }
  return causes;
}

/** The RBAC decision for one user and one resource request (see the sources above). */
export function authorize(
  store: ResourceStore,
  user: EmulatorUser,
  attributes: ResourceAttributes,
): { readonly allowed: boolean; readonly reason: string } {
  if (user.groups.includes(PRIVILEGED_GROUP)) return { allowed: true, reason: '' };
  const bindings = [
    ...store.ofKind('ClusterRoleBinding').map((o) => toBinding(o, 'ClusterRoleBinding')),
    ...(attributes.namespace
      ? store
          .ofKind('RoleBinding')
          .filter((o) => o.metadata.namespace === attributes.namespace)
          .map((o) => toBinding(o, 'RoleBinding'))
      : []),
  ];
  for (const binding of bindings) {
    const subject = binding.subjects.find((s) => appliesTo(s, user, binding.namespace));
    if (!subject) continue;
    const rules = rulesOf(store, binding);
    if (rules.some((rule) => ruleAllows(rule, attributes))) {
      const at = binding.namespace ? `${binding.name}/${binding.namespace}` : binding.name;
      return {
        allowed: true,
        reason: `RBAC: allowed by ${binding.kind} "${at}" of ${binding.roleRef.kind ?? ''} "${binding.roleRef.name ?? ''}" to ${subject.kind ?? ''} "${subject.name ?? ''}"`,
      };
    }
  }
  return { allowed: false, reason: '' };
}

function toBinding(object: StoredObject, kind: Binding['kind']): Binding {
  const raw = object as unknown as { roleRef?: Binding['roleRef']; subjects?: Subject[] };
  return {
    kind,
    name: object.metadata.name,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    roleRef: raw.roleRef ?? {},
    subjects: raw.subjects ?? [],
  };
}

/** `appliesToUser` of rule.go: a User by name, a Group by membership, a ServiceAccount by its user name. */
function appliesTo(subject: Subject, user: EmulatorUser, bindingNamespace: string | undefined): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return subject.name !== undefined && user.groups.includes(subject.name);
    case 'ServiceAccount':
      return user.username === `system:serviceaccount:${subject.namespace ?? bindingNamespace ?? ''}:${subject.name ?? ''}`;
    default:
      return false;
  }
}

/** The rules of the role a binding refers to (a RoleBinding may name a ClusterRole or a Role of its namespace). */
function rulesOf(store: ResourceStore, binding: Binding): readonly PolicyRule[] {
  const { kind, name } = binding.roleRef;
  const role =
    kind === 'ClusterRole'
      ? store.ofKind('ClusterRole').find((r) => r.metadata.name === name)
      : kind === 'Role' && binding.kind === 'RoleBinding'
        ? store.ofKind('Role').find((r) => r.metadata.name === name && r.metadata.namespace === binding.namespace)
        : undefined;
  return ((role as unknown as { rules?: PolicyRule[] } | undefined)?.rules ?? []);
}

/** `RuleAllows` for a resource request (evaluation_helpers.go). */
function ruleAllows(rule: PolicyRule, attributes: ResourceAttributes): boolean {
  const resource = attributes.resource ?? '';
  const subresource = attributes.subresource ?? '';
  const combined = subresource ? `${resource}/${subresource}` : resource;
  const verbMatches = (rule.verbs ?? []).some((v) => v === '*' || v === attributes.verb);
  const groupMatches = (rule.apiGroups ?? []).some((g) => g === '*' || g === (attributes.group ?? ''));
  const resourceMatches = (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`),
  );
  const names = rule.resourceNames ?? [];
  const nameMatches = names.length === 0 || names.includes(attributes.name ?? '');
  return verbMatches && groupMatches && resourceMatches && nameMatches;
}
