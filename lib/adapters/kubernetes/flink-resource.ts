import type { ResourceKind } from '../../domain/job-key.ts';

/** Kubernetes object metadata fields the adapters read. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * A FlinkDeployment or FlinkSessionJob as read from the API (flinkdeployment.md §2–3). Only the
 * fields the autoscaler reads are typed; everything else passes through untouched.
 */
export interface FlinkResource {
  readonly apiVersion: string;
  readonly kind: ResourceKind;
  readonly metadata: ObjectMeta;
  readonly spec: FlinkResourceSpec;
  readonly status?: FlinkResourceStatus;
}

export interface FlinkResourceSpec {
  readonly flinkVersion?: string;
  readonly flinkConfiguration?: unknown;
  /** Session jobs: name of the session FlinkDeployment. */
  readonly deploymentName?: string;
  readonly taskManager?: {
    readonly resource?: { readonly cpu?: number; readonly memory?: string };
    readonly resources?: {
      readonly requests?: Readonly<Record<string, string | number>>;
      readonly limits?: Readonly<Record<string, string | number>>;
    };
    readonly replicas?: number;
  };
  readonly job?: {
    readonly upgradeMode?: string;
    readonly state?: string;
    readonly parallelism?: number;
    readonly initialSavepointPath?: string;
    readonly savepointRedeployNonce?: number;
  };
  readonly mode?: string;
}

export interface FlinkResourceStatus {
  readonly lifecycleState?: string;
  readonly observedGeneration?: number;
  readonly jobManagerDeploymentStatus?: string;
  readonly error?: string;
  readonly jobStatus?: { readonly jobId?: string; readonly state?: string; readonly startTime?: string };
  readonly reconciliationStatus?: { readonly state?: string; readonly lastReconciledSpec?: string };
  readonly clusterInfo?: Readonly<Record<string, string>>;
}

/** Label that opts a resource in to the autoscaler (design §4). */
export const MANAGED_LABEL = 'flink-serverless-autoscaler/enabled';
/** Annotation overriding the Flink REST base URL (instead of the API-server service proxy). */
export const REST_URL_ANNOTATION = 'flink-serverless-autoscaler/rest-url';
/** Annotation allowing a stateless full restart to apply a change (upgrade-path.ts). */
export const ALLOW_STATELESS_RESTART_ANNOTATION = 'flink-serverless-autoscaler/allow-stateless-restart';
