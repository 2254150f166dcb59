/**
 * Job graph as the autoscaler sees it: one entry per job vertex (a chain of operators),
 * with the edges from the plan of `GET /jobs/{jobId}` (docs/algorithm.md §2.2).
 */

/** Hex JobVertexID (32 characters) in production; symbolic names are allowed in tests. */
export type VertexId = string;

/** Flink ship strategies of plan edges; anything unrecognised is `UNKNOWN`. */
export type ShipStrategy =
  | 'HASH'
  | 'REBALANCE'
  | 'RESCALE'
  | 'FORWARD'
  | 'CUSTOM'
  | 'BROADCAST'
  | 'GLOBAL'
  | 'SHUFFLE'
  | 'UNKNOWN';

/** Every {@link ShipStrategy} the Flink REST API reports, for parsing and validation. */
export const SHIP_STRATEGIES: readonly ShipStrategy[] = [
  'HASH',
  'REBALANCE',
  'RESCALE',
  'FORWARD',
  'CUSTOM',
  'BROADCAST',
  'GLOBAL',
  'SHUFFLE',
  'UNKNOWN',
];

/** Parses a plan ship strategy case-insensitively, mapping anything else to `UNKNOWN`. */
export function parseShipStrategy(value: unknown): ShipStrategy {
  if (typeof value !== 'string') return 'UNKNOWN';
  const upper = value.trim().toUpperCase();
  return (SHIP_STRATEGIES as readonly string[]).includes(upper) ? (upper as ShipStrategy) : 'UNKNOWN';
}

/** One input edge of a vertex. */
export interface VertexInput {
  readonly id: VertexId;
  readonly shipStrategy: ShipStrategy;
}

/** One job vertex. */
export interface VertexInfo {
  readonly id: VertexId;
  /** Display name (operator chain description); informational only. */
  readonly name?: string;
  /** Current parallelism (number of subtasks). */
  readonly parallelism: number;
  /** Max parallelism = number of key groups (upper bound for rescaling). */
  readonly maxParallelism: number;
  /** Input edges; empty for a source. */
  readonly inputs: readonly VertexInput[];
  /** Execution state FINISHED (bounded sources that completed): never scaled. */
  readonly finished: boolean;
  /** Slot sharing group (Flink ≥ 1.20 reports it); absent = unknown. */
  readonly slotSharingGroupId?: string;
  /** Number of source partitions (Kafka/Pulsar) discovered from metric names; 0 = none/unknown. */
  readonly numSourcePartitions: number;
}

/** The job graph plus the identity of the running job. */
export interface JobTopology {
  /** Flink JobID (32 hex); a new one means the job was redeployed. */
  readonly jobId: string;
  /** Epoch ms when the job last entered RUNNING (`timestamps.RUNNING`). */
  readonly jobRunningTsMs: number;
  /** Vertices in topological order (sources first). */
  readonly vertices: readonly VertexInfo[];
}
