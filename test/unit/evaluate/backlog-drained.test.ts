import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import type { EvaluatedMetrics, JobTopology } from '../../../lib/domain/index.ts';
import { isBacklogDrained } from '../../../lib/evaluate/backlog-drained.ts';

const topology = {
  vertices: [
    { id: 'a', parallelism: 1, maxParallelism: 8, numSourcePartitions: 4, inputs: [], finished: false },
    { id: 'b', parallelism: 1, maxParallelism: 8, numSourcePartitions: 4, inputs: [], finished: false },
    {
      id: 'w',
      parallelism: 2,
      maxParallelism: 8,
      numSourcePartitions: 0,
      inputs: [{ id: 'a', shipStrategy: 'HASH' }],
      finished: false,
    },
  ],
} as unknown as JobTopology;

function evaluated(lagA: number, lagB: number, tdrB = 100, processingBacklog = false): EvaluatedMetrics {
  const source = (lag: number, tdr: number) => ({
    LAG: { current: lag, average: Number.NaN },
    TARGET_DATA_RATE: { current: Number.NaN, average: tdr },
  });
  return { vertices: { a: source(lagA, 1000), b: source(lagB, tdrB), w: {} }, global: {}, processingBacklog };
}

const options = resolveOptions({}).options; // catch-up.settle.lag-threshold 30 s

describe('isBacklogDrained', () => {
  it.each([
    // a: 30 000 ≤ 30 s × 1000 rec/s; b: 3000 ≤ 30 s × 100 rec/s → drained (at the threshold)
    { lagA: 30_000, lagB: 3000, drained: true },
    // b: 3001 > 3000 → not drained: every source must be drained
    { lagA: 0, lagB: 3001, drained: false },
    // an unknown target rate never counts as drained
    { lagA: 0, lagB: 0, tdrB: Number.NaN, drained: false },
    // the processing-backlog flag wins
    { lagA: 0, lagB: 0, backlog: true, drained: false },
  ])('lag a=$lagA b=$lagB → $drained', ({ lagA, lagB, tdrB, backlog, drained }) => {
    expect(isBacklogDrained(evaluated(lagA, lagB, tdrB, backlog), topology, options)).toBe(drained);
  });
});
