import { describe, expect, it } from 'vitest';
import type { DecideInput } from '../../../lib/decide/decide.ts';
import { decide } from '../../../lib/decide/decide.ts';
import { decideInput, MAP, SINK, SOURCE } from './decide-fixtures.ts';

/** The fixture job with one vertex marked FINISHED in this cycle's topology. */
function withFinished(input: DecideInput, id: string): DecideInput {
  const topology = {
    ...input.raw.topology,
    vertices: input.raw.topology.vertices.map((v) => (v.id === id ? { ...v, finished: true } : v)),
  };
  return { ...input, raw: { ...input.raw, topology } };
}

/** The fixture job whose vertex reports no busy time in this cycle. */
function withoutBusyTime(input: DecideInput, id: string): DecideInput {
  const { busyTimeMsPerSecond: _dropped, ...rest } = input.raw.vertices[id] ?? {};
  return { ...input, raw: { ...input.raw, vertices: { ...input.raw.vertices, [id]: rest } } };
}

describe('vertex exclusion (docs/algorithm.md §1.1 vertex.exclude.ids, §2.4)', () => {
  it.each([
    {
      name: 'configured id',
      input: () => decideInput({ configuration: { 'job.autoscaler.vertex.exclude.ids': SOURCE } }),
      id: SOURCE,
      reason: 'excluded',
      why: /vertex\.exclude\.ids/,
    },
    {
      name: 'FINISHED vertex',
      input: () => withFinished(decideInput(), SINK),
      id: SINK,
      reason: 'finished',
      why: /FINISHED/,
    },
    {
      name: 'no busy-time metric',
      input: () => withoutBusyTime(decideInput(), MAP),
      id: MAP,
      reason: 'no-metrics',
      why: /no busy-time metric/,
    },
  ])('$name keeps its parallelism and says why', ({ input, id, reason, why }) => {
    const { decision } = decide(input());
    const vertex = decision.vertices.find((v) => v.vertexId === id);
    expect(vertex).toMatchObject({
      changed: false,
      currentParallelism: 2,
      recommendedParallelism: 2,
      reasons: [reason],
    });
    expect(vertex?.why).toMatch(why);
    // Overrides, when scaling, still name every evaluated vertex: an excluded one keeps its current value.
    if (decision.action === 'scale') expect(decision.parallelismOverrides[id]).toBe(2);
  });

  it('excluding the only vertex outside its band leaves the job balanced', () => {
    // Only the source is outside its band in the fixture; the map's change alone is in-band.
    const { decision } = decide(
      decideInput({
        busyMsPerSecond: [950, 300, 280],
        configuration: { 'job.autoscaler.vertex.exclude.ids': SOURCE },
      }),
    );
    expect(decision.action).toBe('balanced');
    expect(decision.vertices.every((v) => !v.changed)).toBe(true);
  });
});
