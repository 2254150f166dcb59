/**
 * Step 8, report: the decision's events, the policy hook's events, a refused realization, the
 * per-job metrics, one log line, and the cycle's result.
 */
import type { AutoscalerOptions } from '../../config/index.ts';
import type { GuardOutcome, RawJobMetrics, ScalingDecision, VertexId } from '../../domain/index.ts';
import type { DecideOutput } from '../../decide/decide.ts';
import type { RealizeResult } from '../../ports/scaling-realizer.ts';
import type { LoadedJob } from '../../ports/state-store.ts';
import { policySentence } from '../../report/policy-wording.ts';
import type { CycleResult, PolicyOutcome } from '../cycle-result.ts';
import { type CycleContext, emit } from './cycle-context.ts';
import type { ObservedJob } from './observe.ts';
import type { Reviewed } from './review.ts';

/** What the earlier steps produced that the report needs. */
export interface ReportInput {
  readonly observed: ObservedJob;
  /** This cycle's observation (vertex names for the cycle record). */
  readonly raw: RawJobMetrics;
  readonly loaded: LoadedJob;
  readonly output: DecideOutput;
  readonly reviewed: Reviewed;
  readonly realized: RealizeResult | undefined;
}

/** Reports the decided cycle and returns its result. */
export async function report(cycle: CycleContext, input: ReportInput): Promise<CycleResult> {
  const { deps, key, nowMs, log } = cycle;
  const { observed, raw, loaded, output, realized } = input;
  const { review, policy } = input.reviewed;
  const { options } = observed;
  for (const event of output.report.events) {
    // A denied change did not begin scaling: its ScalingReport would say otherwise.
    if (review?.verdict === 'deny' && event.reason === 'ScalingReport') continue;
    await emit(cycle, event);
  }
  if (policy) await emitPolicyEvent(cycle, policy, options);
  if (realized?.outcome === 'refused') {
    await emit(cycle, {
      reason: 'ScalingVetoed',
      type: 'Warning',
      message: `The scaling decision was not applied: ${realized.reason}`,
      messageKey: `realize-refused:${realized.upgradePath}`,
      dedupeIntervalMs: options.scalingEventIntervalMs,
    });
  }
  const decision = policy ? withPolicyGuard(output.decision, policy) : output.decision;
  // Log budget: a cycle that changes nothing leaves one short line, the reporter's cycle record
  // (job totals; every vertex only once per detail interval); its decision line is debug detail.
  // Changes are logged at info, and their cycle record lists every vertex. A scaled job's realize
  // step runs every cycle; finding the spec already as planned ('unchanged') is no change.
  const changed =
    decision.action === 'scale' ||
    decision.action === 'blocked' ||
    (realized !== undefined && realized.outcome !== 'unchanged') ||
    policy !== undefined;
  const lastEvaluationMs = loaded.state.lastEvaluationMs;
  deps.reporter?.reportEvaluation(key, output.report.evaluated, output.decision, {
    detailedMetrics: cycle.detailedMetrics === true,
    vertexNames: vertexNamesOf(raw),
    cycleTimeMs: nowMs,
    changed,
    ...(output.state.costLedger ? { savedUsd: output.state.costLedger.savedUsd } : {}),
    ...(output.memoryPlan ? { memoryPlan: output.memoryPlan } : {}),
    // Time since the job's previous evaluation: the cadence it really gets (jitter, missed ticks).
    ...(lastEvaluationMs !== undefined
      ? { evaluationAgeSeconds: (nowMs - lastEvaluationMs) / 1000, previousEvaluationMs: lastEvaluationMs }
      : {}),
  });
  log[changed ? 'info' : 'debug']('cycle decided', {
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
    ...(output.state.costLedger ? { costLedger: output.state.costLedger } : {}),
  };
}

function vertexNamesOf(raw: RawJobMetrics): Record<VertexId, string> {
  const names: Record<VertexId, string> = {};
  for (const vertex of raw.topology.vertices) if (vertex.name) names[vertex.id] = vertex.name;
  return names;
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
  cycle: CycleContext,
  policy: PolicyOutcome,
  options: AutoscalerOptions,
): Promise<void> {
  const dedupeIntervalMs = options.scalingEventIntervalMs;
  if (policy.verdict === 'deny') {
    await emit(cycle, {
      reason: 'ScalingVetoed',
      type: 'Warning',
      message: policySentence(policy),
      messageKey: `policy-deny:${policy.failure ? 'failure' : (policy.reason ?? '')}`,
      dedupeIntervalMs,
    });
  } else if (policy.verdict === 'modify') {
    await emit(cycle, {
      reason: 'ScalingLimited',
      type: 'Normal',
      message: `${policySentence(policy)} Applied patch: ${JSON.stringify(policy.patch)}`,
      messageKey: `policy-modify:${JSON.stringify(policy.patch?.['spec'] ?? {})}`,
      dedupeIntervalMs,
    });
  } else if (policy.failure) {
    await emit(cycle, {
      reason: 'AutoscalerError',
      type: 'Warning',
      message: policySentence(policy),
      messageKey: 'policy-failure',
      dedupeIntervalMs,
    });
  }
}
