import type { JobTopology, VertexId } from '../domain/index.ts';

const PARALLELISM_INDEX = new WeakMap<JobTopology, Map<VertexId, number>>();

/**
 * Current parallelism of a vertex as the topology reports it, 0 for an unknown id (indexed once
 * per topology: decisions must stay fast at 1,000 vertices).
 */
export function currentParallelismOf(topology: JobTopology, id: VertexId): number {
  let index = PARALLELISM_INDEX.get(topology);
  if (!index) {
    index = new Map(topology.vertices.map((v) => [v.id, v.parallelism]));
    PARALLELISM_INDEX.set(topology, index);
  }
  return index.get(id) ?? 0;
}
