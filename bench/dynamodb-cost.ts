import { type CapacityReport, DynamoDbStateStore } from '../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { defaultOptions } from '../lib/config/resolve-options.ts';
import { US_EAST_1_PRICES } from '../lib/report/cloud-prices.ts';
import { retainedSamplesPerJob } from '../lib/report/cost-model.ts';
import type { JobKey } from '../lib/domain/index.ts';
import { aFullSample, aFullState, vertexIds } from '../test/contract/state-fixtures.ts';
import { createLocalStateTable, startDynalite } from '../test/support/dynalite.ts';

/** Cycles per month at a 1-minute cadence (30 days). */
export const CYCLES_PER_MONTH = 30 * 24 * 60;

/** One row of the cost table: one job size in steady state (full window, full histories). */
export interface DynamoDbCostRow {
  readonly vertices: number;
  /** Stored size of the STATE item (bytes, DynamoDB item-size rules). */
  readonly stateItemBytes: number;
  /** Stored size of one SAMPLE item. */
  readonly sampleItemBytes: number;
  /** Bytes written per cycle (the sample, and the state item when written), averaged. */
  readonly bytesWrittenPerCycle: number;
  /** Read request units per cycle (the load Query, eventually consistent). */
  readonly readUnitsPerCycle: number;
  /** Write request units per cycle for state + sample. */
  readonly stateWriteUnitsPerCycle: number;
  /** DynamoDB requests per cycle of the store (query, sample write, the state write once per refresh). */
  readonly requestsPerCycle: number;
  /** Request cost per job and month at a 1-minute cadence, USD. */
  readonly usdPerJobMonth: number;
  /** Storage cost per job and month (state + window samples), USD. */
  readonly storageUsdPerJobMonth: number;
}

/** Options of {@link measureDynamoDbCost}. */
export interface DynamoDbCostOptions {
  /** Job sizes to measure. Default 10, 100, 1,000 vertices. */
  readonly vertexCounts?: readonly number[];
  /** Metric window in minutes (= samples in steady state at 1/min). Default 15. */
  readonly windowMinutes?: number;
  /**
   * Measured cycles after the window is full. Default 15: one state refresh interval, in which a
   * steady job writes its state once (lib/adapters/state/state-write-elision.ts).
   */
  readonly measuredCycles?: number;
}

const MIN = 60_000;
const T0 = 1_700_000_000_000;

/**
 * Runs steady-state autoscaler cycles (load → save the sample, and the state once per refresh) against
 * dynalite and returns bytes, capacity units and cost per job and cycle. dynalite reports
 * consumed capacity with DynamoDB's rules (1 WRU per started KB of the larger of old and new
 * item; 1 RRU per started 4 KB of a strongly consistent Query's items, half of it for the
 * eventually consistent load query).
 */
export async function measureDynamoDbCost(options: DynamoDbCostOptions = {}): Promise<DynamoDbCostRow[]> {
  const vertexCounts = options.vertexCounts ?? [10, 100, 1000];
  const windowMinutes = options.windowMinutes ?? 15;
  const measuredCycles = options.measuredCycles ?? 15;
  const dynalite = await startDynalite();
  try {
    const rows: DynamoDbCostRow[] = [];
    for (const vertices of vertexCounts) {
      const { tableName, doc } = await createLocalStateTable(dynalite.endpoint);
      const reports: CapacityReport[] = [];
      let recording = false;
      const store = new DynamoDbStateStore(doc, {
        tableName,
        onCapacity: (r) => {
          if (recording) reports.push(r);
        },
      });
      const key: JobKey = {
        cluster: 'bench',
        namespace: 'flink',
        kind: 'FlinkDeployment',
        name: `job-${vertices}`,
      };
      const ids = vertexIds(vertices);
      const state = aFullState(ids, 3);
      let stateBytes = 0;
      let sampleBytes = 0;
      let bytesWritten = 0;
      const totalCycles = windowMinutes + measuredCycles;
      for (let cycle = 0; cycle < totalCycles; cycle++) {
        recording = cycle >= windowMinutes;
        const nowMs = T0 + cycle * MIN;
        const loaded = await store.load(key, { sinceMs: nowMs - windowMinutes * MIN });
        const saved = await store.save(key, loaded, {
          state: { ...state, lastEvaluationMs: nowMs },
          sample: aFullSample(ids, nowMs),
          windowMs: windowMinutes * MIN,
        });
        stateBytes = saved.stateBytes;
        sampleBytes = saved.sampleBytes;
        if (recording) bytesWritten += saved.sampleBytes + (saved.stateWritten ? saved.stateBytes : 0);
      }
      const units = (ops: CapacityReport['operation'][]): number =>
        reports.filter((r) => ops.includes(r.operation)).reduce((sum, r) => sum + r.capacityUnits, 0) /
        measuredCycles;
      const readUnits = units(['load']);
      // The history context is written only when the job's topology or configuration changes.
      const stateWriteUnits = units(['save-state', 'save-sample', 'save-history-context']);
      const usdPerJobMonth =
        (CYCLES_PER_MONTH *
          (readUnits * US_EAST_1_PRICES.dynamodb.usdPerMillionReadUnits +
            stateWriteUnits * US_EAST_1_PRICES.dynamodb.usdPerMillionWriteUnits)) /
        1e6;
      // Storage: state + the samples the replay history keeps at its default retention, one a minute.
      const retained = retainedSamplesPerJob(defaultOptions().historyRetentionMs, MIN, windowMinutes * MIN);
      const storedBytes = stateBytes + retained * (sampleBytes + 100);
      rows.push({
        vertices,
        stateItemBytes: stateBytes,
        sampleItemBytes: sampleBytes,
        bytesWrittenPerCycle: Math.round(bytesWritten / measuredCycles),
        readUnitsPerCycle: readUnits,
        stateWriteUnitsPerCycle: stateWriteUnits,
        requestsPerCycle: reports.length / measuredCycles,
        usdPerJobMonth,
        storageUsdPerJobMonth: (storedBytes / 1024 ** 3) * US_EAST_1_PRICES.dynamodb.usdPerGbMonthStorage,
      });
    }
    return rows;
  } finally {
    await dynalite.close();
  }
}

/** The rows as a Markdown table (what the README shows). */
export function formatDynamoDbCostTable(rows: readonly DynamoDbCostRow[]): string {
  const lines = [
    '| vertices | STATE item | SAMPLE item | bytes written / cycle | RRU / cycle | WRU / cycle (state+sample) | requests / cycle | USD / job / month (requests) | USD / job / month (storage) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.vertices} | ${kb(r.stateItemBytes)} | ${kb(r.sampleItemBytes)} | ${kb(r.bytesWrittenPerCycle)} | ${round2(r.readUnitsPerCycle)} | ${round2(r.stateWriteUnitsPerCycle)} | ${round2(r.requestsPerCycle)} | ${r.usdPerJobMonth.toFixed(3)} | ${r.storageUsdPerJobMonth.toFixed(5)} |`,
    );
  }
  return lines.join('\n');
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatDynamoDbCostTable(await measureDynamoDbCost()));
}
