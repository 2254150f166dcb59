/**
 * Per-job history of memory usage peaks, so heap and metaspace are sized for the load a job sees
 * over days, not for the last metric window (the Flink operator sizes from the window average
 * alone, so a quiet 15 minutes shrinks memory that the daily peak needs; docs/algorithm.md §7.2,
 * users-and-peers.md "Memory tuning risks").
 *
 * The model follows the Kubernetes VPA recommender's memory model (users-and-peers.md: "memory
 * sample = daily peak over 8 × 24 h", decaying weights with a 24 h half-life, target p90):
 *
 * 1. Time is cut into buckets of `history.interval` (default 24 h, aligned to the epoch, i.e. UTC
 *    days). Each evaluation folds the usage it observed (the larger of the window's latest value
 *    and its average) into the current bucket, which keeps only its **peak**.
 * 2. Buckets that ended more than `history.max-age` ago (default 8 days) are dropped, so at most
 *    ~9 numbers per pool are stored (a few hundred bytes in the DynamoDB state item).
 * 3. The estimate is the **weighted percentile** `history.percentile` (default 0.9) of the bucket
 *    peaks, each weighted `2^(−age / history.half-life)` where age runs from the bucket's end (the
 *    open bucket and the one just closed weigh 1). A peak seen every day keeps its full weight; a
 *    one-off peak fades: with daily buckets and p90 it stops counting after ~3 days
 *    (quiet days weigh 1 + ½ + ¼ + … ≈ 2 ⇒ a peak of weight ⅛ is below the top 10 %).
 * 4. The estimate is multiplied by `1 + history.safety-margin` (default 0: the tuner's
 *    `memory.tuning.overhead` is applied on top anyway).
 *
 * Why exact peaks rather than VPA's decaying histogram with 5 % bucket growth: with one peak per
 * day and at most ~9 days there are at most ~9 samples, so the exact weighted percentile is cheap
 * and has no bucket-rounding error (a 5 % bucket would round a 10 GiB heap by up to 500 MiB).
 *
 * The stored form is opaque to everything but this module; unknown or corrupt data is discarded
 * and the history restarts (conventions: never crash-loop on state).
 */
import type { AutoscalerOptionValues } from '../config/index.ts';

/** The highest usage seen in one interval. */
export interface PeakBucket {
  /** Epoch ms of the bucket's start (a multiple of the interval). */
  readonly startMs: number;
  readonly peakBytes: number;
}

/** The stored memory history of one job (`JobState.memoryHistory`). */
export interface MemoryHistory {
  readonly schemaVersion: 1;
  /** Interval the buckets were cut with; a changed interval restarts the history. */
  readonly intervalMs: number;
  /** JVM heap usage peaks (HEAP_MEMORY_USED), oldest first. */
  readonly heap: readonly PeakBucket[];
  /** Metaspace usage peaks (METASPACE_MEMORY_USED), oldest first. */
  readonly metaspace: readonly PeakBucket[];
}

/** Parameters of the model, from the `job.autoscaler.memory.tuning.history.*` options. */
export interface MemoryHistoryParams {
  readonly enabled: boolean;
  readonly intervalMs: number;
  readonly maxAgeMs: number;
  readonly halfLifeMs: number;
  readonly percentile: number;
  readonly safetyMargin: number;
}

/** The model's parameters from resolved options. */
export function memoryHistoryParams(
  options: Pick<
    AutoscalerOptionValues,
    | 'memoryTuningHistoryEnabled'
    | 'memoryTuningHistoryIntervalMs'
    | 'memoryTuningHistoryMaxAgeMs'
    | 'memoryTuningHistoryHalfLifeMs'
    | 'memoryTuningHistoryPercentile'
    | 'memoryTuningHistorySafetyMargin'
  >,
): MemoryHistoryParams {
  return {
    enabled: options.memoryTuningHistoryEnabled,
    intervalMs: options.memoryTuningHistoryIntervalMs,
    maxAgeMs: options.memoryTuningHistoryMaxAgeMs,
    halfLifeMs: options.memoryTuningHistoryHalfLifeMs,
    percentile: options.memoryTuningHistoryPercentile,
    safetyMargin: options.memoryTuningHistorySafetyMargin,
  };
}

/** An empty history for the given interval. */
export function emptyMemoryHistory(intervalMs: number): MemoryHistory {
  return { schemaVersion: 1, intervalMs, heap: [], metaspace: [] };
}

function isBucketList(value: unknown): value is PeakBucket[] {
  return (
    Array.isArray(value) &&
    value.every(
      (b) =>
        typeof b === 'object' &&
        b !== null &&
        Number.isFinite((b as PeakBucket).startMs) &&
        Number.isFinite((b as PeakBucket).peakBytes) &&
        (b as PeakBucket).peakBytes >= 0,
    )
  );
}

/**
 * Reads a stored history. Anything that is not a history of this schema and interval (absent,
 * corrupt, another interval) yields an empty one.
 */
export function readMemoryHistory(stored: unknown, intervalMs: number): MemoryHistory {
  if (typeof stored !== 'object' || stored === null) return emptyMemoryHistory(intervalMs);
  const h = stored as Partial<MemoryHistory>;
  if (
    h.schemaVersion !== 1 ||
    h.intervalMs !== intervalMs ||
    !isBucketList(h.heap) ||
    !isBucketList(h.metaspace)
  ) {
    return emptyMemoryHistory(intervalMs);
  }
  return { schemaVersion: 1, intervalMs, heap: h.heap, metaspace: h.metaspace };
}

/**
 * Folds one observed usage into the bucket of `nowMs` (keeping the peak) and drops buckets that
 * ended more than `maxAgeMs` before `nowMs`. A non-finite or negative usage is not recorded.
 */
export function recordPeak(
  buckets: readonly PeakBucket[],
  usageBytes: number,
  nowMs: number,
  params: Pick<MemoryHistoryParams, 'intervalMs' | 'maxAgeMs'>,
): PeakBucket[] {
  const startMs = Math.floor(nowMs / params.intervalMs) * params.intervalMs;
  const kept = buckets.filter((b) => b.startMs + params.intervalMs > nowMs - params.maxAgeMs);
  if (!Number.isFinite(usageBytes) || usageBytes < 0) return kept;
  const existing = kept.find((b) => b.startMs === startMs);
  const updated = existing
    ? kept.map((b) => (b === existing ? { startMs, peakBytes: Math.max(b.peakBytes, usageBytes) } : b))
    : [...kept, { startMs, peakBytes: usageBytes }];
  return updated.sort((a, b) => a.startMs - b.startMs);
}

/**
 * The usage estimate of a pool: the weighted percentile of the bucket peaks (weights halve every
 * `halfLifeMs` of age since the bucket's end) times `1 + safetyMargin`, truncated to bytes.
 * `undefined` for an empty history.
 */
export function peakEstimate(
  buckets: readonly PeakBucket[],
  nowMs: number,
  params: Pick<MemoryHistoryParams, 'intervalMs' | 'halfLifeMs' | 'percentile' | 'safetyMargin'>,
): number | undefined {
  if (buckets.length === 0) return undefined;
  const weighted = buckets
    .map((b) => {
      const ageMs = Math.max(0, nowMs - (b.startMs + params.intervalMs));
      return { peakBytes: b.peakBytes, weight: 2 ** (-ageMs / params.halfLifeMs) };
    })
    .sort((a, b) => a.peakBytes - b.peakBytes);
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  // A relative epsilon so p = 1 reaches the last bucket despite floating-point sums.
  const threshold = params.percentile * total * (1 - 1e-12);
  let cumulative = 0;
  let chosen = weighted[weighted.length - 1]!.peakBytes;
  for (const w of weighted) {
    cumulative += w.weight;
    if (cumulative >= threshold) {
      chosen = w.peakBytes;
      break;
    }
  }
  return Math.trunc(chosen * (1 + params.safetyMargin));
}
