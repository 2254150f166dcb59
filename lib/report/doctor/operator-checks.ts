import { type DoctorCheck, problem } from './doctor-check.ts';

/**
 * Flink operator checks of `fsa doctor`: the operator's CRDs are served, and which operator
 * version runs. The operator's Helm chart (apache/flink-kubernetes-operator,
 * helm/flink-kubernetes-operator/templates/_helpers.tpl and controller/deployment.yaml) labels its
 * Deployment `app.kubernetes.io/name: flink-kubernetes-operator` and
 * `app.kubernetes.io/version: <chart appVersion>`, and runs the image
 * `…/flink-kubernetes-operator:<version>`.
 */

/** Label selector of the operator's Deployment (Helm chart selector labels). */
export const OPERATOR_DEPLOYMENT_SELECTOR = 'app.kubernetes.io/name=flink-kubernetes-operator';

/**
 * Oldest operator release the autoscaler is verified against: the emulator enforces the CRDs of
 * release 1.15.0 and of `main` (docs/flink-resources.md). Older releases get a warning, not a failure.
 */
export const VERIFIED_OPERATOR_VERSION: readonly [number, number] = [1, 15];

/** The operator's Deployment as read from the API. */
export interface OperatorDeploymentView {
  readonly namespace: string;
  readonly name: string;
  readonly versionLabel?: string;
  readonly images: readonly string[];
}

/** Which Flink kinds `GET /apis/flink.apache.org/v1beta1` lists; `undefined` when the group is not served. */
export function checkFlinkCrds(servedResources: readonly string[] | undefined): DoctorCheck {
  const base = { section: 'operator' as const, name: 'Flink CRDs' };
  const install =
    'install the Flink Kubernetes Operator with its CRDs (helm install flink-kubernetes-operator flink-operator-repo/flink-kubernetes-operator)';
  if (servedResources === undefined) {
    return problem(base, 'fail', 'the API group flink.apache.org/v1beta1 is not served', install);
  }
  const missing = ['flinkdeployments', 'flinksessionjobs'].filter((r) => !servedResources.includes(r));
  if (missing.includes('flinkdeployments')) {
    return problem(base, 'fail', 'flinkdeployments.flink.apache.org is not served', install);
  }
  if (missing.length > 0) {
    return problem(
      base,
      'warn',
      'flinksessionjobs.flink.apache.org is not served: session jobs cannot be discovered',
      `upgrade the operator's CRDs (kubectl apply the CRDs of your operator release); ${install}`,
    );
  }
  return { ...base, status: 'pass', detail: 'flinkdeployments and flinksessionjobs (flink.apache.org/v1beta1) are served' };
}

/** `1.15.0` from a version label or an image reference (`repo/flink-kubernetes-operator:1.15.0`); digests are not versions. */
export function operatorVersionOf(deployment: OperatorDeploymentView): string | undefined {
  const label = deployment.versionLabel?.trim();
  if (label && /^v?\d+\.\d+/.test(label)) return label.replace(/^v/, '');
  for (const image of deployment.images) {
    const tag = /:([^:/@]+)(@.*)?$/.exec(image)?.[1];
    if (tag && /^v?\d+\.\d+/.test(tag)) return tag.replace(/^v/, '');
  }
  return undefined;
}

/** The operator version line; `undefined` deployments = could not be listed (`error` says why). */
export function checkOperatorVersion(
  deployments: readonly OperatorDeploymentView[] | { readonly error: string },
): DoctorCheck {
  const base = { section: 'operator' as const, name: 'operator version' };
  if ('error' in deployments) {
    return problem(base, 'warn', `could not list Deployments: ${deployments.error}`, 'run fsa doctor with credentials that may list deployments.apps');
  }
  if (deployments.length === 0) {
    return problem(
      base,
      'warn',
      `no Deployment labelled ${OPERATOR_DEPLOYMENT_SELECTOR} was found`,
      'check that the Flink Kubernetes Operator runs (installed with its Helm chart, or labelled like it)',
    );
  }
  const found = deployments.map((d) => ({ at: `${d.namespace}/${d.name}`, version: operatorVersionOf(d) }));
  const where = found.map((f) => `${f.at} ${f.version ?? 'version unknown'}`).join('; ');
  const old = found.filter((f) => {
    const m = f.version ? /^(\d+)\.(\d+)/.exec(f.version) : null;
    if (!m) return false;
    const [major, minor] = [Number(m[1]), Number(m[2])];
    return major < VERIFIED_OPERATOR_VERSION[0] || (major === VERIFIED_OPERATOR_VERSION[0] && minor < VERIFIED_OPERATOR_VERSION[1]);
  });
  const verified = `${VERIFIED_OPERATOR_VERSION[0]}.${VERIFIED_OPERATOR_VERSION[1]}`;
  if (old.length > 0) {
    return problem(base, 'warn', `${where}: older than ${verified}, the oldest release the autoscaler is verified against`, `upgrade the operator to ${verified} or later`);
  }
  if (found.some((f) => f.version === undefined)) {
    return problem(base, 'warn', `${where}`, 'label the operator Deployment with app.kubernetes.io/version or use a versioned image tag');
  }
  return { ...base, status: 'pass', detail: where };
}
