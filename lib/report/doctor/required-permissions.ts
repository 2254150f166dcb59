import { type DoctorCheck, problem } from './doctor-check.ts';

/**
 * The Kubernetes permissions each Lambda function needs, derived from the calls the code makes
 * (lib/adapters/kubernetes) and granted by k8s/rbac.yaml (a unit test checks that the file grants
 * every one of them). Checked cluster-wide: the dispatcher lists all namespaces and the RBAC of
 * k8s/rbac.yaml is a ClusterRole with a ClusterRoleBinding.
 */

/** Which function needs a permission. */
export type FunctionRole = 'worker' | 'dispatcher';

/** One verb on one resource, as a SubjectAccessReview asks about it (authorization.k8s.io/v1 ResourceAttributes). */
export interface RequiredPermission {
  readonly verb: string;
  /** API group; `''` is the core group. */
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  /** The call that needs it, for the report. */
  readonly usedFor: string;
}

const FLINK = 'flink.apache.org';

/** The scale-job worker: reads and patches the job's resource, writes Events, reads capacity, proxies Flink REST. */
export const WORKER_PERMISSIONS: readonly RequiredPermission[] = [
  { verb: 'get', group: FLINK, resource: 'flinkdeployments', usedFor: 'read the job and its session cluster (job discovery, scaling realizer)' },
  { verb: 'get', group: FLINK, resource: 'flinksessionjobs', usedFor: 'read a session job (job discovery, scaling realizer)' },
  { verb: 'patch', group: FLINK, resource: 'flinkdeployments', usedFor: 'write parallelism overrides and memory settings (scaling realizer)' },
  { verb: 'patch', group: FLINK, resource: 'flinksessionjobs', usedFor: 'write parallelism overrides of a session job (scaling realizer)' },
  { verb: 'get', group: '', resource: 'services', subresource: 'proxy', usedFor: 'call the Flink REST API through the API server (metrics)' },
  { verb: 'create', group: '', resource: 'events', usedFor: 'record scaling Events on the resource (event sink)' },
  { verb: 'get', group: '', resource: 'events', usedFor: 'read the count of a repeated Event (event sink)' },
  { verb: 'patch', group: '', resource: 'events', usedFor: 'aggregate a repeated Event (event sink)' },
  { verb: 'list', group: '', resource: 'nodes', usedFor: 'node allocatable (cluster capacity check)' },
  { verb: 'list', group: '', resource: 'pods', usedFor: 'pod requests (cluster capacity check)' },
  { verb: 'list', group: 'karpenter.sh', resource: 'nodepools', usedFor: 'Karpenter NodePool limits (cluster capacity check; a 403 fails the read)' },
];

/** The dispatcher: lists the opted-in jobs and reads the session clusters they run on. */
export const DISPATCHER_PERMISSIONS: readonly RequiredPermission[] = [
  { verb: 'list', group: FLINK, resource: 'flinkdeployments', usedFor: 'list opted-in FlinkDeployments (job discovery)' },
  { verb: 'list', group: FLINK, resource: 'flinksessionjobs', usedFor: 'list opted-in FlinkSessionJobs (job discovery)' },
  { verb: 'get', group: FLINK, resource: 'flinkdeployments', usedFor: 'read the session cluster of a session job (job discovery)' },
];

/** The permissions of a function. */
export function requiredPermissions(role: FunctionRole): readonly RequiredPermission[] {
  return role === 'worker' ? WORKER_PERMISSIONS : DISPATCHER_PERMISSIONS;
}

/** `verb resource[/subresource][.group]`, the way `kubectl auth can-i` names it. */
export function describePermission(permission: RequiredPermission): string {
  const resource = permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource;
  return `${permission.verb} ${resource}${permission.group ? `.${permission.group}` : ''}`;
}

/** The answer of one access review, or why it could not be asked. */
export type AccessReviewOutcome =
  | { readonly allowed: boolean; readonly reason?: string }
  | { readonly error: string };

/** Who was reviewed: the Kubernetes groups of the function (SubjectAccessReview) or the caller itself. */
export interface ReviewedSubject {
  readonly role: FunctionRole;
  /** `group flink-serverless-autoscaler` or `the current credentials`. */
  readonly description: string;
}

/** One checklist line from one access review. */
export function checkPermission(
  subject: ReviewedSubject,
  permission: RequiredPermission,
  outcome: AccessReviewOutcome,
): DoctorCheck {
  const base = { section: 'rbac' as const, name: `${subject.role}: ${describePermission(permission)}` };
  if ('error' in outcome) {
    return problem(
      base,
      'warn',
      `could not ask the API server: ${outcome.error}`,
      'run fsa doctor with credentials that may create subjectaccessreviews (e.g. cluster-admin), or check with kubectl auth can-i --as-group',
    );
  }
  if (outcome.allowed) {
    // RBAC's reason names the binding (`RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`)
    const binding = outcome.reason ? /allowed by (\S+ "[^"]*")/.exec(outcome.reason)?.[1] : undefined;
    return { ...base, status: 'pass', detail: `allowed for ${subject.description}${binding ? ` by ${binding}` : ''}` };
  }
  const rule = `apiGroups ["${permission.group}"], resources ["${permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource}"], verbs ["${permission.verb}"]`;
  return problem(
    base,
    'fail',
    `denied for ${subject.description}; needed to ${permission.usedFor}`,
    `kubectl apply -f k8s/rbac.yaml, or add a rule with ${rule} to the ClusterRole bound to ${subject.description}`,
  );
}
