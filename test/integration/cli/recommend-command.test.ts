import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerRecommendCommand } from '../../../bin/commands/recommend.ts';
import { ManualClock } from '../../../lib/adapters/clock/manual-clock.ts';
import { LOCAL_TOKEN, type LocalCluster, startLocalCluster } from '../../support/local-cluster.ts';

let local: LocalCluster;
let kubeconfig: string;
let clock: ManualClock;

beforeAll(async () => {
  local = await startLocalCluster();
  clock = new ManualClock(local.sim.nowMs());
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'fsa-recommend-')), 'kubeconfig');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nkind: Config\ncurrent-context: lab\nclusters:\n- name: emu\n  cluster:\n    server: ${local.emulator.url}\nusers:\n- name: u\n  user:\n    token: ${LOCAL_TOKEN}\ncontexts:\n- name: lab\n  context:\n    cluster: emu\n    user: u\n`,
  );
});
afterAll(async () => local?.close());

async function recommend(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  // Waiting between samples moves the simulated job forward instead of the wall clock.
  registerRecommendCommand(program, {
    clock,
    sleep: async (ms) => {
      clock.advance(ms);
      await local.advance(ms);
    },
  });
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
  try {
    await program.parseAsync(['node', 'fsa', 'recommend', ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

describe('fsa recommend', () => {
  it('evaluates a live job from fresh samples and recommends scaling the lagging source, writing nothing', async () => {
    const before = local.emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment') as unknown as {
      metadata: { resourceVersion: string };
    };
    const output = JSON.parse(
      await recommend(
        'flink-jobs/orders-enrichment',
        '--kubeconfig',
        kubeconfig,
        '--samples',
        '4',
        '--interval',
        '30 s',
        '--json',
      ),
    ) as {
      decision: {
        action: string;
        vertices: { recommendedParallelism: number; currentParallelism: number }[];
      };
    };
    // 1 subtask at ≈ 667 rec/s cannot carry 1000 rec/s: the source must grow.
    expect(output.decision.action).toBe('scale');
    expect(output.decision.vertices.some((v) => v.recommendedParallelism > v.currentParallelism)).toBe(true);
    const after = local.emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment') as unknown as {
      metadata: { resourceVersion: string };
    };
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('prints the decision table with a dry-run note by default', async () => {
    const output = await recommend(
      'flink-jobs/orders-enrichment',
      '--kubeconfig',
      kubeconfig,
      '--samples',
      '2',
    );
    expect(output).toMatch(/^Decision: /);
    expect(output).toContain('Dry run: nothing was written');
  });

  it('names what is wrong with bad arguments', async () => {
    await expect(recommend('orders-enrichment', '--kubeconfig', kubeconfig)).rejects.toThrow(
      /<namespace>\/<name>/,
    );
    await expect(recommend('flink-jobs/x', '--kubeconfig', kubeconfig, '--samples', '1')).rejects.toThrow(
      /--samples must be/,
    );
    await expect(recommend('flink-jobs/missing', '--kubeconfig', kubeconfig)).rejects.toThrow(
      /not found or is not labelled/,
    );
  });
});
