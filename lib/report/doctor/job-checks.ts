import { MANAGED_LABEL, REST_URL_ANNOTATION } from '../../domain/resource-metadata.ts';
import { type DoctorCheck, problem } from './doctor-check.ts';

/**
 * Per-job checks of `fsa doctor`: the opt-in label, the operator's own autoscaler, readiness, the
 * Flink REST API as the worker reaches it, the Flink version and the metrics the autoscaler reads.
 */

/** Flink 1.17 is the first release that applies `pipeline.jobvertex-parallelism-overrides` (docs/flink-resources.md §2). */
export const MIN_FLINK_VERSION: readonly [number, number] = [1, 17];

/** The metric the autoscaler's utilization comes from (FLIP-271); present on every running vertex. */
export const PROBED_METRIC = 'busyTimeMsPerSecond';

/** A Flink resource that carries the opt-in label with any value. */
export interface LabelledResource {
  readonly subject: string;
  readonly labelValue: string;
}

/** What the command found out about one opted-in job. */
export interface JobProbe {
  /** `namespace/name (Kind)`. */
  readonly subject: string;
  /** Readiness as the worker assesses it (`code` from lib/adapters/kubernetes/readiness.ts). */
  readonly readiness:
    | { readonly ready: true }
    | { readonly ready: false; readonly code: string; readonly refused: boolean; readonly reason: string };
  /** `spec.flinkVersion` (`v1_18`) of the deployment or the session cluster. */
  readonly specFlinkVersion?: string;
  /** How the worker reaches the REST API: the service proxy (with the service) or the annotation URL. */
  readonly rest: {
    readonly via: 'service-proxy' | 'annotation';
    readonly baseUrl: string;
    /** The JobManager's REST Service and its namespace, for the service proxy. */
    readonly service?: { readonly namespace: string; readonly name: string };
  };
  readonly restProbe: RestProbe;
}

/** The REST API answered `GET /overview` (with the version) or not. */
export type RestProbe =
  | { readonly reachable: true; readonly flinkVersion?: string; readonly metrics: MetricsProbe }
  | { readonly reachable: false; readonly error: string };

/** Whether `busyTimeMsPerSecond` has a value on a vertex of the running job. */
export type MetricsProbe =
  | { readonly found: true; readonly vertex: string; readonly value: number }
  | { readonly found: false; readonly reason: string }
  | { readonly skipped: string };

/** Label values other than `"true"` opt nothing in; no opted-in job at all is worth a warning. */
export function checkOptInLabels(labelled: readonly LabelledResource[]): DoctorCheck[] {
  const base = { section: 'jobs' as const, name: 'opt-in label' };
  const wrong = labelled.filter((r) => r.labelValue !== 'true');
  const checks: DoctorCheck[] = wrong.map((r) =>
    problem(
      { ...base, subject: r.subject },
      'warn',
      `${MANAGED_LABEL}=${JSON.stringify(r.labelValue)} does not opt the job in (only "true" does)`,
      `kubectl label --overwrite <kind>/<name> ${MANAGED_LABEL}=true, or remove the label`,
    ),
  );
  if (labelled.length === wrong.length) {
    checks.push(
      problem(
        base,
        'warn',
        'no FlinkDeployment or FlinkSessionJob is opted in',
        `kubectl label flinkdeployment <name> -n <namespace> ${MANAGED_LABEL}=true`,
      ),
    );
  }
  return checks;
}

/** The checklist lines of one opted-in job. */
export function checkJob(probe: JobProbe): DoctorCheck[] {
  const at = (name: string) => ({ section: 'jobs' as const, name, subject: probe.subject });
  return [
    checkBuiltinAutoscaler(at('operator autoscaler off'), probe),
    checkReadiness(at('readiness'), probe),
    checkRest(at('Flink REST API'), probe),
    checkFlinkVersion(at('Flink version'), probe),
    checkMetrics(at(`metric ${PROBED_METRIC}`), probe),
  ];
}

type At = Pick<DoctorCheck, 'section' | 'name' | 'subject'>;

function checkBuiltinAutoscaler(base: At, probe: JobProbe): DoctorCheck {
  if (!probe.readiness.ready && probe.readiness.code === 'builtin-autoscaler-enabled') {
    return problem(
      base,
      'fail',
      "job.autoscaler.enabled is true: the operator's own autoscaler would overwrite every decision, so the job is refused",
      `set job.autoscaler.enabled: "false" in spec.flinkConfiguration, or remove the ${MANAGED_LABEL} label`,
    );
  }
  return { ...base, status: 'pass', detail: 'job.autoscaler.enabled is not true' };
}

function checkReadiness(base: At, probe: JobProbe): DoctorCheck {
  const { readiness } = probe;
  if (readiness.ready) return { ...base, status: 'pass', detail: 'ready to evaluate (stable, job RUNNING)' };
  if (readiness.code === 'builtin-autoscaler-enabled') {
    return { ...base, status: 'skip', detail: 'refused, see "operator autoscaler off"' };
  }
  if (readiness.refused) return problem(base, 'fail', readiness.reason, 'fix the resource as the detail says');
  return problem(base, 'warn', readiness.reason, 'nothing to fix if this passes by itself (a deploy or restart in progress); otherwise check the operator status of the resource');
}

function checkRest(base: At, probe: JobProbe): DoctorCheck {
  const { rest, restProbe } = probe;
  if (restProbe.reachable) {
    const service = rest.service ? `Service ${rest.service.namespace}/${rest.service.name}` : rest.baseUrl;
    return { ...base, status: 'pass', detail: `reachable via ${rest.via === 'service-proxy' ? `the API server's service proxy (${service})` : `${REST_URL_ANNOTATION} ${rest.baseUrl}`}` };
  }
  const svc = rest.service ? `svc ${rest.service.name} -n ${rest.service.namespace}` : 'svc <cluster>-rest';
  const fix =
    rest.via === 'service-proxy'
      ? `check that the JobManager runs and its Service has a port named "rest" (kubectl get ${svc} -o yaml), and that the worker may get services/proxy; or set the ${REST_URL_ANNOTATION} annotation to a URL the worker reaches`
      : `check that ${rest.baseUrl} (annotation ${REST_URL_ANNOTATION}) is reachable from the worker function's network`;
  return problem(base, 'fail', `${rest.baseUrl}: ${restProbe.error}`, fix);
}

/** `[major, minor]` of `1.18.1`, `v1_18`, `2.0-SNAPSHOT`. */
export function parseMajorMinor(text: string | undefined): [number, number] | undefined {
  const m = text ? /^v?(\d+)[._](\d+)/.exec(text.trim()) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function checkFlinkVersion(base: At, probe: JobProbe): DoctorCheck {
  const fromRest = probe.restProbe.reachable ? probe.restProbe.flinkVersion : undefined;
  const text = fromRest ?? probe.specFlinkVersion;
  const source = fromRest ? 'REST /overview' : 'spec.flinkVersion';
  const version = parseMajorMinor(text);
  const needed = `${MIN_FLINK_VERSION[0]}.${MIN_FLINK_VERSION[1]}`;
  if (!version) {
    return problem(base, 'warn', 'the Flink version is unknown (REST unreachable and no spec.flinkVersion)', `make sure the job runs Flink ${needed} or later`);
  }
  const [major, minor] = version;
  if (major < MIN_FLINK_VERSION[0] || (major === MIN_FLINK_VERSION[0] && minor < MIN_FLINK_VERSION[1])) {
    return problem(
      base,
      'fail',
      `${text} (${source}): pipeline.jobvertex-parallelism-overrides needs Flink ${needed} or later`,
      `upgrade the job to Flink ${needed} or later`,
    );
  }
  return { ...base, status: 'pass', detail: `${text} (${source})` };
}

function checkMetrics(base: At, probe: JobProbe): DoctorCheck {
  if (!probe.restProbe.reachable) return { ...base, status: 'skip', detail: 'the REST API is not reachable' };
  const metrics = probe.restProbe.metrics;
  if ('skipped' in metrics) return { ...base, status: 'skip', detail: metrics.skipped };
  if (metrics.found) {
    return { ...base, status: 'pass', detail: `${metrics.value} ms/s on vertex ${metrics.vertex}` };
  }
  return problem(
    base,
    'fail',
    metrics.reason,
    'check that the job is RUNNING on Flink 1.17+ and that task metrics are not disabled (metrics.scope / metrics.reporters settings)',
  );
}
