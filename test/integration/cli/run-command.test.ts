import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clusterNameFromContext, registerRunCommand } from '../../../bin/commands/run.ts';
import { LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

let local: LocalCluster;
let kubeconfig: string;

beforeAll(async () => {
  local = await startLocalCluster();
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'fsa-run-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: arn:aws:eks:eu-west-1:123456789012:cluster/local-emulator',
      'clusters:',
      `- name: emulator\n  cluster:\n    server: ${local.emulator.url}`,
      'users:',
      `- name: tester\n  user:\n    token: ${LOCAL_TOKEN}`,
      'contexts:',
      '- name: arn:aws:eks:eu-west-1:123456789012:cluster/local-emulator\n  context:\n    cluster: emulator\n    user: tester',
    ].join('\n'),
  );
});
afterAll(async () => local?.close());

async function runCli(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerRunCommand(program);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
  try {
    await program.parseAsync(['node', 'fsa', 'run', ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

describe('fsa run --once', () => {
  it('runs one cycle for every opted-in job through the same run-cycle as the Lambda', async () => {
    const output = JSON.parse(await runCli('--once', '--json', '--kubeconfig', kubeconfig)) as {
      job: string;
      result: { outcome: string; decision?: { action: string } };
    }[];
    // The cluster name comes from the EKS-style context ARN; a first cycle has one sample only.
    expect(output).toEqual([
      {
        job: 'local-emulator/flink-jobs/FlinkDeployment/orders-enrichment',
        result: expect.objectContaining({
          outcome: 'decided',
          decision: expect.objectContaining({ action: 'not-ready' }),
        }),
      },
    ]);
  });

  it('prints a table by default', async () => {
    const output = await runCli('--once', '--kubeconfig', kubeconfig, '--cluster-name', 'lab');
    expect(output).toMatch(/^job\s+outcome\s+decision/m);
    expect(output).toContain('lab/flink-jobs/FlinkDeployment/orders-enrichment');
  });

  it('without --once repeats every --interval and stops cleanly on SIGINT after the running round', async () => {
    const errors = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const program = new Command().exitOverride();
    registerRunCommand(program);
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
    try {
      const running = program.parseAsync(['node', 'fsa', 'run', '--interval', '1h', '--kubeconfig', kubeconfig]);
      await vi.waitFor(() => expect(lines.join('\n')).toContain('orders-enrichment'), { timeout: 20_000 });
      // The loop now sleeps for an hour: the signal cuts the sleep short and ends the loop.
      process.emit('SIGINT', 'SIGINT');
      await running;
      expect(errors).toHaveBeenCalledWith(expect.stringContaining('SIGINT: stopping after the running cycle'));
      expect(process.listenerCount('SIGINT')).toBe(0);
    } finally {
      spy.mockRestore();
      errors.mockRestore();
    }
  });

  it('refuses ambiguous or missing cluster access with a clear message', async () => {
    await expect(runCli('--once')).rejects.toThrow(
      /exactly one of --kubeconfig <file> or --eks-cluster <name>/,
    );
    await expect(runCli('--once', '--kubeconfig', kubeconfig, '--interval', 'soon')).rejects.toThrow(
      /duration/,
    );
  });

  it.each([
    ['arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu', 'prod-eu'],
    ['kind-dev', 'kind-dev'],
    ['gke_project_zone_name.v2', 'gke_project_zone_name-v2'],
  ])('derives a job-key cluster name from context %s', (context, expected) => {
    expect(clusterNameFromContext(context)).toBe(expected);
  });
});
