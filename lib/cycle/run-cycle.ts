/**
 * One autoscaler cycle for one job, in the fixed order of design §1:
 * lease → observe → collect → load → decide → persist → realize → report.
 *
 * This is the only module in lib/ (besides adapters) that calls ports. The Lambda worker, the
 * CLI (`fsa run --once`) and the local world all run exactly this code; only the adapters behind
 * the ports differ. A failure of one job becomes an event and a metric and never throws for an
 * expected error class, so one bad job never stops the others.
 */
import {
  type AutoscalerOptions,
  InvalidOptionError,
  parseMemoryBytes,
  resolveOptions,
} from '../config/index.ts';
import type { AutoscalerEvent, GuardOutcome, JobKey, ScalingDecision } from '../domain/index.ts';
import { formatJobKey, MANAGED_LABEL, ON_DISABLE_ANNOTATION } from '../domain/index.ts';
import { DEFAULT_CADENCE_MS, type DecideOutput, decide } from '../decide/decide.ts';
import { windowLookbackMs } from '../window/update-metric-window.ts';
import { buildProposal } from '../review/build-proposal.ts';
import { type PolicyResolution, resolveFailure, reviewProposal } from '../review/review-proposal.ts';
import { stateAfterDeny, stateAfterModify } from '../review/state-after-review.ts';
import type { Clock } from '../ports/clock.ts';
import type { ClusterCapacitySource } from '../ports/cluster-capacity-source.ts';
import type { EventSink } from '../ports/event-sink.ts';
import type { DiscoveredJob, JobDiscovery } from '../ports/job-discovery.ts';
import type { MetricsReporter } from '../ports/metrics-reporter.ts';
import {
  type FlinkJobTarget,
  FlinkResponseFormatError,
  FlinkRestError,
  JobNotFoundError,
  MetricsNotReadyError,
  type MetricsSource,
} from '../ports/metrics-source.ts';
import type { PolicyHook } from '../ports/policy-hook.ts';
import type {
  RealizeResult,
  ScalingPlan,
  ScalingRealizer,
  WithdrawResult,
} from '../ports/scaling-realizer.ts';
import {
  LeaseHeldError,
  type RunRecord,
  StateConflictError,
  type StateStore,
  StateStoreError,
} from '../ports/state-store.ts';
import type { CycleResult, PolicyOutcome } from './cycle-result.ts';
import { ownedChangesOf } from './owned-changes.ts';

/** Minimal structured logger (Powertools' Logger fits). */
export interface CycleLogger {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

/** Everything a cycle talks to. Built once per process (cold start) and shared by all jobs. */
export interface CycleDependencies {
  readonly discovery: JobDiscovery;
  readonly metrics: MetricsSource;
  readonly store: StateStore;
  readonly realizer: ScalingRealizer;
  /** Where events go: the DynamoDB event log, Kubernetes Events on the resource, … */
  readonly eventSinks: readonly EventSink[];
  readonly clock: Clock;
  /** How to reach a job's Flink REST API (headers with the cluster token, TLS dispatcher). */
  readonly restTarget: (job: DiscoveredJob) => FlinkJobTarget | Promise<FlinkJobTarget>;
  readonly reporter?: MetricsReporter;
  /** Cluster capacity for the capacity guard; only consulted when the option enables it. */
  readonly capacity?: ClusterCapacitySource;
  readonly logger?: CycleLogger;
  /** Deployment-wide option defaults (below each resource's own flinkConfiguration). */
  readonly deploymentDefaults?: Readonly<Record<string, string>>;
  /**
   * Interval of the schedule that runs the cycles (EventBridge rate, `fsa run --interval`). The
   * window's samples are loaded from `now − window − 3 × cadence`, so the window can start at a
   * sample taken before `now − window` on any real cadence. @default 60 000
   */
  readonly cadenceMs?: number;
  /** Unique id of this run (Lambda request id): the lease owner. */
  readonly runId: string;
  /** How long a lease is held unless released (a crashed run's lease lapses). @default 5 min */
  readonly leaseTtlMs?: number;
  /**
   * Reviews every change before it is written (allow / deny / modify). Absent = no hook: the
   * cycle makes no preview read and behaves exactly as without the feature.
   */
  readonly policy?: PolicyHook;
}

const DEFAULT_LEASE_TTL_MS = 5 * 60_000;

/** Per-call options of {@link runCycle}. */
export interface CycleRequest {
  /**
   * Epoch ms of the dispatcher tick that asked for this cycle. A job already evaluated at or after
   * it (a duplicate or out-of-order queue delivery) is skipped before anything is written.
   */
  readonly tickMs?: number;
}

/** Runs one cycle for `key`. Never throws for expected failures; see {@link CycleResult}. */
export async function runCycle(
  deps: CycleDependencies,
  key: JobKey,
  request: CycleRequest = {},
): Promise<CycleResult> {
  const nowMs = deps.clock.nowMs();
  const log = contextLogger(deps.logger, key);
  // 1. lease: only one run acts on a job at a time (duplicate or concurrent SQS deliveries).
  try {
    await deps.store.acquireLease(key, {
      owner: deps.runId,
      nowMs,
      ttlMs: deps.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
    });
  } catch (error) {
    if (error instanceof LeaseHeldError) {
      log.info('another run holds the lease; skipping', { reason: error.message });
      return { outcome: 'skipped', reason: `another run holds the lease: ${error.message}` };
    }
    return fail(deps, key, error, 'acquire the job lease');
  }
  let result: CycleResult | undefined;
  const context: RunContext = {};
  try {
    result = await leasedCycle(deps, key, nowMs, log, request, context);
    return result;
  } catch (error) {
    result = await fail(deps, key, error, 'run the cycle');
    return result;
  } finally {
    if (result) await recordRun(deps, key, nowMs, result, context, log);
    await deps.store.releaseLease(key, deps.runId).catch((error: unknown) => {
      log.warn('could not release the lease; it lapses on its own', { error: describeError(error) });
    });
  }
}

/** What the cycle learned that the run record needs but the result does not carry. */
interface RunContext {
  mode?: RunRecord['mode'];
}

async function leasedCycle(
  deps: CycleDependencies,
  key: JobKey,
  nowMs: number,
  log: CycleLogger,
  request: CycleRequest,
  context: RunContext,
): Promise<CycleResult> {
  // 2. observe: the resource as it is now, readiness and conflicts.
  const job = await deps.discovery.getJob(key);
  if (!job) return retire(deps, key, nowMs, log);
  if (!job.readiness.ready) {
    if (job.readiness.refused) {
      await emit(deps, key, {
        reason: 'InvalidConfiguration',
        type: 'Warning',
        message: job.readiness.reason,
        messageKey: `refused:${job.readiness.code}`,
        dedupeIntervalMs: 30 * 60_000,
      });
      context.mode = 'refused';
      return { outcome: 'refused', reason: job.readiness.reason };
    }
    log.debug('not ready', { code: job.readiness.code, reason: job.readiness.reason });
    return { outcome: 'not-ready', reason: job.readiness.reason };
  }

  let options: AutoscalerOptions;
  try {
    const resolved = resolveOptions(deps.deploymentDefaults ?? {}, job.flinkConfiguration);
    options = resolved.options;
    context.mode = options.scalingEnabled ? 'active' : 'recommendation-only';
    for (const warning of resolved.warnings) {
      await emit(deps, key, {
        reason: 'InvalidConfiguration',
        type: 'Warning',
        message: warning,
        messageKey: `warning:${warning}`,
        dedupeIntervalMs: options.scalingEventIntervalMs,
      });
    }
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    await emit(deps, key, {
      reason: 'InvalidConfiguration',
      type: 'Warning',
      message: `${error.message}. This job is skipped until the value is fixed.`,
      messageKey: `invalid:${error.key}:${error.value}`,
      dedupeIntervalMs: 30 * 60_000,
    });
    context.mode = 'refused';
    return { outcome: 'refused', reason: error.message };
  }

  // 3. collect: one raw observation over the Flink REST API.
  const target = await deps.restTarget(job);
  let raw: Awaited<ReturnType<MetricsSource['collect']>>;
  try {
    const jobId = target.jobId ?? job.jobId;
    raw = await deps.metrics.collect(jobId ? { ...target, jobId } : target, options, nowMs);
  } catch (error) {
    if (error instanceof MetricsNotReadyError) {
      log.debug('metrics not ready', { reason: error.reason });
      return { outcome: 'not-ready', reason: error.message };
    }
    if (error instanceof JobNotFoundError) {
      // The resource's status still names the previous job id while the operator redeploys.
      log.info('job id unknown to the cluster (redeploy in progress?)', { jobId: error.jobId });
      return { outcome: 'not-ready', reason: error.message };
    }
    throw error;
  }

  // 4. load: state and the window's samples in one query, from the window's possible anchor on
  // (the newest sample at or before `now − window`, see lib/window/update-metric-window.ts).
  const cadenceMs = deps.cadenceMs ?? DEFAULT_CADENCE_MS;
  const loaded = await deps.store.load(key, {
    sinceMs: nowMs - options.metricsWindowMs - windowLookbackMs(cadenceMs),
  });
  const lastEvaluationMs = loaded.state.lastEvaluationMs;
  if (request.tickMs !== undefined && lastEvaluationMs !== undefined && lastEvaluationMs >= request.tickMs) {
    return {
      outcome: 'skipped',
      reason: `already evaluated at ${new Date(lastEvaluationMs).toISOString()}, after this message's tick (duplicate or late delivery)`,
    };
  }
  if (loaded.discarded) {
    await emit(deps, key, {
      reason: 'AutoscalerError',
      type: 'Warning',
      message: `Stored autoscaler state was discarded (${loaded.discarded.code}: ${loaded.discarded.detail}); starting from an empty state.`,
    });
  }

  // 5. decide: the pure core.
  const capacity =
    deps.capacity && options.resourceViewRefreshIntervalMs > 0
      ? await deps.capacity.snapshot({ nowMs, maxAgeMs: options.resourceViewRefreshIntervalMs })
      : undefined;
  const output: DecideOutput = decide({
    options,
    raw,
    samples: loaded.samples,
    state: loaded.state,
    nowMs,
    cadenceMs,
    ...(job.taskManager ? { taskManager: job.taskManager } : {}),
    ...(capacity ? { clusterCapacity: capacity } : {}),
    memoryTuning: job.memoryTuning,
  });

  // 5b. policy: the hook sees the exact patch before anything is stored or written, so a deny is
  // persisted as a veto (spec §5.1 step 10) and a modification as what was really applied.
  const review = deps.policy
    ? await reviewChange(deps, deps.policy, key, job, options, output, nowMs)
    : undefined;
  let stateToSave = output.state;
  if (review?.verdict === 'deny') stateToSave = stateAfterDeny(loaded.state, output.state, nowMs);
  if (review?.verdict === 'modify' && review.content)
    stateToSave = stateAfterModify(output.state, review.content, nowMs);

  // 6. persist: conditional on the loaded revision; a run that lost the race stops here.
  try {
    await deps.store.save(key, loaded, {
      state: stateToSave,
      sample: output.sample,
      windowMs: options.metricsWindowMs,
    });
  } catch (error) {
    if (error instanceof StateConflictError) {
      return { outcome: 'skipped', reason: `another run saved this job first: ${error.message}` };
    }
    throw error;
  }

  // 7. realize: the stored overrides, every cycle (as the operator does in `finally`), so a run
  // that died between persist and realize is reconciled by the next one. No change → no write.
  const realized =
    review?.verdict === 'deny'
      ? undefined
      : await realize(
          deps,
          key,
          job,
          options,
          output,
          review?.verdict === 'modify' ? review.patch : undefined,
        );

  // 8. report.
  for (const event of output.report.events) {
    // A denied change did not begin scaling: its ScalingReport would say otherwise.
    if (review?.verdict === 'deny' && event.reason === 'ScalingReport') continue;
    await emit(deps, key, event);
  }
  const policy = review ? policyOutcome(deps.policy as PolicyHook, review) : undefined;
  if (policy) await emitPolicyEvent(deps, key, policy, options);
  if (realized?.outcome === 'refused') {
    await emit(deps, key, {
      reason: 'ScalingVetoed',
      type: 'Warning',
      message: `The scaling decision was not applied: ${realized.reason}`,
      messageKey: `realize-refused:${realized.upgradePath}`,
      dedupeIntervalMs: options.scalingEventIntervalMs,
    });
  }
  deps.reporter?.reportEvaluation(key, output.report.evaluated, output.decision, {
    ...(output.memoryPlan ? { memoryPlan: output.memoryPlan } : {}),
    // Time since the job's previous evaluation: the cadence it really gets (jitter, missed ticks).
    ...(lastEvaluationMs !== undefined ? { evaluationAgeSeconds: (nowMs - lastEvaluationMs) / 1000 } : {}),
  });
  const decision = policy ? withPolicyGuard(output.decision, policy) : output.decision;
  log.info('cycle decided', {
    action: decision.action,
    summary: decision.summary,
    ...(realized ? { realized: realized.outcome, upgradePath: realized.upgradePath } : {}),
    ...(policy ? { policy: policy.verdict } : {}),
  });
  return {
    outcome: 'decided',
    reason: policy ? `${decision.summary} ${policySentence(policy)}` : decision.summary,
    decision,
    ...(realized ? { realized } : {}),
    ...(policy ? { policy } : {}),
  };
}

/**
 * Asks the policy hook about the change this cycle would write; undefined when nothing would be
 * written (no plan, no difference, or a change the realizer refuses anyway).
 */
async function reviewChange(
  deps: CycleDependencies,
  hook: PolicyHook,
  key: JobKey,
  job: DiscoveredJob,
  options: AutoscalerOptions,
  output: DecideOutput,
  nowMs: number,
): Promise<PolicyResolution | undefined> {
  const plan = scalingPlanFor(output, options, job.memoryTuning);
  if (!plan) return undefined;
  if (!deps.realizer.preview) return resolveFailure(hook, 'the realizer cannot preview the patch to review');
  const preview = await deps.realizer.preview(key, plan);
  if (preview.outcome !== 'would-patch' || !preview.patch) return undefined;
  const proposal = buildProposal({
    key,
    ...(job.jobId ? { jobId: job.jobId } : {}),
    nowMs,
    decision: output.decision,
    parallelismOverrides: plan.parallelismOverrides,
    ...(output.memoryPlan ? { memoryPlan: output.memoryPlan } : {}),
    preview: { ...preview, patch: preview.patch },
  });
  return reviewProposal(hook, proposal);
}

function policyOutcome(hook: PolicyHook, review: PolicyResolution): PolicyOutcome {
  return {
    verdict: review.verdict,
    hook: hook.name,
    ...(review.reason ? { reason: review.reason } : {}),
    ...(review.patch ? { patch: review.patch } : {}),
    ...(review.failure ? { failure: review.failure } : {}),
  };
}

function policySentence(policy: PolicyOutcome): string {
  const why = policy.reason ? `: ${policy.reason}` : '';
  switch (policy.verdict) {
    case 'deny':
      return `Policy hook ${policy.hook} denied the change${why}; nothing was applied.`;
    case 'modify':
      return `Policy hook ${policy.hook} modified the change${why}.`;
    default:
      return policy.failure
        ? `Policy hook ${policy.hook} failed; applied anyway (fail-open)${why}.`
        : `Policy hook ${policy.hook} allowed the change.`;
  }
}

/** The decision as reported: a denied scaling is `blocked` by the `policy` guard. */
function withPolicyGuard(decision: ScalingDecision, policy: PolicyOutcome): ScalingDecision {
  const guard: GuardOutcome = {
    guard: 'policy',
    passed: policy.verdict !== 'deny',
    detail: policySentence(policy),
  };
  return {
    ...decision,
    ...(policy.verdict === 'deny' && decision.action === 'scale' ? { action: 'blocked' as const } : {}),
    guards: [...decision.guards, guard],
  };
}

/**
 * Deny, modify and hook failures become events, de-duplicated by `scaling.event.interval`, so a
 * change the policy keeps denying is reported once per interval with a count, not every cycle.
 */
async function emitPolicyEvent(
  deps: CycleDependencies,
  key: JobKey,
  policy: PolicyOutcome,
  options: AutoscalerOptions,
): Promise<void> {
  const dedupeIntervalMs = options.scalingEventIntervalMs;
  if (policy.verdict === 'deny') {
    await emit(deps, key, {
      reason: 'ScalingVetoed',
      type: 'Warning',
      message: policySentence(policy),
      messageKey: `policy-deny:${policy.failure ? 'failure' : (policy.reason ?? '')}`,
      dedupeIntervalMs,
    });
  } else if (policy.verdict === 'modify') {
    await emit(deps, key, {
      reason: 'ScalingLimited',
      type: 'Normal',
      message: `${policySentence(policy)} Applied patch: ${JSON.stringify(policy.patch)}`,
      messageKey: `policy-modify:${JSON.stringify(policy.patch?.['spec'] ?? {})}`,
      dedupeIntervalMs,
    });
  } else if (policy.failure) {
    await emit(deps, key, {
      reason: 'AutoscalerError',
      type: 'Warning',
      message: policySentence(policy),
      messageKey: 'policy-failure',
      dedupeIntervalMs,
    });
  }
}

/**
 * The job is no longer managed (deleted, or the opt-in label removed): once, while it still has
 * state, take our overrides back if the resource asks for it (`on-disable: restore`), remove the
 * job's items and record an event that outlives them (TTL). Later ticks find nothing to do.
 */
async function retire(
  deps: CycleDependencies,
  key: JobKey,
  nowMs: number,
  log: CycleLogger,
): Promise<CycleResult> {
  const loaded = await deps.store.load(key, { sinceMs: nowMs });
  if (loaded.revision === 0 && !loaded.discarded) {
    return { outcome: 'gone', reason: 'the resource no longer exists or lost the opt-in label' };
  }
  const owned = ownedChangesOf(loaded.state);
  const withdrawn: WithdrawResult = deps.realizer.withdraw
    ? await deps.realizer.withdraw(key, owned)
    : { outcome: 'kept', reason: 'the realizer cannot withdraw; the resource was left as it is' };
  if (withdrawn.outcome === 'still-managed') {
    return { outcome: 'skipped', reason: `not cleaned up: ${withdrawn.reason}` };
  }
  const forgotten = await deps.store.forgetJob(key);
  const what =
    withdrawn.outcome === 'deleted'
      ? 'The resource was deleted'
      : `The resource no longer carries ${MANAGED_LABEL}=true`;
  const overrides =
    withdrawn.outcome === 'restored'
      ? ` Restored: ${withdrawn.reason}${withdrawn.patch ? ` (patch ${JSON.stringify(withdrawn.patch)})` : ''}.`
      : withdrawn.outcome === 'kept'
        ? ` Kept: ${withdrawn.reason}; set the annotation ${ON_DISABLE_ANNOTATION}: restore before removing the label to have them removed.`
        : '';
  const message = `${what}; the autoscaler stopped managing it and removed its stored state (${forgotten.itemsDeleted} items; this event log stays until it expires).${overrides}`;
  await emit(deps, key, { reason: 'AutoscalerDisabled', type: 'Normal', message });
  log.info('job no longer managed; state removed', {
    resource: withdrawn.outcome,
    items: forgotten.itemsDeleted,
  });
  return {
    outcome: 'gone',
    reason: message,
    cleanup: { resource: withdrawn.outcome, itemsDeleted: forgotten.itemsDeleted },
  };
}

/**
 * Keeps how this cycle ended for `fsa status`. Skipped cycles (another run acted) and retired jobs
 * (state just removed) are not recorded; a failure to record is logged, never fails the cycle.
 */
async function recordRun(
  deps: CycleDependencies,
  key: JobKey,
  nowMs: number,
  result: CycleResult,
  context: RunContext,
  log: CycleLogger,
): Promise<void> {
  if (result.outcome === 'skipped' || result.outcome === 'gone') return;
  const run: RunRecord = {
    atMs: nowMs,
    outcome: result.outcome,
    reason: result.reason.slice(0, 2048),
    ...(context.mode ? { mode: context.mode } : {}),
    ...(result.decision ? { action: result.decision.action } : {}),
    ...(result.realized
      ? { realized: result.realized.outcome, upgradePath: result.realized.upgradePath }
      : {}),
    ...(result.policy
      ? {
          policy: {
            verdict: result.policy.verdict,
            ...(result.policy.reason ? { reason: result.policy.reason } : {}),
          },
        }
      : {}),
  };
  await deps.store.recordRun(key, run).catch((error: unknown) => {
    log.warn('could not record the run for status', { error: describeError(error) });
  });
}

/** Builds the realizer's plan from the stored state; undefined when there is nothing of ours to apply. */
export function scalingPlanFor(
  output: Pick<DecideOutput, 'state'>,
  options: AutoscalerOptions,
  memoryTuning: boolean,
): ScalingPlan | undefined {
  const overrides = output.state.parallelismOverrides;
  const memory = output.state.configOverrides;
  const applyMemory =
    memoryTuning &&
    options.memoryTuningEnabled &&
    (Object.keys(memory.overrides).length > 0 || memory.removals.length > 0);
  if (Object.keys(overrides).length === 0 && !applyMemory) return undefined;
  const processSize = memory.overrides['taskmanager.memory.process.size'];
  return {
    parallelismOverrides: overrides,
    excludedVertices: options.vertexExcludeIds,
    ...(applyMemory ? { memoryConfig: memory } : {}),
    ...(applyMemory && processSize !== undefined
      ? { taskManagerMemoryBytes: parseMemoryBytes(processSize) }
      : {}),
  };
}

async function realize(
  deps: CycleDependencies,
  key: JobKey,
  job: DiscoveredJob,
  options: AutoscalerOptions,
  output: DecideOutput,
  patchOverride: Record<string, unknown> | undefined,
): Promise<RealizeResult | undefined> {
  const plan = scalingPlanFor(output, options, job.memoryTuning);
  if (!plan) return undefined;
  return patchOverride
    ? deps.realizer.realize(key, plan, { patchOverride })
    : deps.realizer.realize(key, plan);
}

/** Reports to every sink; a failing sink is logged, never fails the cycle. */
async function emit(deps: CycleDependencies, key: JobKey, event: AutoscalerEvent): Promise<void> {
  for (const sink of deps.eventSinks) {
    try {
      await sink.emit(key, event);
    } catch (error) {
      deps.logger?.warn('could not report an event', {
        job: formatJobKey(key),
        reason: event.reason,
        error: describeError(error),
      });
    }
  }
}

/** Errors that a later cycle may not hit (transport, throttling, conflicts). */
function isRetryable(error: unknown): boolean {
  if (error instanceof FlinkResponseFormatError) return false;
  if (error instanceof FlinkRestError)
    return error.status === undefined || error.status >= 500 || error.status === 429;
  if (error instanceof StateStoreError) return true;
  return true;
}

async function fail(
  deps: CycleDependencies,
  key: JobKey,
  error: unknown,
  step: string,
): Promise<CycleResult> {
  const message = `Could not ${step}: ${describeError(error)}`;
  deps.logger?.error('cycle failed', { job: formatJobKey(key), step, error: describeError(error) });
  deps.reporter?.reportJobError(key);
  // The operator never de-duplicates AutoscalerError events (spec §5.4); message capped at 2048.
  await emit(deps, key, { reason: 'AutoscalerError', type: 'Warning', message: message.slice(0, 2048) });
  return { outcome: 'failed', reason: message, retryable: isRetryable(error) };
}

/** `Name: message` with the cause chain, never a stack (logs must stay readable). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${describeError(error.cause)})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

function contextLogger(logger: CycleLogger | undefined, key: JobKey): CycleLogger {
  const job = formatJobKey(key);
  const silent = () => {};
  if (!logger) return { debug: silent, info: silent, warn: silent, error: silent };
  return {
    debug: (message, extra) => logger.debug(message, { job, ...extra }),
    info: (message, extra) => logger.info(message, { job, ...extra }),
    warn: (message, extra) => logger.warn(message, { job, ...extra }),
    error: (message, extra) => logger.error(message, { job, ...extra }),
  };
}
