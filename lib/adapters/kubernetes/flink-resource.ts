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
 * A FlinkDeployment or FlinkSessionJob as read from the API (docs/flink-resources.md §2–3). Only the
 * fields the autoscaler reads are typed; everything else passes through untouched.
 */
export interface FlinkResource {
  readonly apiVersion: string;
  readonly kind: ResourceKind;
  readonly metadata: ObjectMeta;
  readonly spec: FlinkResourceSpec;
  readonly status?: FlinkResourceStatus;
}

/** The parts of a FlinkDeployment / FlinkSessionJob `spec` the autoscaler reads or writes (docs/flink-resources.md §2). */
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

/** The parts of the operator-written `status` the readiness checks read (docs/flink-resources.md §3). */
export interface FlinkResourceStatus {
  readonly lifecycleState?: string;
  readonly observedGeneration?: number;
  readonly jobManagerDeploymentStatus?: string;
  readonly error?: string;
  readonly jobStatus?: { readonly jobId?: string; readonly state?: string; readonly startTime?: string };
  readonly reconciliationStatus?: { readonly state?: string; readonly lastReconciledSpec?: string };
  readonly clusterInfo?: Readonly<Record<string, string>>;
}
