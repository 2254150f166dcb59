import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerDoctorCommand } from '../../../bin/commands/doctor.ts';
import type { DoctorCheck } from '../../../lib/report/doctor/index.ts';
import { aFlinkDeployment } from '../kubernetes/flink-fixtures.ts';
import { LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

/** The repository's RBAC, applied to the emulator like `kubectl apply -f k8s/rbac.yaml`. */
const RBAC = parseAllDocuments(readFileSync(new URL('../../../k8s/rbac.yaml', import.meta.url), 'utf8')).map(
  (d) => d.toJS() as Record<string, unknown>,
);
type ClusterRole = { rules: { resources: string[]; verbs: string[] }[] };

/** The operator's Deployment as its Helm chart labels it. */
const OPERATOR_DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'flink-kubernetes-operator',
    namespace: 'flink-operator',
    labels: { 'app.kubernetes.io/name': 'flink-kubernetes-operator', 'app.kubernetes.io/version': '1.15.0' },
  },
  spec: {
    template: { spec: { containers: [{ name: 'flink-kubernetes-operator', image: 'ghcr.io/apache/flink-kubernetes-operator:1.15.0' }] } },
  },
};

let local: LocalCluster;
let kubeconfig: string;

beforeAll(async () => {
  local = await startLocalCluster();
  for (const object of RBAC) local.emulator.apply(object);
  local.emulator.apply(OPERATOR_DEPLOYMENT);
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'fsa-doctor-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\ncurrent-context: local\nclusters:\n- name: emu\n  cluster:\n    server: ${local.emulator.url}\nusers:\n- name: u\n  user:\n    token: ${LOCAL_TOKEN}\ncontexts:\n- name: local\n  context:\n    cluster: emu\n    user: u\n`,
  );
});
afterAll(async () => {
  await local?.close();
});

/** Runs `fsa doctor` in-process; returns its output and exit code. */
async function doctor(...args: string[]): Promise<{ output: string; exitCode: number | undefined }> {
  let exitCode: number | undefined;
  const program = new Command().exitOverride();
  registerDoctorCommand(program, { setExitCode: (code) => (exitCode = code) });
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
  try {
    await program.parseAsync(['node', 'fsa', 'doctor', '--kubeconfig', kubeconfig, ...args]);
  } finally {
    spy.mockRestore();
  }
  return { output: lines.join('\n'), exitCode };
}

async function doctorJson(): Promise<{ checks: DoctorCheck[]; exitCode: number | undefined }> {
  const { output, exitCode } = await doctor('--json');
  return { checks: (JSON.parse(output) as { checks: DoctorCheck[] }).checks, exitCode };
}

const named = (checks: readonly DoctorCheck[], name: string, subject?: string) =>
  checks.find((c) => c.name === name && (subject === undefined || c.subject === subject));

describe('fsa doctor against the emulator', () => {
  it('passes a healthy deployment: RBAC from k8s/rbac.yaml, the operator, a running opted-in job', async () => {
    const { checks, exitCode } = await doctorJson();
    expect(checks.filter((c) => c.status === 'fail' || c.status === 'warn')).toEqual([]);
    expect(exitCode).toBe(0);
    // every required verb was reviewed, for both functions
    expect(checks.filter((c) => c.section === 'rbac').map((c) => c.name)).toEqual(
      expect.arrayContaining(['worker: patch flinkdeployments.flink.apache.org', 'worker: get services/proxy', 'dispatcher: list flinksessionjobs.flink.apache.org']),
    );
    expect(named(checks, 'worker: patch flinkdeployments.flink.apache.org')?.detail).toBe(
      'allowed for group(s) flink-serverless-autoscaler by ClusterRoleBinding "flink-serverless-autoscaler"',
    );
    expect(named(checks, 'operator version')?.detail).toMatch(/flink-operator\/flink-kubernetes-operator 1\.15\.0/);
    const job = 'flink-jobs/orders-enrichment (FlinkDeployment)';
    expect(named(checks, 'Flink REST API', job)?.status).toBe('pass');
    expect(named(checks, 'Flink version', job)?.detail).toMatch(/^1\.\d+.*REST/);
    expect(named(checks, 'metric busyTimeMsPerSecond', job)).toMatchObject({ status: 'pass' });
  });

  it('fails on a missing RBAC verb and says how to grant it', async () => {
    // Prepare: the ClusterRole without `patch` on the Flink resources
    const withoutPatch = structuredClone(RBAC.find((d) => d['kind'] === 'ClusterRole')) as ClusterRole;
    withoutPatch.rules = withoutPatch.rules.map((rule) =>
      rule.resources.includes('flinkdeployments') ? { ...rule, verbs: rule.verbs.filter((v) => v !== 'patch') } : rule,
    );
    local.emulator.apply(withoutPatch as unknown as Record<string, unknown>);
    try {
      // Act
      const { checks, exitCode } = await doctorJson();
      const text = (await doctor()).output;
      // Assess
      expect(exitCode).toBe(1);
      expect(named(checks, 'worker: patch flinkdeployments.flink.apache.org')).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/denied for group\(s\) flink-serverless-autoscaler; needed to write parallelism overrides/),
        fix: expect.stringMatching(/kubectl apply -f k8s\/rbac\.yaml.*resources \["flinkdeployments"\], verbs \["patch"\]/),
      });
      expect(named(checks, 'worker: get flinkdeployments.flink.apache.org')?.status).toBe('pass');
      expect(checks.filter((c) => c.section === 'rbac' && c.status === 'fail')).toHaveLength(2);
      expect(text).toMatch(/FAIL {2}worker: patch flinkdeployments\.flink\.apache\.org +denied/);
      expect(text).toMatch(/\n +fix: kubectl apply -f k8s\/rbac\.yaml/);
      expect(text).toMatch(/\d+ passed, 0 warning\(s\), 2 failed/);
    } finally {
      local.emulator.apply(RBAC.find((d) => d['kind'] === 'ClusterRole') as Record<string, unknown>);
    }
  });

  it('fails on a job whose Flink REST endpoint the service proxy cannot reach, and on the operator autoscaler', async () => {
    // Prepare: a second opted-in job with no reachable JobManager service, a third with the
    // operator's own autoscaler on, and one labelled with a value that does not opt in
    local.emulator.apply(aFlinkDeployment({ name: 'payments' }));
    local.emulator.apply(
      aFlinkDeployment({ name: 'clicks', flinkConfiguration: { 'job.autoscaler.enabled': 'true' } }),
    );
    local.emulator.apply(aFlinkDeployment({ name: 'billing', labels: { 'flink-serverless-autoscaler/enabled': 'yes' } }));
    await local.advance(20_000);
    // Act
    const { checks, exitCode } = await doctorJson();
    // Assess
    expect(exitCode).toBe(1);
    expect(named(checks, 'Flink REST API', 'flink-jobs/payments (FlinkDeployment)')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/services\/payments-rest:rest\/proxy: .*503/),
      fix: expect.stringMatching(/its Service has a port named "rest" \(kubectl get svc payments-rest -n flink-jobs -o yaml\)/),
    });
    expect(named(checks, 'metric busyTimeMsPerSecond', 'flink-jobs/payments (FlinkDeployment)')?.status).toBe('skip');
    expect(named(checks, 'Flink version', 'flink-jobs/payments (FlinkDeployment)')?.detail).toMatch(/v1_20 \(spec\.flinkVersion\)/);
    expect(named(checks, 'operator autoscaler off', 'flink-jobs/clicks (FlinkDeployment)')).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/job\.autoscaler\.enabled: "false"/),
    });
    expect(named(checks, 'opt-in label', 'flink-jobs/billing (FlinkDeployment)')).toMatchObject({ status: 'warn' });
    // the healthy job still passes: one bad job never hides the others
    expect(named(checks, 'Flink REST API', 'flink-jobs/orders-enrichment (FlinkDeployment)')?.status).toBe('pass');
  });

  it('with --as-self reviews the caller itself, for the one role named', async () => {
    // the kubeconfig user is the emulator's default cluster admin (system:masters)
    const { output } = await doctor('--json', '--as-self', 'dispatcher');
    const rbac = (JSON.parse(output) as { checks: DoctorCheck[] }).checks.filter((c) => c.section === 'rbac');
    expect(rbac.map((c) => c.name)).toEqual([
      'dispatcher: list flinkdeployments.flink.apache.org',
      'dispatcher: list flinksessionjobs.flink.apache.org',
      'dispatcher: get flinkdeployments.flink.apache.org',
    ]);
    expect(rbac.every((c) => c.status === 'pass' && c.detail === 'allowed for the current credentials')).toBe(true);
    const selfReviews = local.emulator.requests.filter((r) => r.path.endsWith('/selfsubjectaccessreviews'));
    expect(selfReviews.length).toBeGreaterThanOrEqual(3);
  });

  it('needs exactly one way to the cluster', async () => {
    const program = new Command().exitOverride();
    registerDoctorCommand(program, { setExitCode: () => undefined });
    await expect(program.parseAsync(['node', 'fsa', 'doctor'])).rejects.toThrow(/exactly one of --kubeconfig/);
  });
});
