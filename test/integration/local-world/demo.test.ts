import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');

let outDir: string | undefined;
afterEach(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
  outDir = undefined;
});

describe('`fsa start` (= `npm start`): the demo on sim/scenarios/default.yaml', () => {
  it('ends on a steady load and closes with how the autoscaler converged', { timeout: 240_000 }, async () => {
    outDir = await mkdtemp(join(tmpdir(), 'fsa-start-'));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin', 'fsa.js'), 'start', '--out', outDir, '--store', 'memory'],
      { cwd: ROOT, timeout: 230_000 },
    );
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Local world: orders-pipeline for 5 h of simulated time/);
    // the closing line: rescales it took, final Σp against the oracle, parallelism-hours against
    // the Managed Flink rule
    expect(lines.at(-1)).toMatch(
      /^Result: after the last load change \(3:00\) the autoscaler converged after \d+ rescales? \(at \d+:\d\d\): final Σp (\d+) = the oracle's \1; [\d.]+ parallelism-hours, 0\.\d\d× the Managed Flink rule's [\d.]+\.$/,
    );
    expect(stdout).toMatch(/\n {2}autoscaler +\d+ rescales, converged after \d+ rescales? \(at /);
    expect(stdout).toContain(`Report:  ${join(outDir, 'report.html')}`);

    const summary = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8'));
    const { autoscaler, baseline, lastLoadChangeMs } = summary.metrics;
    expect(lastLoadChangeMs).toBe(3 * 3_600_000);
    // converged within the design's 3 rescales, with an hour or more of steady load left to show
    // that it stays there
    expect(autoscaler.rescalesToConverge).toBeGreaterThanOrEqual(1);
    expect(autoscaler.rescalesToConverge).toBeLessThanOrEqual(3);
    expect(autoscaler.convergedAtMs).toBeLessThanOrEqual(4 * 3_600_000);
    expect(autoscaler.rescalesAfterConvergence).toBe(0);
    expect(autoscaler.finalRatio).toBeLessThanOrEqual(1.1);
    expect(autoscaler.minutesLagAboveTarget).toBe(0);
    expect(autoscaler.parallelismHours).toBeLessThan(baseline.parallelismHours / 2);

    const html = await readFile(join(outDir, 'report.html'), 'utf8');
    expect(html).toContain(
      `<tr><th scope="row">rescales to converge</th><td>${autoscaler.rescalesToConverge}</td><td>never</td></tr>`,
    );
    expect(html).toContain('<th scope="row">parallelism-hours / Managed Flink rule</th>');
  });
});
