import type { ClusterCapacitySnapshot } from '../domain/resources.ts';

/**
 * Reads how much room the cluster has for more TaskManagers (docs/design.md §4 capacity check): free
 * capacity of current nodes and what node groups can still add.
 */
export interface ClusterCapacitySource {
  /**
   * A snapshot no older than `freshness.maxAgeMs` at `freshness.nowMs`: a source may hand out the
   * one it read for an earlier cycle (the operator's resource view, refreshed every
   * `kubernetes.operator.cluster.resource-view.refresh-interval`). Without `freshness`, a fresh one.
   */
  snapshot(freshness?: CapacityFreshness): Promise<ClusterCapacitySnapshot>;
}

/** How old a capacity snapshot may be. */
export interface CapacityFreshness {
  /** The cycle's time, epoch ms. */
  readonly nowMs: number;
  /** Maximum age of a reused snapshot, ms. */
  readonly maxAgeMs: number;
}
