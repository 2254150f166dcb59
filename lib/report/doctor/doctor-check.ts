/**
 * One line of the `fsa doctor` checklist and what the command makes of a list of them. The checks
 * are pure functions over what the command read from AWS, the Kubernetes API and Flink REST
 * (bin/commands/doctor.ts does the reading).
 */

/** `pass`: fine. `warn`: works, but worth a look. `fail`: the autoscaler cannot work; `fix` says what to do. `skip`: not checked (no input for it). */
export type DoctorStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** The part of the deployment a check is about, in checklist order. */
export type DoctorSection = 'cluster' | 'access' | 'rbac' | 'operator' | 'jobs';

/** One checklist line. */
export interface DoctorCheck {
  readonly section: DoctorSection;
  /** What was checked, e.g. `authentication mode` or `worker: patch flinkdeployments.flink.apache.org`. */
  readonly name: string;
  /** The job it is about (`namespace/name (Kind)`), for per-job checks. */
  readonly subject?: string;
  readonly status: DoctorStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about a `fail` or `warn`. */
  readonly fix?: string;
}

/** Counts per status. */
export type DoctorSummary = Readonly<Record<DoctorStatus, number>>;

export function summarizeChecks(checks: readonly DoctorCheck[]): DoctorSummary {
  const summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status] += 1;
  return summary;
}

/** The process exit code of a checklist: 1 when any check failed, else 0 (warnings do not fail). */
export function doctorExitCode(checks: readonly DoctorCheck[]): number {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** A `fail` or `warn` line with its fix. */
export function problem(
  base: Pick<DoctorCheck, 'section' | 'name' | 'subject'>,
  status: 'fail' | 'warn',
  detail: string,
  fix: string,
): DoctorCheck {
  return { ...base, status, detail, fix };
}
