import type { ClusterCapacitySnapshot } from '../domain/resources.ts';

/**
 * Reads how much room the cluster has for more TaskManagers (design §4 capacity check): free
 * capacity of current nodes and what node groups can still add.
 */
export interface ClusterCapacitySource {
  /** A fresh snapshot; callers cache it for a cycle. */
  snapshot(): Promise<ClusterCapacitySnapshot>;
}
