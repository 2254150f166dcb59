import { describe, expect, it } from 'vitest';
import { defaultOptions } from '../../../lib/config/index.ts';
import { nextCostLedger } from '../../../lib/decide/cost-ledger.ts';
import { accrueCostLedger, costLedgerAsOf, MAX_ACCRUAL_GAP_MS } from '../../../lib/domain/cost-ledger-accrual.ts';
import type { CostLedger, JobTopology, ScalingSummary } from '../../../lib/domain/index.ts';

const HOUR_MS = 3_600_000;

function ledger(over: Partial<CostLedger> = {}): CostLedger {
  return {
    sinceMs: 0,
    accruedToMs: 0,
    specTaskManagers: 4,
    currentTaskManagers: 2,
    taskManagerUsdPerHour: 0.1,
    savedUsd: 0,
    ...over,
  };
}

describe('accrueCostLedger', () => {
  it('starts with nothing saved', () => {
    expect(
      accrueCostLedger(undefined, { nowMs: 5, currentTaskManagers: 3, specTaskManagers: 3, taskManagerUsdPerHour: 0.2 }),
    ).toEqual({
      sinceMs: 5,
      accruedToMs: 5,
      specTaskManagers: 3,
      currentTaskManagers: 3,
      taskManagerUsdPerHour: 0.2,
      savedUsd: 0,
    });
  });

  it('adds (spec − last TaskManagers) × last price × hours since the last cycle', () => {
    const next = accrueCostLedger(ledger(), {
      nowMs: HOUR_MS / 2,
      currentTaskManagers: 6,
      specTaskManagers: 99, // ignored once started
      taskManagerUsdPerHour: 0.5,
    });
    // The half hour ran at 2 TaskManagers of $0.10 against 4 in the spec: $0.10 saved.
    expect(next.savedUsd).toBeCloseTo(0.1, 12);
    expect(next).toMatchObject({ specTaskManagers: 4, currentTaskManagers: 6, taskManagerUsdPerHour: 0.5 });
    // The next hour ran at 6: 2 more than the spec at $0.50 → $1.00 added.
    const after = accrueCostLedger(next, {
      nowMs: HOUR_MS * 1.5,
      currentTaskManagers: 6,
      specTaskManagers: 4,
      taskManagerUsdPerHour: 0.5,
    });
    expect(after.savedUsd).toBeCloseTo(-0.9, 12);
    expect(after.sinceMs).toBe(0);
  });

  it('counts a long gap only up to the cap and never a step back in time', () => {
    const gap = accrueCostLedger(ledger(), {
      nowMs: 10 * HOUR_MS,
      currentTaskManagers: 2,
      specTaskManagers: 4,
      taskManagerUsdPerHour: 0.1,
    });
    expect(gap.savedUsd).toBeCloseTo((2 * 0.1 * MAX_ACCRUAL_GAP_MS) / HOUR_MS, 12);
    const back = accrueCostLedger(ledger({ accruedToMs: HOUR_MS }), {
      nowMs: 0,
      currentTaskManagers: 2,
      specTaskManagers: 4,
      taskManagerUsdPerHour: 0.1,
    });
    expect(back.savedUsd).toBe(0);
    expect(back.accruedToMs).toBe(HOUR_MS);
  });
});

describe('costLedgerAsOf', () => {
  it('accrues at its own rate: once over 15 minutes adds what 15 one-minute cycles add', () => {
    let perCycle = ledger();
    for (let minute = 1; minute <= 15; minute++) perCycle = costLedgerAsOf(perCycle, minute * 60_000);
    const once = costLedgerAsOf(ledger(), 15 * 60_000);
    expect(once.accruedToMs).toBe(15 * 60_000);
    expect(once.savedUsd).toBeCloseTo((2 * 0.1) / 4, 12);
    expect(once.savedUsd).toBeCloseTo(perCycle.savedUsd, 12);
    expect({ ...once, savedUsd: 0 }).toEqual({ ...perCycle, savedUsd: 0 });
  });

  it('leaves a ledger alone at or before its own time', () => {
    const at = ledger({ accruedToMs: HOUR_MS, savedUsd: 1 });
    expect(costLedgerAsOf(at, HOUR_MS)).toBe(at);
    expect(costLedgerAsOf(at, 0)).toBe(at);
  });
});

describe('nextCostLedger', () => {
  const topology: JobTopology = {
    jobId: 'j',
    jobRunningTsMs: 0,
    vertices: [
      { id: 'src', parallelism: 2, maxParallelism: 128, inputs: [], finished: false, numSourcePartitions: 0 },
      {
        id: 'map',
        parallelism: 3,
        maxParallelism: 128,
        inputs: [{ id: 'src', shipStrategy: 'HASH' }],
        finished: false,
        numSourcePartitions: 0,
      },
    ],
  };
  const summary = (current: number, next: number): ScalingSummary => ({
    tsMs: 1,
    currentParallelism: current,
    newParallelism: next,
    metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 1, targetDataRateAvg: 1 },
  });
  const options = { ...defaultOptions(), numberOfTaskSlots: 1, taskManagerCpu: 1, tmProcessSizeBytes: 1024 ** 3 };

  it('takes the spec from before the oldest remembered scaling, the current parallelism otherwise', () => {
    // map was scaled 6 -> 3 by the autoscaler: the spec runs 6 slots (one shared group), now 3.
    const first = nextCostLedger({ scalingHistory: { map: [summary(6, 3)] } }, topology, options, undefined, 0);
    expect(first).toMatchObject({ specTaskManagers: 6, currentTaskManagers: 3, savedUsd: 0 });
    expect(first.taskManagerUsdPerHour).toBeCloseTo(0.04048 + 0.004445, 12);
    const later = nextCostLedger({ costLedger: first, scalingHistory: {} }, topology, options, undefined, HOUR_MS);
    expect(later.savedUsd).toBeCloseTo(3 * (0.04048 + 0.004445), 12);
  });

  it('starts at zero difference for a job the autoscaler never changed', () => {
    expect(nextCostLedger({ scalingHistory: {} }, topology, options, { cpu: 2 }, 0)).toMatchObject({
      specTaskManagers: 3,
      currentTaskManagers: 3,
    });
  });
});
