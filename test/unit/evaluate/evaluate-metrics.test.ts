import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AutoscalerOptions, defaultOptions } from '../../../lib/config/index.ts';
import type { MetricSample } from '../../../lib/domain/index.ts';
import {
  computeEdgeDataRate,
  computeOutputRatio,
  evaluateMetrics,
  isProcessingBacklog,
} from '../../../lib/evaluate/evaluate-metrics.ts';
import { EvaluationInputError, MissingIngestionRateError } from '../../../lib/evaluate/evaluation-error.ts';
import { topologicalOrder } from '../../../lib/domain/topology-graph.ts';
import { aSample, aTopology, aVertex } from '../../builders/sample-builders.ts';

/**
 * s1 ─┐
 *     ├─> join ──> sink      two samples 10 s apart
 * s2 ─┘
 * s1:   in 0→1000 (100/s), out 0→2000 (200/s), lag 0→0, LOAD 0.5
 * s2:   in 0→500 (50/s), out 0→500 (50/s), lag 100→200 (10/s), LOAD 0.25
 * join: in 0→2500 (250/s), out 0→1250 (125/s), in/s gauge 240, 260 (avg 250), LOAD 0.4, 0.6
 * sink: in 0→1250 (125/s), LOAD 0.25, no gauge
 */
const topology = aTopology([
  aVertex('s1', [], { parallelism: 2, maxParallelism: 720, numSourcePartitions: 4 }),
  aVertex('s2'),
  aVertex('join', ['s1', 's2'], { parallelism: 3 }),
  aVertex('sink', ['join']),
]);
const samples: MetricSample[] = [
  aSample(0, {
    s1: { NUM_RECORDS_IN: 0, NUM_RECORDS_OUT: 0, LAG: 0, LOAD: 0.5 },
    s2: { NUM_RECORDS_IN: 0, NUM_RECORDS_OUT: 0, LAG: 100, LOAD: 0.25 },
    join: { NUM_RECORDS_IN: 0, NUM_RECORDS_OUT: 0, NUM_RECORDS_IN_PER_SECOND: 240, LOAD: 0.4 },
    sink: { NUM_RECORDS_IN: 0, LOAD: 0.25 },
  }),
  aSample(10_000, {
    s1: { NUM_RECORDS_IN: 1000, NUM_RECORDS_OUT: 2000, LAG: 0, LOAD: 0.5 },
    s2: { NUM_RECORDS_IN: 500, NUM_RECORDS_OUT: 500, LAG: 200, LOAD: 0.25 },
    join: { NUM_RECORDS_IN: 2500, NUM_RECORDS_OUT: 1250, NUM_RECORDS_IN_PER_SECOND: 260, LOAD: 0.6 },
    sink: { NUM_RECORDS_IN: 1250, LOAD: 0.25 },
  }),
];
/** catch-up 100 s, defaults otherwise (target 0.7 ± 0.3 → utilization band [0.4, 1.0]). */
const options: AutoscalerOptions = { ...defaultOptions(), catchUpDurationMs: 100_000 };
const NaN_ = Number.NaN;

describe('evaluateMetrics on a two-input join', () => {
  const evaluated = evaluateMetrics({ samples, topology, options, restartTimeMs: 60_000 });

  it.each([
    // TDR: s1 = 100 + 0; s2 = 50 + 10; join = 100·2 + 60·1 (ratios: s1 (250−50)/100, s2 (250−200)/50)
    //      sink = 260 · (125/250)
    // CATCH_UP: lag/100 s: s1 0, s2 2; join 0·2 + 2·1 = 2; sink 2·0.5 = 1
    { vertex: 's1', tdr: 100, catchUp: 0 },
    { vertex: 's2', tdr: 60, catchUp: 2 },
    { vertex: 'join', tdr: 260, catchUp: 2 },
    { vertex: 'sink', tdr: 130, catchUp: 1 },
  ])('$vertex: TARGET_DATA_RATE $tdr, CATCH_UP_DATA_RATE $catchUp', ({ vertex, tdr, catchUp }) => {
    expect(evaluated.vertices[vertex]?.TARGET_DATA_RATE).toEqual({ current: NaN_, average: tdr });
    expect(evaluated.vertices[vertex]?.CATCH_UP_DATA_RATE).toEqual({ current: catchUp, average: NaN_ });
  });

  it.each([
    // TPR = input rate / avg LOAD; sources and sink use the counter rate, join the in/s gauge
    { vertex: 's1', load: 0.5, tpr: 200 }, // 100 / 0.5
    { vertex: 's2', load: 0.25, tpr: 200 }, // 50 / 0.25
    { vertex: 'join', load: 0.5, tpr: 500 }, // avg(240, 260) / avg(0.4, 0.6)
    { vertex: 'sink', load: 0.25, tpr: 500 }, // 125 / 0.25
  ])('$vertex: LOAD $load, TRUE_PROCESSING_RATE $tpr', ({ vertex, load, tpr }) => {
    expect(evaluated.vertices[vertex]?.LOAD?.average).toBeCloseTo(load, 9);
    expect(evaluated.vertices[vertex]?.TRUE_PROCESSING_RATE?.average).toBeCloseTo(tpr, 9);
  });

  it.each([
    // up = round(catchUp + TDR/1.0); down = round(catchUp + TDR·60/100 + TDR/0.4) (restart 60 s, catch-up 100 s)
    { vertex: 's1', up: 100, down: 310 }, // 0 + 60 + 250
    { vertex: 's2', up: 62, down: 188 }, // 2 + 36 + 150
    { vertex: 'join', up: 262, down: 808 }, // 2 + 156 + 650
    { vertex: 'sink', up: 131, down: 404 }, // 1 + 78 + 325
  ])('$vertex: thresholds ($up, $down)', ({ vertex, up, down }) => {
    expect(evaluated.vertices[vertex]?.SCALE_UP_RATE_THRESHOLD?.current).toBe(up);
    expect(evaluated.vertices[vertex]?.SCALE_DOWN_RATE_THRESHOLD?.current).toBe(down);
  });

  it('reports structural metrics, LAG for sources only, and no backlog', () => {
    expect(evaluated.vertices.s1).toMatchObject({
      PARALLELISM: { current: 2 },
      RECOMMENDED_PARALLELISM: { current: 2 },
      MAX_PARALLELISM: { current: 720 },
      NUM_SOURCE_PARTITIONS: { current: 4 },
      LAG: { current: 0 },
    });
    expect(evaluated.vertices.s2?.LAG?.current).toBe(200);
    expect(evaluated.vertices.join).not.toHaveProperty('LAG');
    expect(evaluated.processingBacklog).toBe(false); // s2: 200 / 50 = 4 s ≤ 300 s
  });

  it('always reports every global metric (NaN when unknown)', () => {
    expect(Object.keys(evaluated.global).sort()).toEqual([
      'GC_PRESSURE',
      'HEAP_MAX_USAGE_RATIO',
      'HEAP_MEMORY_USED',
      'MANAGED_MEMORY_USED',
      'METASPACE_MEMORY_USED',
      'NUM_TASK_SLOTS_USED',
    ]);
    expect(evaluated.global.NUM_TASK_SLOTS_USED?.current).toBeNaN();
  });

  it('is the same whatever the vertex order of the topology', () => {
    const shuffled = aTopology([...topology.vertices].reverse());
    expect(evaluateMetrics({ samples, topology: shuffled, options, restartTimeMs: 60_000 })).toEqual(
      evaluated,
    );
  });
});

describe('backlog', () => {
  it('widens the band to (capacity at 100 %, +∞) while catching up', () => {
    // Prepare: s2 lag 20 000 / 50 per s = 400 s > 300 s
    const backlog = samples.map((sample, index) =>
      aSample(sample.tsMs, {
        ...sample.vertices,
        s2: { ...sample.vertices.s2, LAG: index === 0 ? 19_900 : 20_000 },
      }),
    );
    // Act
    const evaluated = evaluateMetrics({ samples: backlog, topology, options, restartTimeMs: 0 });
    // Assess: s1 up = round(0 + 100/1)
    expect(isProcessingBacklog(backlog, topology, options)).toBe(true);
    expect(evaluated.processingBacklog).toBe(true);
    expect(evaluated.vertices.s1?.SCALE_UP_RATE_THRESHOLD?.current).toBe(100);
    expect(evaluated.vertices.s1?.SCALE_DOWN_RATE_THRESHOLD?.current).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('computeOutputRatio: the three edge-rate cases', () => {
  const twoOutputs = aTopology([
    aVertex('a'),
    aVertex('b'),
    aVertex('x', ['a', 'b']),
    aVertex('y', ['a', 'b']),
  ]);
  it.each([
    // case 1: single input → rate(IN, join→sink) = 125, / rate(IN, join) 250
    { name: 'single input', topo: topology, from: 'join', to: 'sink', edge: 125, ratio: 0.5 },
    // case 2: other inputs have one output → 250 − rate(OUT, s2) 50 = 200, / 100
    { name: 'other inputs single-output', topo: topology, from: 's1', to: 'join', edge: 200, ratio: 2 },
    // case 3: other input has two outputs → rate(OUT, a) = 200, / rate(IN, a) 100
    { name: 'fallback to NUM_RECORDS_OUT', topo: twoOutputs, from: 'a', to: 'x', edge: 200, ratio: 2 },
  ])('$name', ({ topo, from, to, edge, ratio }) => {
    const history = [
      aSample(0, { ...samples[0]!.vertices, a: { NUM_RECORDS_IN: 0, NUM_RECORDS_OUT: 0 } }),
      aSample(10_000, { ...samples[1]!.vertices, a: { NUM_RECORDS_IN: 1000, NUM_RECORDS_OUT: 2000 } }),
    ];
    expect(computeEdgeDataRate(history, topo, from, to)).toBe(edge);
    expect(computeOutputRatio(history, topo, from, to)).toBe(ratio);
  });

  it.each<{ name: string; from: Record<string, number[]>; to: Record<string, number[]> }>([
    { name: 'upstream receives nothing', from: { NUM_RECORDS_IN: [5, 5] }, to: { NUM_RECORDS_IN: [0, 10] } },
    { name: 'upstream rate unknown', from: {}, to: { NUM_RECORDS_IN: [0, 10] } },
    { name: 'edge rate unknown', from: { NUM_RECORDS_IN: [0, 10] }, to: {} },
  ])('is 0 when $name', ({ from, to }) => {
    const pick = (m: Record<string, number[]>, i: number) =>
      Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v[i] as number]));
    const history = [0, 1].map((i) => aSample(i * 1000, { u: pick(from, i), v: pick(to, i) }));
    const topo = aTopology([aVertex('u'), aVertex('v', ['u'])]);
    expect(computeOutputRatio(history, topo, 'u', 'v')).toBe(0);
  });
});

describe('errors', () => {
  it('names the source without an ingestion rate', () => {
    // Prepare: s1 has NUM_RECORDS_IN only in the last sample → rate NaN
    const broken = [aSample(0, { ...samples[0]!.vertices, s1: { LAG: 0 } }), samples[1]!];
    // Act
    const act = () => evaluateMetrics({ samples: broken, topology, options, restartTimeMs: 0 });
    // Assess
    expect(act).toThrow(MissingIngestionRateError);
    expect(act).toThrow(/Cannot evaluate metrics without ingestion rate information.*s1/);
  });

  it.each([{ count: 0 }, { count: 1 }])('rejects $count sample(s)', ({ count }) => {
    const act = () =>
      evaluateMetrics({ samples: samples.slice(0, count), topology, options, restartTimeMs: 0 });
    expect(act).toThrow(EvaluationInputError);
    expect(act).toThrow(/samples.*at least 2/);
  });

  it('rejects unknown inputs and cycles', () => {
    expect(() => topologicalOrder(aTopology([aVertex('a', ['ghost'])]))).toThrow(/ghost/);
    expect(() => topologicalOrder(aTopology([aVertex('a', ['b']), aVertex('b', ['a'])]))).toThrow(/acyclic/);
  });
});

describe('properties', () => {
  it('evaluation is deterministic and does not mutate its input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dIn: fc.nat(10_000),
            lag: fc.nat(10_000),
            load: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          {
            minLength: 2,
            maxLength: 10,
          },
        ),
        (steps) => {
          let total = 0;
          const history = steps.map((step, index) => {
            total += step.dIn;
            return aSample(index * 1000, {
              s1: { NUM_RECORDS_IN: total, NUM_RECORDS_OUT: total, LAG: step.lag, LOAD: step.load },
              s2: { NUM_RECORDS_IN: total, NUM_RECORDS_OUT: total, LAG: 0, LOAD: step.load },
              join: { NUM_RECORDS_IN: 2 * total, NUM_RECORDS_OUT: total, LOAD: step.load },
              sink: { NUM_RECORDS_IN: total, LOAD: step.load },
            });
          });
          const frozen = structuredClone(history);
          const first = evaluateMetrics({ samples: history, topology, options, restartTimeMs: 30_000 });
          const second = evaluateMetrics({ samples: history, topology, options, restartTimeMs: 30_000 });
          expect(second).toEqual(first);
          expect(history).toEqual(frozen);
          for (const vertex of topology.vertices) {
            expect(first.vertices[vertex.id]?.TARGET_DATA_RATE?.average).toBeGreaterThanOrEqual(0);
          }
          // The window is ordered by timestamp, not by array position: reversing the array changes nothing.
          const reversed = evaluateMetrics({
            samples: [...history].reverse(),
            topology,
            options,
            restartTimeMs: 30_000,
          });
          expect(reversed).toEqual(first);
        },
      ),
    );
  });
});
