import { isDeepStrictEqual } from 'node:util';
import { recordEvent } from './cluster-events.ts';
import {
  completeRollout,
  type OperatorTiming,
  observeSpecChange,
  type PendingRollout,
  type ReconcileOutcome,
  type StoredObject,
} from './flink-operator-model.ts';
import { type OperatorProfile, reconciledGeneration } from './operator-profile.ts';
import { kindByName, RESOURCE_KINDS, type ResourceKindInfo } from './resource-kinds.ts';
import { ResourceStore, type VirtualClock } from './resource-store.ts';
import { anyUnschedulable, taskManagerCountOf, taskManagerPods } from './task-manager-pods.ts';

/** How often a rollout waiting for unschedulable TaskManager pods checks again (virtual ms). */
const POD_RETRY_MS = 10_000;

/** Hook run when the operator model makes a spec effective; may report the job id it now runs under. */
export type SpecAppliedHook = (
  resource: StoredObject,
  // most hooks return nothing; `void` lets them
) => void | SpecAppliedResult | Promise<void | SpecAppliedResult>;

/** What a {@link SpecAppliedHook} may report back. */
export interface SpecAppliedResult {
  /** The job id the (simulated) cluster now runs the job under. */
  readonly jobId?: string;
}

/**
 * The Flink Kubernetes Operator's reconcile loop on the virtual clock (operator 1.x,
 * `AbstractFlinkResourceReconciler.reconcile`): every Flink resource whose `metadata.generation`
 * is ahead of `status.observedGeneration` is observed and starts a rollout
 * ({@link observeSpecChange}); rollouts finish when their delay has passed
 * ({@link completeRollout}), in due order, each at its own virtual time.
 */
export class OperatorLoop {
  readonly #store: ResourceStore;
  readonly #clock: VirtualClock;
  readonly #timing: OperatorTiming;
  readonly #profile: OperatorProfile;
  readonly #pending = new Map<string, PendingRollout>();
  /** Deployments per resource uid: the input of the deterministic job ids. */
  readonly #deployments = new Map<string, number>();
  #onSpecApplied: SpecAppliedHook | undefined;
  /** TaskManager pods the cluster can place (failure mode, task-manager-pods.ts); absent = no pods kept. */
  readonly #taskManagerNodeBudget: number | undefined;
  /** TaskManager pod sets created per resource uid (the `<attempt>` of their names). */
  readonly #podAttempts = new Map<string, number>();

  constructor(
    store: ResourceStore,
    clock: VirtualClock,
    timing: OperatorTiming,
    hook: SpecAppliedHook | undefined,
    profile: OperatorProfile,
    taskManagerNodeBudget?: number,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#timing = timing;
    this.#profile = profile;
    this.#onSpecApplied = hook;
    this.#taskManagerNodeBudget = taskManagerNodeBudget;
  }

  /** Replaces (or with undefined removes) the hook told about every spec that became effective. */
  setOnSpecApplied(hook: SpecAppliedHook | undefined): void {
    this.#onSpecApplied = hook;
  }

  /** Drops the pending rollout of a deleted resource. */
  forget(key: string): void {
    this.#pending.delete(key);
  }

  /** Moves the clock by `ms`, running every rollout that falls due on the way. */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance(ms) needs ms >= 0, got ${ms}`);
    const target = this.#clock.nowMs + ms;
    this.reconcileAll();
    while (await this.#runDue(target)) {
      /* each due rollout runs at its own virtual time */
    }
    this.#clock.nowMs = target;
    this.reconcileAll();
  }

  /**
   * The operator's observe step: every resource whose generation is ahead of the reconciled one
   * (`status.observedGeneration`, or before operator 1.8 the generation recorded with the last
   * reconciled spec) gets reconciled. A reconcile that changes nothing (a spec the validator keeps
   * rejecting) writes nothing.
   */
  reconcileAll(): void {
    for (const info of RESOURCE_KINDS.filter((k) => k.flink)) {
      for (const object of this.#store.ofKind(info.kind)) {
        if (reconciledGeneration(object) === object.metadata.generation) continue;
        const environment = { profile: this.#profile, sessionCluster: this.#sessionClusterOf(object) };
        const outcome = observeSpecChange(object, this.#clock.nowMs, this.#timing, environment);
        const idle = !outcome.pending && outcome.events.length === 0;
        if (idle && isDeepStrictEqual(outcome.status, object.status ?? {})) continue;
        this.#apply(info, object, outcome);
        this.#syncTaskManagerPods(object);
      }
    }
  }

  /** A session job's session FlinkDeployment (`spec.deploymentName`, same namespace). */
  #sessionClusterOf(object: StoredObject): StoredObject | undefined {
    const name = object.spec?.['deploymentName'];
    if (object.kind !== 'FlinkSessionJob' || typeof name !== 'string') return undefined;
    const plural = kindByName('FlinkDeployment')?.plural ?? 'flinkdeployments';
    return this.#store.get(ResourceStore.keyOf(plural, object.metadata.namespace, name));
  }

  /** Stores a reconcile outcome: the new status, its timer and its events. */
  #apply(info: ResourceKindInfo, object: StoredObject, outcome: ReconcileOutcome): StoredObject {
    const updated = this.#setStatus(info, object, outcome.status);
    const key = ResourceStore.keyOf(info.plural, updated.metadata.namespace, updated.metadata.name);
    if (outcome.pending) this.#pending.set(key, outcome.pending);
    for (const e of outcome.events) recordEvent(this.#store, updated, e.reason, e.type, e.message);
    return updated;
  }

  #setStatus(info: ResourceKindInfo, object: StoredObject, status: Record<string, unknown>): StoredObject {
    return this.#store.commit(info, object, { ...structuredClone(object), status });
  }

  /** The earliest rollout due by `untilMs`, with its key. */
  #nextDue(untilMs: number): [string, PendingRollout] | undefined {
    let next: [string, PendingRollout] | undefined;
    for (const [key, rollout] of this.#pending) {
      if (rollout.dueAtMs <= untilMs && (!next || rollout.dueAtMs < next[1].dueAtMs)) next = [key, rollout];
    }
    return next;
  }

  /** Completes the earliest due rollout; false when none is due by `untilMs`. */
  async #runDue(untilMs: number): Promise<boolean> {
    const next = this.#nextDue(untilMs);
    if (!next) return false;
    const [key, due] = next;
    this.#pending.delete(key);
    this.#clock.nowMs = Math.max(this.#clock.nowMs, due.dueAtMs);
    const object = this.#store.get(key);
    if (!object) return true;
    if (due.kind !== 'stabilize' && this.#waitsForTaskManagers(object)) {
      // The job cannot start without its slots: try again once the scheduler could have placed them.
      this.#pending.set(key, { ...due, dueAtMs: due.dueAtMs + POD_RETRY_MS });
      return true;
    }
    const info = kindByName(object.kind)!;
    const count = (this.#deployments.get(object.metadata.uid) ?? 0) + (due.newJobId ? 1 : 0);
    this.#deployments.set(object.metadata.uid, count);
    const outcome = completeRollout(object, due, count, this.#clock.nowMs, this.#timing);
    const updated = this.#apply(info, object, outcome);
    if (due.kind !== 'stabilize') await this.#reportSpecApplied(info, updated);
    this.reconcileAll();
    return true;
  }

  /** Replaces a FlinkDeployment's TaskManager pods by those its (new) spec needs, under the budget. */
  #syncTaskManagerPods(object: StoredObject): void {
    const budget = this.#taskManagerNodeBudget;
    if (budget === undefined || object.kind !== 'FlinkDeployment') return;
    const podInfo = kindByName('Pod')!;
    for (const pod of this.#podsOf(object)) {
      this.#store.delete(ResourceStore.keyOf(podInfo.plural, pod.metadata.namespace, pod.metadata.name));
    }
    const attempt = (this.#podAttempts.get(object.metadata.uid) ?? 0) + 1;
    this.#podAttempts.set(object.metadata.uid, attempt);
    const pods = taskManagerPods(object, taskManagerCountOf(object), budget, attempt, this.#store.isoNow());
    for (const pod of pods) this.#store.commit(podInfo, undefined, pod);
  }

  #podsOf(object: StoredObject): StoredObject[] {
    return this.#store
      .ofKind('Pod')
      .filter(
        (pod) =>
          pod.metadata.namespace === object.metadata.namespace &&
          pod.metadata.labels?.['app'] === object.metadata.name &&
          pod.metadata.labels?.['component'] === 'taskmanager',
      );
  }

  #waitsForTaskManagers(object: StoredObject): boolean {
    return this.#taskManagerNodeBudget !== undefined && anyUnschedulable(this.#podsOf(object));
  }

  /** Tells the hook (the Flink simulator) about the new spec and takes over the job id it reports. */
  async #reportSpecApplied(info: ResourceKindInfo, updated: StoredObject): Promise<void> {
    const reported = await this.#onSpecApplied?.(structuredClone(updated));
    const jobStatus = (updated.status?.['jobStatus'] ?? {}) as Record<string, unknown>;
    if (reported?.jobId && reported.jobId !== jobStatus['jobId']) {
      const status = { ...updated.status, jobStatus: { ...jobStatus, jobId: reported.jobId } };
      this.#setStatus(info, updated, status);
    }
  }
}
