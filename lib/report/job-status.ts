/**
 * What `fsa status` shows per managed job, from stored data only (pure): mode, last evaluation,
 * last decision and its price, pending scale-downs, what the autoscaler saved against the spec,
 * and the health of the last run.
 */
import { formatUsd } from '../decide/price-decision.ts';
import { type CostLedger, formatJobKey, type JobKey, type JobState, shortVertexId, vertexLabel } from '../domain/index.ts';
import type { RunRecord } from '../domain/run-record.ts';
import { NOT_READY_WORDS } from './liveness.ts';

/** One job's status. Times are epoch ms; absent = unknown (never evaluated, no run recorded). */
export interface JobStatus {
  /** `cluster/namespace/kind/name`. */
  readonly job: string;
  /** `active`, `recommendation-only`, `refused: <reason>`, or `unknown` before the first run. */
  readonly mode: string;
  readonly lastEvaluationMs?: number;
  /** Last decision: the action, what the realizer did, the policy verdict and the price. */
  readonly lastDecision?: string;
  /**
   * Vertices with a delayed scale-down waiting: vertex id → {since, parallelism it would go to,
   * `name (short id)` label}.
   */
  readonly pendingScaleDown: Readonly<
    Record<string, { readonly sinceMs: number; readonly parallelism: number; readonly label: string }>
  >;
  /** What the autoscaler saved (or added) against the resource's own spec; absent before the first priced cycle. */
  readonly costVsSpec?: CostLedger;
  /**
   * `ok` (evaluated), `not ready for 47 min: metric window not full` (with `— stuck` past the
   * limit), `refused` or `failed: <reason>`; `unknown` without a run record.
   */
  readonly health: string;
  /**
   * Extension (docs/algorithm.md §13): the change under watch, the last rollback with its
   * evidence, and the changes blocked by the cool-down; absent when there is none of these.
   */
  readonly rollback?: string;
  readonly lastRun?: RunRecord;
}

/**
 * Builds a job's status from its stored state and last-run record. A cycle that saved the state
 * and ended exactly as the recorded run does not rewrite the record (lib/cycle/steps/record-run.ts),
 * so the run's time is the later of its own and the state's last evaluation.
 */
export function jobStatusOf(key: JobKey, state: JobState, storedRun: RunRecord | undefined): JobStatus {
  const evaluatedMs = state.lastEvaluationMs;
  const run =
    storedRun && evaluatedMs !== undefined && evaluatedMs > storedRun.atMs
      ? { ...storedRun, atMs: evaluatedMs }
      : storedRun;
  const pendingScaleDown: Record<string, { sinceMs: number; parallelism: number; label: string }> = {};
  for (const [vertex, delayed] of Object.entries(state.delayedScaleDown)) {
    const latest = delayed.recommendations.at(-1);
    if (latest)
      pendingScaleDown[vertex] = {
        sinceMs: delayed.firstTriggerTimeMs,
        parallelism: latest.parallelism,
        // Without a stored name (state from older versions) the short id, as this column always showed.
        label: vertexLabel(shortVertexId(vertex), state.vertexNames?.[vertex], 32),
      };
  }
  const mode = !run?.mode ? 'unknown' : run.mode === 'refused' ? `refused: ${run.reason}` : run.mode;
  const health = !run
    ? 'unknown'
    : run.outcome === 'failed'
      ? `failed: ${run.reason}`
      : run.outcome === 'refused'
        ? 'refused'
        : run.notReady
          ? notReadyHealth(run.atMs, run.notReady)
          : 'ok';
  const policy = run?.policy
    ? ` (policy: ${run.policy.verdict}${run.policy.reason ? ` – ${run.policy.reason}` : ''})`
    : '';
  const price = run?.price ? ` (${priceWords(run.price)})` : '';
  const lastDecision = run?.action
    ? `${run.action}${run.realized ? `, ${run.realized}${run.upgradePath && run.upgradePath !== 'none' ? ` ${run.upgradePath}` : ''}` : ''}${policy}${price}`
    : run
      ? run.outcome
      : undefined;
  return {
    job: formatJobKey(key),
    mode,
    ...(state.lastEvaluationMs !== undefined ? { lastEvaluationMs: state.lastEvaluationMs } : {}),
    ...(lastDecision ? { lastDecision } : {}),
    pendingScaleDown,
    ...(state.costLedger ? { costVsSpec: state.costLedger } : {}),
    health,
    ...(rollbackStatus(state, run?.atMs) ? { rollback: rollbackStatus(state, run?.atMs) } : {}),
    ...(run ? { lastRun: run } : {}),
  };
}

/**
 * "watching the change of <time>", "rolled back <time> (<cause>): <evidence>", "blocked until
 * <time>: <vertex> → <parallelism>", joined by "; "; undefined when none applies. Blocks are
 * those still in force at the last run (stored data only: no clock is read here).
 */
function rollbackStatus(state: JobState, asOfMs: number | undefined): string | undefined {
  const rollback = state.rollback;
  if (!rollback) return undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  const parts: string[] = [];
  if (rollback.watch) parts.push(`watching the change of ${iso(rollback.watch.appliedAtMs)}`);
  if (rollback.last) {
    parts.push(`rolled back ${iso(rollback.last.atMs)} (${rollback.last.cause}): ${rollback.last.evidence}`);
  }
  for (const block of rollback.blocked) {
    if (asOfMs !== undefined && block.untilMs <= asOfMs) continue;
    parts.push(`blocked until ${iso(block.untilMs)}: ${block.vertexId.slice(0, 8)} → ${block.toParallelism}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** "not ready for 47 min: metric window not full", as of the last run. */
function notReadyHealth(atMs: number, spell: NonNullable<RunRecord['notReady']>): string {
  const minutes = Math.max(0, Math.round((atMs - spell.sinceMs) / 60_000));
  const stuck = spell.stuck ? ' — stuck: longer than stabilization + metric window + a margin' : '';
  return `not ready for ${minutes} min: ${NOT_READY_WORDS[spell.reason]}${stuck}`;
}

/** `+1 TM +$0.0987/h, +$72.08/month`: a decision's price in a table cell. */
export function priceWords(price: NonNullable<RunRecord['price']>): string {
  const delta = price.newTaskManagers - price.currentTaskManagers;
  const tms = `${delta > 0 ? '+' : delta < 0 ? '−' : ''}${Math.abs(delta)} TM`;
  return `${tms} ${formatUsd(price.deltaUsdPerHour, true)}/h, ${formatUsd(price.deltaUsdPerMonth, true)}/month`;
}

/**
 * `saved $12.34 since 2026-12-01 (2 TM vs 4 in the spec: −$0.1975/h)`, or `added …` when the
 * autoscaler runs more than the spec: the running total against the resource's own spec.
 */
export function costVsSpecWords(ledger: CostLedger): string {
  const verb = ledger.savedUsd < 0 ? 'added' : 'saved';
  const since = new Date(ledger.sinceMs).toISOString().slice(0, 16).replace('T', ' ');
  const nowDelta = (ledger.currentTaskManagers - ledger.specTaskManagers) * ledger.taskManagerUsdPerHour;
  return (
    `${verb} ${formatUsd(Math.abs(ledger.savedUsd))} since ${since} UTC ` +
    `(${ledger.currentTaskManagers} TM vs ${ledger.specTaskManagers} in the spec: ${formatUsd(nowDelta, true)}/h)`
  );
}
