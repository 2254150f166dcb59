/**
 * Example policy hook: a per-namespace parallelism ceiling and a business-hours freeze.
 *
 * - During business hours (Mon–Fri 09:00–17:00 in `timeZone`) changes are denied, so no job
 *   restarts while people rely on it; the autoscaler asks again after the freeze.
 * - Outside the freeze, a vertex above its namespace's ceiling is lowered to the ceiling
 *   (`modify`), everything else is allowed.
 *
 * The same module runs in-process (`fsa` CLI / local world: `--policy-module
 * examples/policy-hook/namespace-ceiling-policy.ts`) and as the policy Lambda (`handler`).
 * It only reads the proposal (time included: `evaluatedAtMs`), so it is deterministic.
 */
import type { PolicyVerdict, ScalingProposal } from '../../lib/ports/policy-hook.ts';

/** Settings of {@link createNamespaceCeilingPolicy}. */
export interface NamespaceCeilingPolicyOptions {
  /** Highest parallelism per vertex, by namespace; `*` applies to namespaces not listed. */
  readonly ceilings: Readonly<Record<string, number>>;
  /** Business-hours freeze; omit for none. */
  readonly freeze?: {
    /** IANA time zone, e.g. `Europe/Berlin`. */
    readonly timeZone: string;
    /** First and last-plus-one hour of the freeze, 0–24. @default [9, 17] */
    readonly hours?: readonly [number, number];
    /** ISO weekdays frozen (1 = Monday … 7 = Sunday). @default [1, 2, 3, 4, 5] */
    readonly weekdays?: readonly number[];
  };
}

const OVERRIDES_KEY = 'pipeline.jobvertex-parallelism-overrides';
const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Builds the policy's `review` function. */
export function createNamespaceCeilingPolicy(options: NamespaceCeilingPolicyOptions) {
  return (proposal: ScalingProposal): PolicyVerdict => {
    if (options.freeze && inFreeze(proposal.evaluatedAtMs, options.freeze)) {
      return { verdict: 'deny', reason: `business-hours freeze (${options.freeze.timeZone})` };
    }
    const ceiling = options.ceilings[proposal.resource.namespace] ?? options.ceilings['*'];
    const config = (proposal.patch['spec'] as { flinkConfiguration?: Record<string, unknown> } | undefined)
      ?.flinkConfiguration;
    const text = config?.[OVERRIDES_KEY];
    if (ceiling === undefined || typeof text !== 'string') return { verdict: 'allow' };
    let capped = false;
    const entries = text
      .split(',')
      .filter((entry) => entry.includes(':'))
      .map((entry) => {
        const [vertex, value] = entry.split(':') as [string, string];
        if (Number(value) <= ceiling) return `${vertex}:${value}`;
        capped = true;
        return `${vertex}:${ceiling}`;
      });
    if (!capped) return { verdict: 'allow' };
    return {
      verdict: 'modify',
      reason: `namespace ${proposal.resource.namespace} allows at most parallelism ${ceiling} per vertex`,
      // Only our key changes; the autoscaler rejects a patch that touches anything else.
      patch: {
        ...proposal.patch,
        spec: {
          ...(proposal.patch['spec'] as object),
          flinkConfiguration: { ...config, [OVERRIDES_KEY]: entries.join(',') },
        },
      },
    };
  };
}

function inFreeze(epochMs: number, freeze: NonNullable<NamespaceCeilingPolicyOptions['freeze']>): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: freeze.timeZone,
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochMs));
  const weekday = WEEKDAY[parts.find((p) => p.type === 'weekday')?.value ?? ''] ?? 0;
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? Number.NaN);
  const [from, to] = freeze.hours ?? [9, 17];
  return (freeze.weekdays ?? [1, 2, 3, 4, 5]).includes(weekday) && hour >= from && hour < to;
}

/** The example's settings: 4 per vertex in `flink-jobs`, 16 elsewhere, frozen 9–17 Berlin time. */
export const review = createNamespaceCeilingPolicy({
  ceilings: { 'flink-jobs': 4, '*': 16 },
  freeze: { timeZone: 'Europe/Berlin' },
});

/** Lambda entry point: the event is the proposal, the return value the verdict. */
export const handler = review;
