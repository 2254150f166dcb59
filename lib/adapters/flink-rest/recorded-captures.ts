/**
 * {@link ObservationHistorySource} over a directory of `fsa record` captures taken over time
 * (`fsa replay --captures <dir>`): one sub-directory per capture (or the directory itself when it
 * is a single capture). Each capture goes through the real collector via
 * {@link RecordedRestClient}; there is no second parser of the REST responses.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AutoscalerOptions } from '../../config/index.ts';
import type { JobObservation } from '../../domain/index.ts';
import { MetricsSourceError } from '../../ports/metrics-source.ts';
import type { ObservationHistory, ObservationHistorySource, ObservationRange } from '../../ports/observation-history.ts';
import { FlinkRestMetricsSource } from './flink-rest-metrics-source.ts';
import { type RecordedCaptureIndex, RecordedCaptureError, RecordedRestClient, readCaptureIndex } from './recorded-rest-client.ts';

/** Options of {@link RecordedCapturesSource}. */
export interface RecordedCapturesSourceOptions {
  /** The directory holding the captures. */
  readonly dir: string;
  /** Options the collector runs with (REST timeout, stabilization interval, vertex exclusions). */
  readonly options: AutoscalerOptions;
}

/** One capture found in the directory, with its time. */
interface FoundCapture {
  readonly dir: string;
  readonly index: RecordedCaptureIndex;
  readonly atMs: number;
}

/** Reads a directory of captures as observations of one job. */
export class RecordedCapturesSource implements ObservationHistorySource {
  readonly #dir: string;
  readonly #options: AutoscalerOptions;

  constructor(options: RecordedCapturesSourceOptions) {
    this.#dir = options.dir;
    this.#options = options.options;
  }

  /**
   * The captures within `range`, oldest first. A capture that cannot be read or collected (the job
   * was not RUNNING, a required response is missing) is left out with a warning: one bad capture
   * never stops the replay.
   *
   * @throws {RecordedCaptureError} when the directory holds no capture at all.
   */
  async read(range: ObservationRange): Promise<ObservationHistory> {
    const warnings: string[] = [];
    const found = await this.#findCaptures(warnings);
    if (found.length === 0 && warnings.length === 0) {
      throw new RecordedCaptureError(
        `${this.#dir} holds no fsa record capture (a directory with index.json, or sub-directories each with one)`,
      );
    }
    const inRange = found
      .filter((c) => (range.fromMs === undefined || c.atMs >= range.fromMs) && (range.toMs === undefined || c.atMs <= range.toMs))
      .sort((a, b) => a.atMs - b.atMs);
    const observations: JobObservation[] = [];
    for (const capture of inRange) {
      const observation = await this.#collect(capture, warnings);
      if (observation) observations.push(observation);
    }
    return { observations, warnings };
  }

  async #findCaptures(warnings: string[]): Promise<FoundCapture[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.#dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new RecordedCaptureError(`the captures directory ${this.#dir} cannot be read (${code})`, { cause: error });
    }
    const dirs = entries.some((e) => e.isFile() && e.name === 'index.json')
      ? [this.#dir]
      : entries.filter((e) => e.isDirectory()).map((e) => join(this.#dir, e.name)).sort();
    const found: FoundCapture[] = [];
    for (const dir of dirs) {
      let index: RecordedCaptureIndex;
      try {
        index = await readCaptureIndex(dir);
      } catch (error) {
        warnings.push(`capture ${dir} skipped: ${(error as Error).message}`);
        continue;
      }
      found.push({ dir, index, atMs: await captureTimeMs(dir, index, warnings) });
    }
    return found;
  }

  async #collect(capture: FoundCapture, warnings: string[]): Promise<JobObservation | undefined> {
    const collector = new FlinkRestMetricsSource({ client: new RecordedRestClient(capture.dir, capture.index) });
    try {
      const raw = await collector.collect(
        { restBaseUrl: capture.index.restBaseUrl ?? capture.dir, jobId: capture.index.jobId },
        this.#options,
        capture.atMs,
      );
      return { atMs: capture.atMs, raw };
    } catch (error) {
      if (!(error instanceof MetricsSourceError)) throw error;
      warnings.push(`capture ${capture.dir} (${new Date(capture.atMs).toISOString()}) skipped: ${error.message}`);
      return undefined;
    } finally {
      await collector.close();
    }
  }
}

/**
 * The capture's own time (`capturedAtMs`, else `capturedAt`); a capture recorded before `fsa record`
 * wrote one falls back to the modification time of its `index.json`, with a warning.
 */
async function captureTimeMs(dir: string, index: RecordedCaptureIndex, warnings: string[]): Promise<number> {
  if (typeof index.capturedAtMs === 'number' && Number.isFinite(index.capturedAtMs)) return index.capturedAtMs;
  const parsed = typeof index.capturedAt === 'string' ? Date.parse(index.capturedAt) : Number.NaN;
  if (!Number.isNaN(parsed)) return parsed;
  const { mtimeMs } = await stat(join(dir, 'index.json'));
  warnings.push(
    `capture ${dir} has no capturedAt in index.json (recorded by an older fsa record): using the file's modification time ${new Date(mtimeMs).toISOString()}`,
  );
  return Math.round(mtimeMs);
}
