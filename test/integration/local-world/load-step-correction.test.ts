/**
 * The load-step correction (issue "Real clocks", item 7) closed-loop, on the real cycle in the
 * local world under realistic timing: the late-step scenario (3k → 7k rec/s four minutes before
 * the first full window) with the step-aware target rate turned off, so that the first scale-up
 * is sized on a window that mixes the old and the new load. Without the correction the vertex
 * stays inside the utilization band below the oracle for good (the Flink operator's behaviour);
 * with it, one window later it scales to the current rate.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SCENARIO = join(ROOT, 'sim', 'scenarios', 'late-step.yaml');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fsa-load-step-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Change {
  readonly vertex: string;
  readonly from: number;
  readonly to: number;
  readonly why: string;
}

/** Runs late-step with extra flinkConfiguration keys through `fsa simulate`; returns summary.json. */
async function simulate(name: string, keys: Record<string, string>) {
  const scenario = (await readFile(SCENARIO, 'utf8')).replace(
    'flinkConfiguration:\n',
    `flinkConfiguration:\n${Object.entries(keys)
      .map(([key, value]) => `    ${key}: "${value}"\n`)
      .join('')}`,
  );
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, scenario);
  const out = join(dir, name);
  await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'bin', 'fsa.js'), 'simulate', '--scenario', file, '--store', 'memory', '--out', out],
    { cwd: ROOT, timeout: 110_000 },
  );
  const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
  const whys: string[] = summary.decisions
    .filter((d: { actor: string }) => d.actor === 'autoscaler')
    .flatMap((d: { changes: Change[] }) => d.changes.map((c) => c.why));
  return { autoscaler: summary.metrics.autoscaler, whys };
}

describe('load-step correction in the closed loop (late-step, step-aware target rate off)', () => {
  it('scales once more to the current rate one window after a scale-up that only partly saw the step', { timeout: 240_000 }, async () => {
    const stepAwareOff = { 'job.autoscaler.target-data-rate.step-aware.enabled': 'false' };
    const [withCorrection, without] = await Promise.all([
      simulate('on', stepAwareOff),
      simulate('off', { ...stepAwareOff, 'job.autoscaler.scale-up.load-step.enabled': 'false' }),
    ]);
    // Without it: one scale-up sized for the mixed window, then inside the band below the oracle.
    expect(without.whys.some((why) => why.includes('load-step correction'))).toBe(false);
    expect(without.autoscaler.finalRatio).toBeLessThan(1);
    // With it: the correction names itself and the run ends at the oracle (1.0–1.10 ×).
    expect(withCorrection.whys.some((why) => why.includes('load-step correction: the scale-up'))).toBe(true);
    expect(withCorrection.autoscaler.finalRatio).toBeGreaterThanOrEqual(1);
    expect(withCorrection.autoscaler.finalRatio).toBeLessThanOrEqual(1.1);
    expect(withCorrection.autoscaler.rescalesAfterConvergence).toBe(0);
    expect(withCorrection.autoscaler.minutesLagAboveTarget).toBe(0);
  });
});
