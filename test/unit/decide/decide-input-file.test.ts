import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../lib/config/index.ts';
import { decide } from '../../../lib/decide/decide.ts';
import { DecideInputFileError, parseDecideInputFile } from '../../../lib/decide/decide-input-file.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test edits of free-form JSON
type Json = any;

const example = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../examples/decide-input.json'), 'utf8'),
) as Record<string, unknown>;

/** A deep copy of the example with one change applied. */
function variant(change: (json: Json) => void): unknown {
  const json = structuredClone(example);
  change(json);
  return json;
}

describe('parseDecideInputFile', () => {
  it('reads examples/decide-input.json, on which decide() scales the lagging source', () => {
    const input = parseDecideInputFile(example);
    expect(input.samples).toHaveLength(15);
    expect(input.options.excludedPeriodsTimeZone).toBe('Europe/Berlin');
    expect(input.nowMs).toBe(Date.parse('2026-03-02T09:15:00Z'));
    const { decision } = decide(input);
    expect(decision.action).toBe('scale');
    expect(decision.vertices.find((v) => v.changed)?.vertexId).toBe('cbc357ccb763df2852fee8c4fc7d55f2');
  });

  it('accepts non-finite metric values as strings and defaults the state', () => {
    const input = parseDecideInputFile(
      variant((json) => {
        json.samples[0].vertices.cbc357ccb763df2852fee8c4fc7d55f2.OBSERVED_TPR = 'Infinity';
        delete json.state;
      }),
    );
    expect(input.samples[0]?.vertices.cbc357ccb763df2852fee8c4fc7d55f2?.OBSERVED_TPR).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(input.state.scalingTracking).toEqual([]);
  });

  it.each([
    { name: 'root not an object', change: null, field: '(root)' },
    { name: 'missing raw', change: (j: Json) => delete j.raw, field: 'raw' },
    {
      name: 'parallelism 0',
      change: (j: Json) => (j.raw.topology.vertices[1].parallelism = 0),
      field: 'raw.topology.vertices[1].parallelism',
    },
    {
      name: 'unknown input vertex',
      change: (j: Json) => (j.raw.topology.vertices[1].inputs[0].id = 'nope'),
      field: 'raw.topology.vertices[1].inputs[0].id',
    },
    {
      name: 'metric as text',
      change: (j: Json) => (j.samples[2].vertices.cbc357ccb763df2852fee8c4fc7d55f2.LAG = 'lots'),
      field: 'samples[2].vertices.cbc357ccb763df2852fee8c4fc7d55f2.LAG',
    },
    { name: 'bad instant', change: (j: Json) => (j.nowMs = 'yesterday'), field: 'nowMs' },
    {
      name: 'unknown aggregate',
      change: (j: Json) => (j.raw.vertices.cbc357ccb763df2852fee8c4fc7d55f2.busyTimeMsPerSecond.p99 = 1),
      field: 'raw.vertices.cbc357ccb763df2852fee8c4fc7d55f2.busyTimeMsPerSecond.p99',
    },
    { name: 'negative TM cpu', change: (j: Json) => (j.taskManager.cpu = -1), field: 'taskManager.cpu' },
    {
      name: 'old state schema',
      change: (j: Json) => (j.state.schemaVersion = 0),
      field: 'state.schemaVersion',
    },
  ])('rejects $name naming $field', ({ change, field }) => {
    const json = change === null ? 42 : variant(change);
    try {
      parseDecideInputFile(json);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DecideInputFileError);
      expect((error as DecideInputFileError).field).toBe(field);
      expect((error as Error).message).toContain(field);
    }
  });

  it('reads the one-time check marks of scaling history entries', () => {
    const entry = {
      tsMs: '2026-03-02T08:40:00Z',
      currentParallelism: 1,
      newParallelism: 2,
      metrics: { trueProcessingRateAvg: 100, expectedProcessingRate: 200, targetDataRateAvg: 150 },
      catchUpCapacity: 40,
      shortfallCheckDue: true,
    };
    const input = parseDecideInputFile(
      variant((j) => (j.state.scalingHistory = { cbc357ccb763df2852fee8c4fc7d55f2: [entry] })),
    );
    expect(input.state.scalingHistory['cbc357ccb763df2852fee8c4fc7d55f2']?.[0]).toMatchObject({
      catchUpCapacity: 40,
      shortfallCheckDue: true,
    });
    const bad = variant(
      (j) =>
        (j.state.scalingHistory = { cbc357ccb763df2852fee8c4fc7d55f2: [{ ...entry, shortfallCheckDue: 'yes' }] }),
    );
    expect(() => parseDecideInputFile(bad)).toThrow(/shortfallCheckDue/);
  });

  it('rejects a bad option value with the option error', () => {
    const json = variant((j) => {
      j.flinkConfiguration['job.autoscaler.excluded.periods'] = '25:00:00-26:00:00';
    });
    expect(() => parseDecideInputFile(json)).toThrow(InvalidOptionError);
  });
});
