/**
 * docs/algorithm.md §5.1 step 7: recommendation-only mode and excluded periods block execution (evaluation and
 * the ScalingReport still happen, the report then says which configuration blocked it).
 */
import type { AutoscalerOptions } from '../../config/index.ts';
import { findExcludedPeriod, parseExcludedPeriods } from '../../config/index.ts';
import type { DecisionPrice, GuardOutcome } from '../../domain/index.ts';
import { type ScalingBlockedBy, type ScalingReportEntry, scalingReportEvent } from '../scaling-report.ts';
import type { GuardVerdict } from './guard-chain.ts';

const SCALING_ENABLED_KEY = 'job.autoscaler.scaling.enabled';
const EXCLUDED_PERIODS_KEY = 'job.autoscaler.excluded.periods';

/** `scaling.enabled = false`: recommendation only. */
export function checkScalingEnabled(
  options: AutoscalerOptions,
  entries: readonly ScalingReportEntry[],
  price?: DecisionPrice,
): GuardVerdict {
  if (options.scalingEnabled) {
    return {
      outcomes: [{ guard: 'scaling-disabled', passed: true, detail: `${SCALING_ENABLED_KEY} is true` }],
      blocks: false,
    };
  }
  return blockedByConfiguration(
    {
      guard: 'scaling-disabled',
      passed: false,
      detail: `${SCALING_ENABLED_KEY} is false: recommendation only, nothing is applied`,
    },
    { key: SCALING_ENABLED_KEY, value: 'false' },
    entries,
    options,
    price,
  );
}

/** `excluded.periods`: no scaling while now lies inside one (not checked when none is configured). */
export function checkExcludedPeriods(
  options: AutoscalerOptions,
  nowMs: number,
  entries: readonly ScalingReportEntry[],
  price?: DecisionPrice,
): GuardVerdict {
  if (options.excludedPeriods.length === 0) return { outcomes: [], blocks: false };
  const periods = parseExcludedPeriods(options.excludedPeriods, options.excludedPeriodsTimeZone);
  const period = findExcludedPeriod(periods, nowMs);
  const now = new Date(nowMs).toISOString();
  if (!period) {
    return {
      outcomes: [
        {
          guard: 'excluded-period',
          passed: true,
          detail: `now (${now}) is outside every excluded period (${options.excludedPeriodsTimeZone})`,
        },
      ],
      blocks: false,
    };
  }
  return blockedByConfiguration(
    {
      guard: 'excluded-period',
      passed: false,
      detail: `now (${now}) is inside excluded period '${period.text}' (${period.timeZone})`,
    },
    { key: EXCLUDED_PERIODS_KEY, value: options.excludedPeriods.join(';') },
    entries,
    options,
    price,
  );
}

/** A configuration block: the failed outcome and the ScalingReport naming the blocking key (and the price). */
function blockedByConfiguration(
  outcome: GuardOutcome,
  blockedBy: ScalingBlockedBy,
  entries: readonly ScalingReportEntry[],
  options: AutoscalerOptions,
  price: DecisionPrice | undefined,
): GuardVerdict {
  return { outcomes: [outcome], event: scalingReportEvent(entries, blockedBy, options, price), blocks: true };
}
