/**
 * Source partition discovery from metric ids (docs/algorithm.md §2.2). The Kafka
 * source registers one `currentOffset` gauge per assigned partition and the Pulsar source one
 * consumer group per partition, so counting distinct partitions in the metric listing of a
 * source vertex gives the partition count that caps its useful parallelism.
 */

// `.*?` + optional cluster group: the dynamic Kafka source inserts `.kafkaCluster.<name>`
// before `KafkaSourceReader`; the same topic in two clusters is two partitions sets.
const KAFKA_OFFSET =
  /^.*?(?:\.kafkaCluster\.(?<cluster>.+)\.)?KafkaSourceReader\.topic\.(?<topic>.+)\.partition\.(?<partition>\d+)\.currentOffset$/;
const PULSAR_RECEIVED = /^.*\.PulsarConsumer\.(?<topic>.+)-partition-(?<partition>\d+)\..*\.numMsgsReceived$/;

/**
 * Identity of the partition a metric id reports on (`<cluster|null>-<topic>-<n>` for Kafka,
 * `<topic>-<n>` for Pulsar), or undefined for any other metric. Works on bare ids and on ids
 * with the subtask-index prefix (`1.Source__…`).
 */
export function sourcePartitionOf(metricId: string): string | undefined {
  const kafka = KAFKA_OFFSET.exec(metricId);
  if (kafka?.groups) {
    const { cluster, topic, partition } = kafka.groups;
    return `kafka:${cluster ?? 'null'}-${topic}-${partition}`;
  }
  const pulsar = PULSAR_RECEIVED.exec(metricId);
  if (pulsar?.groups) return `pulsar:${pulsar.groups['topic']}-${pulsar.groups['partition']}`;
  return undefined;
}

/** Number of distinct source partitions named in a vertex's metric ids; 0 = none/unknown. */
export function countSourcePartitions(metricIds: Iterable<string>): number {
  const partitions = new Set<string>();
  for (const id of metricIds) {
    const partition = sourcePartitionOf(id);
    if (partition !== undefined) partitions.add(partition);
  }
  return partitions.size;
}
