import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerRedeployFromSavepointCommand } from '../../../bin/commands/redeploy-from-savepoint.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';

let emulator: KubernetesEmulator;
let kubeconfig: string;
let out: string[];

function program(): Command {
  const p = new Command().exitOverride();
  registerRedeployFromSavepointCommand(p, { write: (t) => out.push(t) });
  return p;
}

beforeEach(async () => {
  out = [];
  emulator = await startKubernetesEmulator({ token: 'cli-token', restartDelayMs: 5_000 });
  const dir = await mkdtemp(join(tmpdir(), 'fsa-redeploy-'));
  kubeconfig = join(dir, 'config');
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\ncurrent-context: emu\nclusters: [{name: emu, cluster: {server: "${emulator.url}"}}]\ncontexts: [{name: emu, context: {cluster: emu, user: u}}]\nusers: [{name: u, user: {token: cli-token}}]\n`,
  );
});
afterEach(() => emulator.close());

describe('fsa redeploy-from-savepoint', () => {
  it('sets initialSavepointPath and a new nonce; the operator redeploys with a new job id', async () => {
    emulator.apply(aFlinkDeployment());
    await emulator.advance(5_000);
    const jobId = (
      (emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.status?.['jobStatus'] ?? {}) as {
        jobId?: string;
      }
    ).jobId;
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    const args = [
      'redeploy-from-savepoint',
      'flink-jobs/orders-enrichment',
      '--path',
      's3://b/sp-1',
      '--kubeconfig',
      kubeconfig,
    ];
    await program().parseAsync(args, { from: 'user' });
    expect(out.join('')).toContain('savepointRedeployNonce unset -> 1, generation 2');
    const job = emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.spec?.['job'];
    expect(job).toMatchObject({ initialSavepointPath: 's3://b/sp-1', savepointRedeployNonce: 1 });
    await emulator.advance(1);
    expect(emulator.events('flink-jobs', 'orders-enrichment').map((e) => e['message'])).toContain(
      'SAVEPOINT_REDEPLOY change(s) detected',
    );
    await emulator.advance(5_000);
    const status = emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.status as {
      jobStatus: { jobId: string; state: string };
    };
    expect(status.jobStatus.state).toBe('RUNNING');
    expect(status.jobStatus.jobId).not.toBe(jobId);
    await program().parseAsync(args, { from: 'user' });
    expect(out.at(-1)).toContain('1 -> 2');
  });

  it.each([
    { args: ['bad/Name_', '--path', 's3://b/x'], message: /not a valid object name/ },
    { args: ['flink-jobs/orders-enrichment', '--path', 'not-a-uri'], message: /not a savepoint URI/ },
    { args: ['flink-jobs/missing', '--path', 's3://b/x'], message: /404 NotFound/ },
  ])('fails with a clear message: $message', async ({ args, message }) => {
    emulator.apply(aFlinkDeployment());
    await expect(
      program().parseAsync(['redeploy-from-savepoint', ...args, '--kubeconfig', kubeconfig], {
        from: 'user',
      }),
    ).rejects.toThrow(message);
  });
});
