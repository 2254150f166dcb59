import type { JobKey } from '../domain/job-key.ts';

/** A TaskManager pod the Kubernetes scheduler cannot place. */
export interface UnschedulableTaskManagerPod {
  readonly name: string;
  /** The `PodScheduled` condition's message (which resources no node has). */
  readonly message: string;
}

/** What the cluster says of a job's health, beyond its Flink REST API. */
export interface JobHealth {
  /** `status.jobStatus.state` of the resource (`RUNNING`, `RESTARTING`, `FAILED`, …); absent when unset. */
  readonly jobState?: string;
  /**
   * The job's TaskManager pods that are Pending with `PodScheduled=False` and reason
   * `Unschedulable`: the cluster has no room for them.
   */
  readonly unschedulableTaskManagers: readonly UnschedulableTaskManagerPod[];
}

/**
 * Reads the health of a job's deployment (docs/algorithm.md §13), only while a change the
 * autoscaler applied is being watched for a rollback.
 */
export interface JobHealthSource {
  health(key: JobKey): Promise<JobHealth>;
}
