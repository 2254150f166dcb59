/**
 * An event the autoscaler emits, with the operator's reasons so users who know the built-in
 * autoscaler recognise them (docs/algorithm.md §5.4). Reported as a Kubernetes Event on the resource and in
 * the DynamoDB event log.
 */
export type AutoscalerEventReason =
  | 'ScalingReport'
  | 'IneffectiveScaling'
  | 'ScalingLimited'
  | 'MemoryPressure'
  | 'ResourceQuotaReached'
  | 'ClusterCapacityReached'
  | 'ScalingVetoed'
  | 'ExcludedPeriod'
  | 'Configuration recommendation'
  | 'InvalidConfiguration'
  | 'AutoscalerError'
  /** This project: the job stopped being managed (deleted or opted out) and its state was removed. */
  | 'AutoscalerDisabled'
  /** This project: a change the autoscaler applied left the job unhealthy and was reverted (docs/algorithm.md §13). */
  | 'ScalingRolledBack';

/** Kubernetes Event type: `Warning` for what needs a user's attention, `Normal` otherwise. */
export type AutoscalerEventType = 'Normal' | 'Warning';

/** One event the autoscaler reports (Kubernetes Event and event log), like the operator's (docs/algorithm.md §5.4). */
export interface AutoscalerEvent {
  readonly reason: AutoscalerEventReason;
  readonly type: AutoscalerEventType;
  readonly message: string;
  /**
   * De-duplication key: an event with the same reason and key is suppressed within
   * `dedupeIntervalMs`. Absent = the message itself is the key.
   */
  readonly messageKey?: string;
  /** Suppression interval in ms (`scaling.event.interval`); absent = never de-duplicated. */
  readonly dedupeIntervalMs?: number;
}
