/**
 * Network (shuffle) memory a TaskManager needs for a topology at a given parallelism (docs/algorithm.md §7.2,
 * Flink docs "Network buffer lifecycle"): every input gate and every result partition of every
 * subtask gets `buffersPerChannel` exclusive buffers per channel plus `floatingBuffersPerGate`.
 */
import type { JobTopology, ShipStrategy, VertexId } from '../domain/index.ts';
import { InvalidTuningInputError } from './tuning-errors.ts';

/** Flink's network buffer settings (`taskmanager.network.memory.*`, `taskmanager.memory.segment-size`). */
export interface NetworkBufferSettings {
  readonly buffersPerChannel: number;
  readonly floatingBuffersPerGate: number;
  readonly segmentSizeBytes: number;
  /** `taskmanager.numberOfTaskSlots`. */
  readonly slotsPerTaskManager: number;
}

function requirePositiveInteger(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidTuningInputError(field, value, 'a whole number ≥ 1');
  }
}

/**
 * Buffers (memory segments) of one gate of a subtask of parallelism `pSelf` connected to a
 * vertex of parallelism `pOther` (Java `calculateNetworkSegmentNumber`):
 *
 *     FORWARD, pSelf == pOther → buffersPerChannel + floating            (one channel)
 *     FORWARD or RESCALE       → ceil(pOther / pSelf) × buffersPerChannel + floating (pointwise)
 *     otherwise (all-to-all)   → pOther × buffersPerChannel + floating
 */
export function networkSegmentsPerGate(
  pSelf: number,
  pOther: number,
  shipStrategy: ShipStrategy,
  buffersPerChannel: number,
  floatingBuffersPerGate: number,
): number {
  requirePositiveInteger('pSelf', pSelf);
  requirePositiveInteger('pOther', pOther);
  if (shipStrategy === 'FORWARD' && pSelf === pOther) return buffersPerChannel + floatingBuffersPerGate;
  if (shipStrategy === 'FORWARD' || shipStrategy === 'RESCALE') {
    return Math.ceil(pOther / pSelf) * buffersPerChannel + floatingBuffersPerGate;
  }
  return pOther * buffersPerChannel + floatingBuffersPerGate;
}

/** Per-edge detail of {@link networkMemoryRequirement}, for the plan's explanation. */
export interface NetworkMemoryRequirement {
  /** Segments over all gates of one subtask of every vertex. */
  readonly segments: number;
  /** segments × segment size × slots per TaskManager. */
  readonly bytes: number;
}

/**
 * Network memory of one TaskManager at the new parallelism (docs/algorithm.md §7.2): the segments of every
 * input gate and output partition of every vertex, times the segment size, times the slots per
 * TaskManager, because with slot sharing every slot may host one subtask of every vertex (an
 * over-estimate without slot sharing, which is cheaper than "Insufficient number of network
 * buffers" at start-up).
 *
 * @param parallelism new parallelism per vertex; a vertex not listed keeps its current one.
 */
export function networkMemoryRequirement(
  topology: JobTopology,
  parallelism: Readonly<Record<VertexId, number>>,
  settings: NetworkBufferSettings,
): NetworkMemoryRequirement {
  requirePositiveInteger('slotsPerTaskManager', settings.slotsPerTaskManager);
  const byId = new Map(topology.vertices.map((v) => [v.id, v]));
  const p = (id: VertexId): number => {
    const value = parallelism[id] ?? byId.get(id)?.parallelism;
    if (value === undefined) {
      throw new InvalidTuningInputError(
        'topology input',
        id,
        `a vertex of the topology (${[...byId.keys()].join(', ')})`,
      );
    }
    return value;
  };
  let segments = 0;
  for (const vertex of topology.vertices) {
    for (const input of vertex.inputs) {
      const { buffersPerChannel: b, floatingBuffersPerGate: f } = settings;
      // Input gate of the consumer, and the matching output partition of the producer.
      segments += networkSegmentsPerGate(p(vertex.id), p(input.id), input.shipStrategy, b, f);
      segments += networkSegmentsPerGate(p(input.id), p(vertex.id), input.shipStrategy, b, f);
    }
  }
  return { segments, bytes: segments * settings.segmentSizeBytes * settings.slotsPerTaskManager };
}
