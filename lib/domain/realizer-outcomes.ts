/**
 * What the realizer reports back about a change (the preview a policy sees, the outcome of taking
 * our overrides back): plain data shared by the pure review and report stages and the realizer
 * port (lib/ports/scaling-realizer.ts).
 */
/**
 * The parts of the resource's current spec a policy needs to judge a change: only the keys the
 * autoscaler owns plus the context they are read in (version, upgrade mode, job parallelism).
 */
export interface SpecExcerpt {
  readonly flinkVersion?: string;
  readonly upgradeMode?: string;
  /** `spec.job.parallelism` (the user's default parallelism). */
  readonly jobParallelism?: number;
  /** Current values of the autoscaler-owned `flinkConfiguration` keys (flattened). */
  readonly ownedConfiguration: Readonly<Record<string, string>>;
  /** TaskManager memory as the spec states it (e.g. `4Gi`), when set. */
  readonly taskManagerMemory?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * {@link ScalingRealizer.preview}: what {@link ScalingRealizer.realize} would do now, without
 * writing. `outcome: 'would-patch'` carries the exact merge patch a realize would send.
 */
export interface RealizePreview {
  readonly outcome: 'would-patch' | 'unchanged' | 'refused';
  readonly upgradePath: string;
  readonly reason: string;
  readonly patch?: Record<string, unknown>;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly current: SpecExcerpt;
}

/**
 * {@link ScalingRealizer.withdraw}:
 * - `deleted`: the resource no longer exists;
 * - `still-managed`: it carries the opt-in label again (a race with the dispatcher): nothing done;
 * - `kept`: opted out; the overrides stay in the spec (the default: no surprise redeploy);
 * - `restored`: opted out with `flink-serverless-autoscaler/on-disable: restore`; the autoscaler's
 *   overrides were removed so the user's own parallelism applies again (`patch` says how).
 */
export interface WithdrawResult {
  readonly outcome: 'deleted' | 'still-managed' | 'kept' | 'restored';
  readonly reason: string;
  readonly patch?: Record<string, unknown>;
}
