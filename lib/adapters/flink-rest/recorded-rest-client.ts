/**
 * A {@link FlinkJsonClient} that answers from one `fsa record` capture (a directory of JSON files
 * with `index.json`) instead of a cluster, so the real collector (`FlinkRestMetricsSource`)
 * turns a recorded capture into `RawJobMetrics` exactly as it reads a live cluster.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FlinkJobTarget, FlinkRestError } from '../../ports/metrics-source.ts';
import { type FlinkGet, type FlinkJsonClient, statusError } from './flink-rest-client.ts';
import type { RecordedResponse } from './record-rest-responses.ts';

/** The `index.json` of a capture, as `recordRestResponses` writes it. */
export interface RecordedCaptureIndex {
  readonly restBaseUrl?: string;
  readonly jobId: string;
  /** Epoch ms of the capture; absent in captures recorded before it was added. */
  readonly capturedAtMs?: number;
  /** ISO-8601 form of `capturedAtMs`. */
  readonly capturedAt?: string;
  readonly responses: readonly RecordedResponse[];
}

/** A capture directory whose `index.json` is missing or not of the recorded shape. */
export class RecordedCaptureError extends Error {
  override readonly name = 'RecordedCaptureError';
}

/** Reads and checks a capture's `index.json`. @throws {RecordedCaptureError} */
export async function readCaptureIndex(dir: string): Promise<RecordedCaptureIndex> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  } catch (error) {
    throw new RecordedCaptureError(`${dir}/index.json cannot be read as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const index = json as Partial<RecordedCaptureIndex> | null;
  if (typeof index !== 'object' || index === null || typeof index.jobId !== 'string' || !Array.isArray(index.responses)) {
    throw new RecordedCaptureError(`${dir}/index.json is not an fsa record index (expected jobId and responses)`);
  }
  return index as RecordedCaptureIndex;
}

/**
 * The query of a call in a form both sides agree on: keys sorted, each comma-separated metric id
 * decoded (the recorder and the collector encode ids the same way, but order and escaping of a
 * recording made by another release may differ).
 */
function queryKey(query: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(query ?? {}).map(
    ([key, value]) => [key, value.split(',').map((part) => decodeURIComponent(part)).sort().join(',')] as const,
  );
  return JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)));
}

/** Answers the collector's GETs from the files of one capture. */
export class RecordedRestClient implements FlinkJsonClient {
  readonly #dir: string;
  readonly #byCall: Map<string, RecordedResponse>;

  constructor(dir: string, index: RecordedCaptureIndex) {
    this.#dir = dir;
    this.#byCall = new Map(index.responses.map((response) => [`${response.path}?${queryKey(response.query)}`, response]));
  }

  async getJson(_target: FlinkJobTarget, get: FlinkGet): Promise<unknown> {
    const recorded = this.#byCall.get(`${get.path}?${queryKey(get.query)}`);
    if (recorded === undefined) {
      throw new FlinkRestError('http-status', get.path, 404, `Flink REST ${get.path} was not recorded in ${this.#dir}`);
    }
    if (recorded.file === undefined) {
      if (typeof recorded.status === 'number') {
        throw statusError(recorded.status, JSON.stringify({ errors: [recorded.error ?? ''] }), get.path);
      }
      throw new FlinkRestError('connection', get.path, undefined, recorded.error ?? `Flink REST ${get.path} failed when recorded`);
    }
    const text = await readFile(join(this.#dir, recorded.file), 'utf8');
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new FlinkRestError('non-json', get.path, 200, `${this.#dir}/${recorded.file} is not JSON`, { cause });
    }
  }

  async close(): Promise<void> {
    // Nothing is held open: every answer is a file read.
  }
}
