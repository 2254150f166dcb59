import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerCostCommand } from '../../../bin/commands/cost.ts';
import { US_EAST_1_PRICES } from '../../../lib/report/cloud-prices.ts';
import { estimateFleetCost, type MeasuredUsage } from '../../../lib/report/cost-model.ts';
import { MEASURED_USAGE } from '../../../lib/report/measured-cycle-usage.ts';

async function cost(...args: string[]): Promise<{ out: string; error?: Error }> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerCostCommand(program);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
  try {
    await program.parseAsync(['node', 'fsa', 'cost', ...args]);
    return { out: lines.join('\n') };
  } catch (error) {
    return { out: lines.join('\n'), error: error as Error };
  } finally {
    spy.mockRestore();
  }
}

describe('fsa cost', () => {
  it('prints the same estimate as the cost model on the committed measurements', async () => {
    // Act
    const { out, error } = await cost('--jobs', '40', '--vertices', '25', '--billing', 'provisioned', '--json');

    // Assess
    expect(error).toBeUndefined();
    const printed = JSON.parse(out) as { totalUsdPerMonth: number; perJobUsdPerMonth: number; fleet: { jobs: number } };
    const expected = estimateFleetCost(
      { jobs: 40, vertices: 25, cadenceMs: 60_000, detailedJobs: 0, billing: 'provisioned' },
      MEASURED_USAGE,
      US_EAST_1_PRICES,
    );
    expect(printed.fleet.jobs).toBe(40);
    expect(printed.totalUsdPerMonth).toBeCloseTo(expected.totalUsdPerMonth, 10);
    expect(printed.perJobUsdPerMonth).toBeCloseTo(expected.perJobUsdPerMonth, 10);
  });

  it('shows each service per job, the fleet fixed cost and the total in text', async () => {
    // Act
    const { out } = await cost('--jobs', '100', '--cadence', '5 min', '--detailed-metrics', '3');

    // Assess
    expect(out).toContain('Fleet: 100 job(s) × 10 vertices, one cycle every 300 s (8,640 cycles per job and month)');
    for (const service of ['Lambda', 'SQS', 'DynamoDB', 'CloudWatch Logs']) expect(out).toMatch(new RegExp(`^  ${service} +\\$`, 'm'));
    expect(out).toContain('Detailed metrics, extra per job and month: $');
    expect(out).toMatch(/Fleet fixed per month: \$\d/);
    expect(out).toMatch(/Total per month: \$[\d.]+ \(100 × \$[\d.]+ \+ 3 × \$[\d.]+ \+ \$[\d.]+ fixed\)/);
  });

  it('gives every job detailed metrics when --detailed-metrics has no number', async () => {
    // Act
    const { out } = await cost('--jobs', '7', '--detailed-metrics', '--json');

    // Assess
    expect((JSON.parse(out) as { fleet: { detailedJobs: number } }).fleet.detailedJobs).toBe(7);
  });

  it('prices the replay history at the retention given', async () => {
    // Act
    const storage = async (...args: string[]) => {
      const { out } = await cost('--json', ...args);
      const estimate = JSON.parse(out) as { perJob: Array<{ service: string; lines: Array<{ item: string; quantity: number }> }> };
      return estimate.perJob.find((c) => c.service === 'DynamoDB')!.lines.find((l) => l.item.startsWith('storage'))!.quantity;
    };
    const byDefault = await storage();
    const week = await storage('--history-retention', '7d');
    const month = await storage('--history-retention', '30 d');
    const windowOnly = await storage('--history-retention', '0');

    // Assess: the default is the option's 7 days; more retention keeps more samples
    expect(week).toBe(byDefault);
    expect(month).toBeGreaterThan(3 * week);
    expect(windowOnly).toBeLessThan(week / 2);
  });

  it('uses the measurements it is given (what the benchmark measured)', async () => {
    // Prepare: a measurement where a job-cycle costs exactly one Lambda request and nothing else
    const nothing = { workerInvocations: 1, workerBilledMs: 0, sqsRequests: 0, dynamoRequests: 0, dynamoReadUnits: 0, dynamoWriteUnits: 0, dynamoStoredBytes: 0, dynamoSampleItemBytes: 0, logBytes: 0, customMetrics: 0 };
    const measured: MeasuredUsage = {
      ...MEASURED_USAGE,
      defaults: [{ vertices: 10, ...nothing }],
      detailed: [{ vertices: 10, ...nothing }],
    };
    const program = new Command().exitOverride();
    registerCostCommand(program, measured);
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((text: unknown) => lines.push(String(text)));
    try {
      await program.parseAsync(['node', 'fsa', 'cost', '--json']);
    } finally {
      spy.mockRestore();
    }

    // Assess: 43,200 requests at $0.20 per million
    expect((JSON.parse(lines.join('\n')) as { perJobUsdPerMonth: number }).perJobUsdPerMonth).toBeCloseTo(43_200 * 0.2e-6, 12);
  });

  it.each([
    [['--jobs', 'many'], "--jobs must be a whole number ≥ 0, got 'many'"],
    [['--vertices', '0'], "--vertices must be a whole number ≥ 1, got '0'"],
    [['--cadence', '200ms'], "'200ms' is not a cadence of at least 1 s"],
    [['--billing', 'reserved'], "'reserved' is not a billing mode: use on-demand or provisioned"],
    [['--jobs', '2', '--detailed-metrics', '5'], '--detailed-metrics 5 is more than --jobs 2'],
    [['--history-retention', 'a week'], "'a week' is not a retention: use a duration (e.g. 7d, 30 d, 12h) or 0"],
  ])('refuses %j with a clear message', async (args, message) => {
    const { error } = await cost(...args);
    expect(error?.message).toContain(message);
  });
});
