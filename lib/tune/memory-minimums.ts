/**
 * Lowest sizes a plan may give a pool, whatever the observed usage says (issue guard "never below
 * Flink's minimums for any pool"). Pools the plan does not resize (JVM overhead, framework and
 * task off-heap) keep the user's sizes, which Flink's own model already validated; network
 * memory is floored by what the topology needs (lib/tune/network-memory.ts).
 */

const MIB = 1024 * 1024;

/**
 * JVM heap floor: Flink's default framework heap (`taskmanager.memory.framework.heap.size`,
 * 128 MiB). The plan sets framework heap to 0 and lets task heap absorb it (docs/algorithm.md §7.3), so the
 * heap must still hold at least the share Flink reserves for its own runtime.
 */
export const MIN_HEAP_BYTES = 128 * MIB;

/**
 * Metaspace floor. Flink has no configured minimum, but a TaskManager loads Flink's runtime,
 * the job's and the connectors' classes before the first usage metric is reported; a plan
 * derived from a tiny or bogus usage reading must not be able to squeeze metaspace below what
 * that takes (FLINK-35489, "metaspace squeezed"). 64 MiB is a quarter of Flink's default.
 */
export const MIN_METASPACE_BYTES = 64 * MIB;
