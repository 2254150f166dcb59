import { describe, expect, it } from 'vitest';
import type { JobTopology, ShipStrategy } from '../../../lib/domain/index.ts';
import { networkMemoryRequirement, networkSegmentsPerGate } from '../../../lib/tune/network-memory.ts';
import { InvalidTuningInputError } from '../../../lib/tune/tuning-errors.ts';

describe('networkSegmentsPerGate (docs/algorithm.md §7.2)', () => {
  it.each<{ pSelf: number; pOther: number; ship: ShipStrategy; expected: number }>([
    // all-to-all: 15 channels × 2 + 8 floating = 38
    { pSelf: 10, pOther: 15, ship: 'REBALANCE', expected: 38 },
    { pSelf: 10, pOther: 15, ship: 'HASH', expected: 38 },
    { pSelf: 10, pOther: 15, ship: 'UNKNOWN', expected: 38 },
    // pointwise: ceil(15/10) = 2 channels × 2 + 8 = 12
    { pSelf: 10, pOther: 15, ship: 'FORWARD', expected: 12 },
    { pSelf: 10, pOther: 15, ship: 'RESCALE', expected: 12 },
    // forward at equal parallelism: one channel, 2 + 8 = 10
    { pSelf: 10, pOther: 10, ship: 'FORWARD', expected: 10 },
    // rescale at equal parallelism is still pointwise: ceil(1) × 2 + 8 = 10
    { pSelf: 10, pOther: 10, ship: 'RESCALE', expected: 10 },
  ])('$ship $pSelf<-$pOther = $expected', ({ pSelf, pOther, ship, expected }) => {
    expect(networkSegmentsPerGate(pSelf, pOther, ship, 2, 8)).toBe(expected);
  });

  it('rejects a parallelism below 1', () => {
    expect(() => networkSegmentsPerGate(0, 1, 'HASH', 2, 8)).toThrow(InvalidTuningInputError);
  });
});

const chain: JobTopology = {
  jobId: 'j',
  jobRunningTsMs: 0,
  vertices: [
    { id: 'src', parallelism: 50, maxParallelism: 128, inputs: [], finished: false, numSourcePartitions: 0 },
    {
      id: 'map',
      parallelism: 50,
      maxParallelism: 128,
      inputs: [{ id: 'src', shipStrategy: 'REBALANCE' }],
      finished: false,
      numSourcePartitions: 0,
    },
    {
      id: 'sink',
      parallelism: 50,
      maxParallelism: 128,
      inputs: [{ id: 'map', shipStrategy: 'FORWARD' }],
      finished: false,
      numSourcePartitions: 0,
    },
  ],
};

describe('networkMemoryRequirement', () => {
  it('sums both ends of every edge at the new parallelism, × segment × slots', () => {
    // src 25, map 10, sink keeps 50:
    // src→map REBALANCE: map gate 25·2+8 = 58, src partition 10·2+8 = 28
    // map→sink FORWARD (10 vs 50): sink gate ceil(10/50)·2+8 = 10, map partition ceil(50/10)·2+8 = 18
    // 58 + 28 + 10 + 18 = 114 segments × 32 KiB × 4 slots = 14 942 208 bytes
    const result = networkMemoryRequirement(
      chain,
      { src: 25, map: 10 },
      {
        buffersPerChannel: 2,
        floatingBuffersPerGate: 8,
        segmentSizeBytes: 32 * 1024,
        slotsPerTaskManager: 4,
      },
    );
    expect(result).toEqual({ segments: 114, bytes: 114 * 32 * 1024 * 4 });
  });

  it('needs no network memory for a single vertex', () => {
    const single: JobTopology = { ...chain, vertices: [chain.vertices[0]!] };
    const settings = {
      buffersPerChannel: 2,
      floatingBuffersPerGate: 8,
      segmentSizeBytes: 32768,
      slotsPerTaskManager: 1,
    };
    expect(networkMemoryRequirement(single, {}, settings).bytes).toBe(0);
  });
});
