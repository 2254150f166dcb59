import { describe, expect, it } from 'vitest';
import { durationMs, parseScenario, ScenarioError } from '../../../../sim/flink-simulator/index.ts';

const MINIMAL = {
  job: {
    vertices: [
      {
        id: 'src',
        parallelism: 1,
        costMsPerRecord: 1,
        source: { load: { type: 'constant', recordsPerSecond: 10 } },
      },
      { id: 'sink', parallelism: 1, costMsPerRecord: 1 },
    ],
    edges: [{ from: 'src', to: 'sink' }],
  },
};

function errorOf(input: unknown): ScenarioError {
  try {
    parseScenario(input);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected a ScenarioError');
}

describe('parseScenario', () => {
  it('applies defaults and derives ids and metric prefixes', () => {
    const scenario = parseScenario(MINIMAL);
    expect(scenario).toMatchObject({
      name: 'simulated-job',
      flinkVersion: '1.20.1',
      stepMs: 1000,
      jobMaxParallelism: 128,
    });
    expect(scenario.restart).toEqual({ downtimeMs: 30_000, mode: 'redeploy' });
    const [src, sink] = scenario.vertices;
    expect(src?.vertexId).toMatch(/^[0-9a-f]{32}$/);
    expect(src).toMatchObject({ taskName: 'Source: src', metricPrefix: 'Source__src' });
    expect(src?.source).toMatchObject({ type: 'kafka', topic: 'src', partitions: 1 });
    expect(sink?.inputs).toEqual([{ from: 'src', shipStrategy: 'HASH' }]);
  });

  it('reads YAML with duration strings and composed loads', () => {
    const scenario = parseScenario(`
name: yaml
stepMs: 250 ms
restart: { downtimeMs: 2 min }
job:
  vertices:
    - id: src
      parallelism: 1
      costMsPerRecord: 1
      source:
        load:
          - { type: constant, recordsPerSecond: 5 }
          - { type: spikes, spikes: [{ atMs: 1 h, durationMs: 5 min, recordsPerSecond: 50 }] }
`);
    expect(scenario.stepMs).toBe(250);
    expect(scenario.restart.downtimeMs).toBe(120_000);
    expect(scenario.vertices[0]?.source?.load[1]).toEqual({
      type: 'spikes',
      spikes: [{ atMs: 3_600_000, durationMs: 300_000, recordsPerSecond: 50 }],
    });
  });

  it.each([
    ['missing job', {}, 'job', /is required/],
    [
      'bad parallelism',
      { job: { vertices: [{ ...MINIMAL.job.vertices[0], parallelism: 0 }] } },
      'job.vertices[0].parallelism',
      /must be >= 1/,
    ],
    ['unknown field', { ...MINIMAL, colour: 'red' }, 'colour', /not a known field/],
    [
      'bad ship strategy',
      { job: { ...MINIMAL.job, edges: [{ from: 'src', to: 'sink', shipStrategy: 'hash-ish' }] } },
      'job.edges[0].shipStrategy',
      /must be one of/,
    ],
    [
      'bad load type',
      {
        job: {
          vertices: [{ id: 's', parallelism: 1, costMsPerRecord: 1, source: { load: { type: 'sine' } } }],
        },
      },
      'job.vertices[0].source.load.type',
      /must be one of/,
    ],
    [
      'edge to unknown vertex',
      { job: { ...MINIMAL.job, edges: [{ from: 'src', to: 'nowhere' }] } },
      'job.edges[0].to',
      /unknown vertex "nowhere"/,
    ],
    [
      'duplicate id',
      { job: { vertices: [MINIMAL.job.vertices[0], MINIMAL.job.vertices[0]] } },
      'job.vertices[1].id',
      /duplicates/,
    ],
    [
      'non-source without input',
      { job: { vertices: [MINIMAL.job.vertices[1]] } },
      'job.vertices[0].source',
      /is required/,
    ],
    [
      'source with input',
      {
        job: {
          vertices: [MINIMAL.job.vertices[0], { ...MINIMAL.job.vertices[0], id: 'b' }],
          edges: [{ from: 'src', to: 'b' }],
        },
      },
      'job.vertices[1].source',
      /not allowed/,
    ],
    [
      'parallelism above max',
      { job: { vertices: [{ ...MINIMAL.job.vertices[0], maxParallelism: 2, parallelism: 4 }] } },
      'job.vertices[0].parallelism',
      /exceeds maxParallelism 2/,
    ],
    ['bad duration', { ...MINIMAL, stepMs: 'soon' }, 'stepMs', /must/],
  ])('%s', (_name, input, field, message) => {
    const error = errorOf(input);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it('rejects a cycle', () => {
    const error = errorOf({
      job: {
        vertices: [
          MINIMAL.job.vertices[0],
          { id: 'a', parallelism: 1, costMsPerRecord: 1 },
          { id: 'b', parallelism: 1, costMsPerRecord: 1 },
        ],
        edges: [
          { from: 'src', to: 'a' },
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
      },
    });
    expect(error.field).toBe('job.edges');
  });

  it('rejects text that is neither JSON nor YAML', () => {
    expect(errorOf('job: [unclosed').message).toMatch(/neither JSON nor YAML/);
  });

  it('durationMs converts units', () => {
    expect([durationMs(5), durationMs('1.5 s'), durationMs('2 min'), durationMs('1 d')]).toEqual([
      5, 1500, 120_000, 86_400_000,
    ]);
  });
});
