import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeMetricIds, RecordedRestClient, readCaptureIndex } from '../../../../lib/adapters/flink-rest/index.ts';
import { FlinkRestError, JobNotFoundError } from '../../../../lib/ports/metrics-source.ts';

const JOB = 'a'.repeat(32);
const target = { restBaseUrl: 'http://recorded' };
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fsa-recorded-'));
  await writeFile(join(dir, 'metrics.json'), JSON.stringify([{ id: 'a+b', value: '1' }]));
  await writeFile(join(dir, 'broken.json'), '<html>');
  await writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      jobId: JOB,
      responses: [
        { file: 'metrics.json', path: '/taskmanagers/metrics', query: { get: encodeMetricIds(['x.y', 'a+b']), agg: 'max' }, status: 200 },
        { file: 'broken.json', path: '/overview', status: 200 },
        { path: `/jobs/${JOB}/jobmanager/config`, status: 404, error: 'Not found' },
        { path: '/config', status: 'error', error: 'connection refused' },
      ],
    }),
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('RecordedRestClient', () => {
  it('answers a recorded call whatever the order of the query keys and metric ids', async () => {
    const client = new RecordedRestClient(dir, await readCaptureIndex(dir));
    const body = await client.getJson(target, {
      path: '/taskmanagers/metrics',
      query: { agg: 'max', get: encodeMetricIds(['a+b', 'x.y']) },
      timeoutMs: 1,
    });
    expect(body).toEqual([{ id: 'a+b', value: '1' }]);
  });

  it('replays recorded failures with the typed errors of the live client', async () => {
    const client = new RecordedRestClient(dir, await readCaptureIndex(dir));
    await expect(client.getJson(target, { path: `/jobs/${JOB}/jobmanager/config`, timeoutMs: 1 })).rejects.toBeInstanceOf(
      JobNotFoundError,
    );
    await expect(client.getJson(target, { path: '/config', timeoutMs: 1 })).rejects.toMatchObject({
      kind: 'connection',
      message: 'connection refused',
    });
    await expect(client.getJson(target, { path: '/overview', timeoutMs: 1 })).rejects.toMatchObject({ kind: 'non-json' });
  });

  it('answers a call the capture did not make with a 404 that names the capture', async () => {
    const client = new RecordedRestClient(dir, await readCaptureIndex(dir));
    const error = await client.getJson(target, { path: '/jobs/overview', timeoutMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlinkRestError);
    expect(error).not.toBeInstanceOf(JobNotFoundError);
    expect((error as FlinkRestError).status).toBe(404);
    expect((error as Error).message).toContain(`was not recorded in ${dir}`);
  });

  it('rejects a directory whose index.json is not an fsa record index', async () => {
    await writeFile(join(dir, 'index.json'), JSON.stringify({ responses: [] }));
    await expect(readCaptureIndex(dir)).rejects.toThrow(/not an fsa record index \(expected jobId and responses\)/);
    await expect(readCaptureIndex(join(dir, 'missing'))).rejects.toThrow(/cannot be read as JSON/);
  });
});
