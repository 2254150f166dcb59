import type { AutoscalerOptions } from '../config/index.ts';
import type { AutoscalerEvent, VertexId } from '../domain/index.ts';
import { formatTwoDecimals } from './format-two-decimals.ts';

/** One vertex of a ScalingReport (Java `ScalingSummary` as printed). Rates in records/s. */
export interface ScalingReportEntry {
  readonly vertexId: VertexId;
  readonly currentParallelism: number;
  readonly newParallelism: number;
  /** TRUE_PROCESSING_RATE window average. */
  readonly trueProcessingRateAvg: number;
  /** EXPECTED_PROCESSING_RATE current value (TPR / cur × new). */
  readonly expectedProcessingRate: number;
  /** TARGET_DATA_RATE window average. */
  readonly targetDataRateAvg: number;
}

/** Header of a report for a scaling that is executed (docs/algorithm.md §5.1 step 11). */
export const SCALING_ENABLED_HEADER = 'Scaling execution enabled, begin scaling vertices:';

/** Start of the header of a report for a scaling that a configuration blocks (docs/algorithm.md §5.1 step 7). */
export const SCALING_DISABLED_HEADER_PREFIX = 'Scaling execution disabled by config ';

/** Event message key of every ScalingReport (the operator's `ScalingExecutor`). */
export const SCALING_REPORT_KEY = 'ScalingExecutor';

/**
 * One report entry, exactly as the operator prints it (docs/algorithm.md §5.4):
 * `{ Vertex ID <id> | Parallelism <cur> -> <new> | Processing capacity <tpr> -> <epr> | Target data rate <tdr>}`.
 */
export function formatScalingReportEntry(entry: ScalingReportEntry): string {
  return (
    `{ Vertex ID ${entry.vertexId} | Parallelism ${entry.currentParallelism} -> ${entry.newParallelism}` +
    ` | Processing capacity ${formatTwoDecimals(entry.trueProcessingRateAvg)} -> ${formatTwoDecimals(entry.expectedProcessingRate)}` +
    ` | Target data rate ${formatTwoDecimals(entry.targetDataRateAvg)}}`
  );
}

/** Header of a blocked report: `Scaling execution disabled by config <key>:<value>, recommended parallelism change:`. */
export function scalingDisabledHeader(key: string, value: string): string {
  return `${SCALING_DISABLED_HEADER_PREFIX}${key}:${value}, recommended parallelism change:`;
}

/** Why execution is blocked by configuration: the key and value the header names. */
export interface ScalingBlockedBy {
  readonly key: string;
  readonly value: string;
}

/**
 * The ScalingReport event (docs/algorithm.md §5.4). Executed scalings are never de-duplicated; a blocked
 * report is de-duplicated within `scaling.event.interval` on the parallelism changes it lists
 * (the operator hashes the `vertex: Parallelism a -> b` map), so an unchanged recommendation is
 * reported once per interval while a new one is reported at once.
 */
export function scalingReportEvent(
  entries: readonly ScalingReportEntry[],
  blockedBy: ScalingBlockedBy | undefined,
  options: Pick<AutoscalerOptions, 'scalingEventIntervalMs'>,
): AutoscalerEvent {
  const header = blockedBy ? scalingDisabledHeader(blockedBy.key, blockedBy.value) : SCALING_ENABLED_HEADER;
  const message = header + entries.map(formatScalingReportEntry).join('');
  if (!blockedBy) {
    return { reason: 'ScalingReport', type: 'Normal', message, messageKey: SCALING_REPORT_KEY };
  }
  const changes = [...entries]
    .sort((a, b) => (a.vertexId < b.vertexId ? -1 : a.vertexId > b.vertexId ? 1 : 0))
    .map((e) => `${e.vertexId}: Parallelism ${e.currentParallelism} -> ${e.newParallelism}`)
    .join(', ');
  return {
    reason: 'ScalingReport',
    type: 'Normal',
    message,
    messageKey: `${SCALING_REPORT_KEY}:${hashText(changes)}`,
    dedupeIntervalMs: options.scalingEventIntervalMs,
  };
}

/** FNV-1a 32-bit hash as 8 hex characters: a short, stable de-duplication key. */
export function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
