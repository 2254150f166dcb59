/**
 * How many records a vertex sends along one edge per record it receives (docs/algorithm.md §3.2), used to
 * propagate target data rates down the DAG.
 */
import type { JobTopology, MetricSample, VertexId } from '../domain/index.ts';
import { counterRate } from '../domain/sample-series.ts';
import { EvaluationInputError } from './evaluation-error.ts';
import { indexTopology, type TopologyIndex } from '../domain/topology-graph.ts';

/**
 * Records/s flowing along the edge `from → to` (docs/algorithm.md §3.2), from the most reliable counters
 * available:
 * 1. `to` has a single input: everything it receives comes from `from`, so its NUM_RECORDS_IN rate;
 * 2. every other input of `to` has `to` as its only output: `to`'s input rate minus what those
 *    other inputs emit;
 * 3. otherwise `from`'s NUM_RECORDS_OUT rate (least reliable: it includes records sent elsewhere).
 */
export function computeEdgeDataRate(
  samples: readonly MetricSample[],
  topology: JobTopology,
  fromVertexId: VertexId,
  toVertexId: VertexId,
  index: TopologyIndex = indexTopology(topology),
): number {
  const toVertex = index.vertices.get(toVertexId);
  if (toVertex === undefined) {
    throw new EvaluationInputError('toVertexId', toVertexId, 'the id of a vertex in the topology');
  }
  const inputIds = [...new Set(toVertex.inputs.map((input) => input.id))];
  if (inputIds.length === 1) return counterRate(samples, toVertexId, 'NUM_RECORDS_IN');

  const outputs = index.outputs;
  const others = inputIds.filter((id) => id !== fromVertexId);
  if (others.every((id) => outputs.get(id)?.length === 1)) {
    const othersOut = others.reduce((sum, id) => sum + counterRate(samples, id, 'NUM_RECORDS_OUT'), 0);
    return counterRate(samples, toVertexId, 'NUM_RECORDS_IN') - othersOut;
  }
  return counterRate(samples, fromVertexId, 'NUM_RECORDS_OUT');
}

/**
 * Output ratio of the edge `from → to` (docs/algorithm.md §3.2): edge rate ÷ `from`'s input rate; 0 when
 * `from` receives nothing or the edge rate is not positive (NaN counts as not positive).
 */
export function computeOutputRatio(
  samples: readonly MetricSample[],
  topology: JobTopology,
  fromVertexId: VertexId,
  toVertexId: VertexId,
  index: TopologyIndex = indexTopology(topology),
): number {
  const inputRate = counterRate(samples, fromVertexId, 'NUM_RECORDS_IN');
  if (!(inputRate > 0)) return 0;
  const edgeRate = computeEdgeDataRate(samples, topology, fromVertexId, toVertexId, index);
  return edgeRate > 0 ? edgeRate / inputRate : 0;
}
