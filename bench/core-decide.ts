/**
 * Core benchmark: median time of one `decide()` call for 10-, 100- and 1,000-vertex DAGs with a
 * full 15-minute metric window (docs/design.md §8 budget: ≤ 1 ms at 10 vertices, ≤ 20 ms at 1,000).
 */
import { resolveOptions } from '../lib/config/index.ts';
import { emptyJobState, type MetricSample } from '../lib/domain/index.ts';
import { type DecideInput, decide } from '../lib/decide/decide.ts';
import { syntheticRawMetrics, syntheticTopology } from '../test/builders/synthetic-job.ts';
import { type BenchTable, median } from './bench-table.ts';

const MINUTE_MS = 60_000;

/** Fills a full window by running decide() once a minute, then returns the next cycle's input. */
export function fullWindowInput(vertexCount: number): DecideInput {
  const { options } = resolveOptions({
    'job.autoscaler.stabilization.interval': '0 s',
    'job.autoscaler.metrics.window': '15 min',
  });
  const spec = { vertexCount, sourceRatePerSecond: 1000, subtaskCapacityPerSecond: 500, parallelism: 4 };
  const topology = syntheticTopology(spec, 0);
  let samples: MetricSample[] = [];
  let state = emptyJobState();
  for (let minute = 1; minute <= 16; minute++) {
    const nowMs = minute * MINUTE_MS;
    const output = decide({
      options,
      raw: syntheticRawMetrics(spec, topology, nowMs),
      samples,
      state,
      nowMs,
    });
    samples = output.samples;
    state = output.state;
  }
  const nowMs = 17 * MINUTE_MS;
  return { options, raw: syntheticRawMetrics(spec, topology, nowMs), samples, state, nowMs };
}

export function benchCoreDecide(sizes: readonly number[] = [10, 100, 1000]): BenchTable {
  const budgetsMs: Record<number, number> = { 10: 1, 1000: 20 };
  const rows = sizes.map((vertexCount) => {
    const input = fullWindowInput(vertexCount);
    const iterations = vertexCount >= 1000 ? 30 : 200;
    for (let i = 0; i < Math.min(10, iterations); i++) decide(input); // warm-up (JIT)
    const timesMs: number[] = [];
    let action = '';
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      action = decide(input).decision.action;
      timesMs.push(performance.now() - start);
    }
    const budget = budgetsMs[vertexCount];
    const med = median(timesMs);
    return [
      String(vertexCount),
      String(input.samples.length),
      med.toFixed(3),
      Math.max(...timesMs).toFixed(3),
      budget === undefined ? '–' : `≤ ${budget}`,
      budget === undefined ? '–' : med <= budget ? 'yes' : 'NO',
      action,
    ];
  });
  return {
    title: 'Core decision time (decide(), full 15-min window, 1-min samples)',
    headers: ['vertices', 'window samples', 'median ms', 'max ms', 'budget ms', 'within budget', 'decision'],
    rows,
  };
}
