import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../bin/commands/status.ts';
import { priceOfChange } from '../../../lib/decide/price-decision.ts';
import { emptyJobState, type JobKey, type JobState } from '../../../lib/domain/index.ts';
import { costVsSpecWords, jobStatusOf, priceWords } from '../../../lib/report/job-status.ts';

const KEY: JobKey = { cluster: 'c', namespace: 'ns', kind: 'FlinkDeployment', name: 'orders' };
const HEX = 'bc764cd8ddf7a0cff126f51c16239658';
const NOW = Date.UTC(2026, 11, 4, 12);
const price = priceOfChange(4, 2, { cpu: 2, memoryBytes: 4 * 1024 ** 3 }, { vcpuHourUsd: 0.04048, memoryGbHourUsd: 0.004445 });

const state: JobState = {
  ...emptyJobState(),
  delayedScaleDown: {
    [HEX]: { firstTriggerTimeMs: NOW - 10 * 60_000, recommendations: [{ triggerTimeMs: NOW, parallelism: 3, outsideUtilizationBound: true }] },
  },
  vertexNames: { [HEX]: 'Source: Kafka orders -> Map' },
  costLedger: {
    sinceMs: Date.UTC(2026, 11, 1),
    accruedToMs: NOW,
    specTaskManagers: 4,
    currentTaskManagers: 2,
    taskManagerUsdPerHour: 0.09874,
    savedUsd: 14.2186,
  },
};

describe('fsa status: names, price and savings', () => {
  const status = jobStatusOf(KEY, state, {
    atMs: NOW,
    outcome: 'decided',
    reason: 'scaled',
    mode: 'active',
    action: 'scale',
    realized: 'patched',
    upgradePath: 'in-place',
    price,
  });

  it('prices the last decision and names pending scale-downs', () => {
    expect(status.lastDecision).toBe('scale, patched in-place (−2 TM −$0.1975/h, −$144.16/month)');
    expect(status.pendingScaleDown[HEX]).toMatchObject({ parallelism: 3, label: 'Source: Kafka orders -> Map (bc764cd8)' });
    expect(priceWords(price)).toBe('−2 TM −$0.1975/h, −$144.16/month');
  });

  it('shows the running total against the spec', () => {
    expect(costVsSpecWords(state.costLedger!)).toBe(
      'saved $14.22 since 2026-12-01 00:00 UTC (2 TM vs 4 in the spec: −$0.1975/h)',
    );
    const table = formatStatus([status], NOW);
    expect(table).toMatch(/COST VS SPEC/);
    expect(table).toContain('saved $14.22 since 2026-12-01 00:00 UTC');
    expect(table).toContain('Source: Kafka orders -> Map (bc764cd8)→3 since 10m ago');
  });

  it('reads state and run records written before prices and names', () => {
    const old = jobStatusOf(KEY, { ...emptyJobState(), delayedScaleDown: state.delayedScaleDown }, {
      atMs: NOW,
      outcome: 'decided',
      reason: 'r',
      action: 'balanced',
    });
    expect(old.costVsSpec).toBeUndefined();
    expect(old.lastDecision).toBe('balanced');
    expect(old.pendingScaleDown[HEX]?.label).toBe('bc764cd8');
    expect(formatStatus([old], NOW)).toMatch(/balanced\s+bc764cd8→3 since 10m ago\s+–\s+ok/);
  });
});
