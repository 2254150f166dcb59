import type { AutoscalerOptions } from '../config/index.ts';
import { type AutoscalerEvent, type DecisionPrice, type VertexId, vertexLabel } from '../domain/index.ts';
import { formatTwoDecimals } from './format-two-decimals.ts';
import { describePrice } from './price-decision.ts';

/** One vertex of a ScalingReport (Java `ScalingSummary` as printed). Rates in records/s. */
export interface ScalingReportEntry {
  readonly vertexId: VertexId;
  /** Extension: the vertex's display name, listed after the entries (the entries keep the operator's format). */
  readonly vertexName?: string;
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

/** Characters of each vertex name in a ScalingReport (Kubernetes events are cut at 1024). */
const REPORT_NAME_CHARS = 40;

/**
 * Extension: what follows the operator's entries, so tools that parse them keep working:
 * ` Price: <describePrice>.` then ` Vertices: <name (short id)>; ….` for the named vertices. The
 * price comes first: a long report is cut at the end, and the names are the part that can go.
 */
export function scalingReportSuffix(entries: readonly ScalingReportEntry[], price: DecisionPrice | undefined): string {
  const priced = price ? ` Price: ${describePrice(price)}.` : '';
  const named = entries.filter((e) => e.vertexName !== undefined);
  const names = named.map((e) => vertexLabel(e.vertexId, e.vertexName, REPORT_NAME_CHARS));
  const distinct = names.filter((label, i) => label !== named[i]?.vertexId);
  return priced + (distinct.length > 0 ? ` Vertices: ${distinct.join('; ')}.` : '');
}

/**
 * The ScalingReport event (docs/algorithm.md §5.4). Executed scalings are never de-duplicated; a blocked
 * report is de-duplicated within `scaling.event.interval` on the parallelism changes it lists
 * (the operator hashes the `vertex: Parallelism a -> b` map), so an unchanged recommendation is
 * reported once per interval while a new one is reported at once. `price` (extension) is the
 * change's price, stated after the entries with the vertices' names.
 */
export function scalingReportEvent(
  entries: readonly ScalingReportEntry[],
  blockedBy: ScalingBlockedBy | undefined,
  options: Pick<AutoscalerOptions, 'scalingEventIntervalMs'>,
  price?: DecisionPrice,
): AutoscalerEvent {
  const header = blockedBy ? scalingDisabledHeader(blockedBy.key, blockedBy.value) : SCALING_ENABLED_HEADER;
  const message = header + entries.map(formatScalingReportEntry).join('') + scalingReportSuffix(entries, price);
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
