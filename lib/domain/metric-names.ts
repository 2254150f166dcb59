/**
 * Names of the scaling metrics, exactly as the Flink autoscaler names them (`ScalingMetric`), so
 * CloudWatch metrics, events and stored samples read the same as the operator's.
 */

/** Per-vertex metrics computed at collection time and stored in each window sample (docs/algorithm.md §2.4). */
export type VertexSampleMetricName =
  | 'LAG'
  | 'LOAD'
  | 'NUM_RECORDS_IN'
  | 'NUM_RECORDS_OUT'
  | 'NUM_RECORDS_IN_PER_SECOND'
  | 'OBSERVED_TPR'
  | 'ACCUMULATED_BUSY_TIME';

/** Per-job (global) metrics stored in each window sample (docs/algorithm.md §2.4). */
export type GlobalSampleMetricName =
  | 'HEAP_MAX_USAGE_RATIO'
  | 'GC_PRESSURE'
  | 'HEAP_MEMORY_USED'
  | 'MANAGED_MEMORY_USED'
  | 'METASPACE_MEMORY_USED'
  | 'NUM_TASK_SLOTS_USED';

/** Per-vertex evaluated metrics (docs/algorithm.md §3.4, §8.2). */
export type EvaluatedVertexMetricName =
  | 'LOAD'
  | 'TRUE_PROCESSING_RATE'
  | 'TARGET_DATA_RATE'
  | 'CATCH_UP_DATA_RATE'
  | 'LAG'
  | 'PARALLELISM'
  | 'RECOMMENDED_PARALLELISM'
  | 'MAX_PARALLELISM'
  | 'NUM_SOURCE_PARTITIONS'
  | 'SCALE_UP_RATE_THRESHOLD'
  | 'SCALE_DOWN_RATE_THRESHOLD'
  | 'EXPECTED_PROCESSING_RATE';

/** Global evaluated metrics (docs/algorithm.md §3.7). */
export type EvaluatedGlobalMetricName = GlobalSampleMetricName;
