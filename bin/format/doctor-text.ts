import type { DoctorCheck, DoctorSection, DoctorStatus, DoctorSummary } from '../../lib/report/doctor/index.ts';

const SECTION_TITLES: Readonly<Record<DoctorSection, string>> = {
  cluster: 'Cluster',
  access: 'Access entries',
  rbac: 'Kubernetes RBAC',
  operator: 'Flink operator',
  jobs: 'Opted-in jobs',
};

const MARKS: Readonly<Record<DoctorStatus, string>> = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/** The checklist as terminal text: one block per section, a `fix:` line under each problem, a summary. */
export function doctorText(header: string, checks: readonly DoctorCheck[], summary: DoctorSummary): string {
  const lines = [header];
  for (const section of Object.keys(SECTION_TITLES) as DoctorSection[]) {
    const inSection = checks.filter((c) => c.section === section);
    if (inSection.length === 0) continue;
    lines.push('', SECTION_TITLES[section]);
    const nameWidth = Math.max(...inSection.map((c) => c.name.length));
    let subject: string | undefined;
    for (const check of inSection) {
      // per-job lines sit under a line naming the job
      if (check.subject !== undefined && check.subject !== subject) lines.push(`  ${check.subject}`);
      subject = check.subject;
      const indent = check.subject === undefined ? '  ' : '    ';
      lines.push(`${indent}${MARKS[check.status]}  ${check.name.padEnd(nameWidth)}  ${check.detail}`);
      if (check.fix && (check.status === 'fail' || check.status === 'warn')) {
        lines.push(`${indent}      ${' '.repeat(nameWidth)}  fix: ${check.fix}`);
      }
    }
  }
  lines.push(
    '',
    `${summary.pass} passed, ${summary.warn} warning(s), ${summary.fail} failed, ${summary.skip} skipped`,
  );
  return lines.join('\n');
}
