import type { JobKey } from '../domain/job-key.ts';
import type { TaskManagerResources } from '../domain/resources.ts';

/** Readiness of a managed job; `refused` = needs a user fix (e.g. built-in autoscaler enabled). */
export type JobReadiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly code: string; readonly refused: boolean; readonly reason: string };

/** One Flink job the autoscaler manages, as found in the cluster. */
export interface DiscoveredJob {
  readonly key: JobKey;
  readonly readiness: JobReadiness;
  /** Flink JobID from `status.jobStatus.jobId` (changes on redeploys). */
  readonly jobId?: string;
  /** Flat `spec.flinkConfiguration` (string keys and values). */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  /**
   * Flink REST API: base URL, whether it goes through the API-server service proxy, and then the
   * Service proxied to.
   */
  readonly rest: {
    readonly baseUrl: string;
    readonly via: 'service-proxy' | 'annotation';
    readonly serviceName?: string;
  };
  /** False for session jobs: the session cluster owns the TaskManagers (docs/design.md §4). */
  readonly memoryTuning: boolean;
  /** FlinkDeployment only. */
  readonly taskManager?: TaskManagerResources;
  readonly flinkVersion?: string;
  readonly upgradeMode?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Finds the Flink jobs opted in to the autoscaler (label `flink-serverless-autoscaler/enabled=true`)
 * and reads each one's readiness and settings.
 */
export interface JobDiscovery {
  /** Every managed FlinkDeployment and FlinkSessionJob in the configured namespaces. */
  listManagedJobs(): Promise<DiscoveredJob[]>;
  /** One job by key; undefined when it no longer exists or lost the label. */
  getJob(key: JobKey): Promise<DiscoveredJob | undefined>;
}
