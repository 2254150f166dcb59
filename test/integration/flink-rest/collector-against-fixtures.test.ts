import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlinkRestMetricsSource } from '../../../lib/adapters/flink-rest/index.ts';
import { defaultOptions } from '../../../lib/config/index.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/flink-rest');

interface IndexEntry {
  file?: string;
  path: string;
  query?: Record<string, string>;
  status: number | 'error';
}

/** Tiny fixture server: answers exactly the recorded calls (path + decoded query), 404 otherwise. */
async function serveFixtures(dir: string): Promise<{ url: string; server: Server }> {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { responses: IndexEntry[] };
  const decoded = (query: Record<string, string> | undefined) =>
    JSON.stringify(
      Object.entries(query ?? {})
        .map(([k, v]) => [k, decodeURIComponent(v)])
        .sort(),
    );
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixtures');
    const query = decoded(
      Object.fromEntries([...url.searchParams].map(([k, v]) => [k, encodeURIComponent(v)])),
    );
    const entry = index.responses.find((e) => e.path === url.pathname && decoded(e.query) === query);
    const body = entry?.file
      ? readFileSync(join(dir, entry.file), 'utf8')
      : JSON.stringify({ errors: ['Not found'] });
    response.writeHead(entry?.file ? 200 : typeof entry?.status === 'number' ? entry.status : 404, {
      'content-type': 'application/json',
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let server: Server | undefined;
let source: FlinkRestMetricsSource | undefined;
afterEach(async () => {
  await source?.close();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe.each(['1.18', '1.19', '1.20', '2.x'])('collector replays the Flink %s fixtures', (version) => {
  it('produces complete RawJobMetrics', async () => {
    const dir = join(FIXTURES, version);
    const { jobId } = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { jobId: string };
    const served = await serveFixtures(dir);
    server = served.server;
    source = new FlinkRestMetricsSource();
    const raw = await source.collect({ restBaseUrl: served.url, jobId }, defaultOptions(), 1_752_990_120_000);
    expect(raw.missingRequired).toEqual([]);
    expect(raw.topology.vertices.map((v) => v.numSourcePartitions)).toEqual([6, 0, 0]);
    const sourceId = raw.topology.vertices[0]!.id;
    // 2500 rec/s arrive, enrich (2 × 1000 rec/s, skew 1.2 → 1666.7 rec/s) is the bottleneck.
    expect(raw.vertices[sourceId]?.sourceNumRecordsInPerSecond).toBeCloseTo(1666.667, 2);
    expect(raw.vertices[sourceId]?.pendingRecords).toBeGreaterThan(90_000);
    expect(raw.taskManagers.gcTimeMsPerSecond === undefined).toBe(version === '1.18');
    expect(raw.flinkConfiguration?.['pipeline.max-parallelism']).toBe('720');
    expect(raw.jobManager.taskSlotsTotal).toBe(2);
  });
});

describe('collector on a captured Flink 1.16 job with a FINISHED source', () => {
  it('skips metric calls for the finished vertex and marks it finished', async () => {
    const sample = readFileSync(
      join(
        import.meta.dirname,
        '../../../../shared/reference/flink-rest-samples/1.16-jobs-jobid-two-input-join.json',
      ),
      'utf8',
    );
    const details = JSON.parse(sample) as { jid: string; vertices: { id: string; status: string }[] };
    const finished = details.vertices.find((v) => v.status === 'FINISHED')!.id;
    const paths: string[] = [];
    server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://fixtures');
      paths.push(url.pathname);
      const json = (body: unknown) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (url.pathname === `/jobs/${details.jid}`) return json(sample);
      if (url.pathname.endsWith('/subtasks/metrics')) {
        const ids = [
          'busyTimeMsPerSecond',
          'backPressuredTimeMsPerSecond',
          'numRecordsInPerSecond',
          'Source__t1.numRecordsIn',
          'Source__t1.numRecordsInPerSecond',
        ];
        const get = url.searchParams.get('get');
        return json(
          get === null
            ? ids.map((id) => ({ id }))
            : get.split(',').map((id) => ({ id, min: 1, max: 2, avg: 1.5, sum: 3 })),
        );
      }
      if (url.pathname === '/taskmanagers/metrics') {
        const get = url.searchParams.get('get') ?? '';
        return json(get.split(',').map((id) => ({ id, min: 1, max: 1, avg: 1 })));
      }
      if (url.pathname === '/jobmanager/metrics') return json([{ id: 'taskSlotsTotal', value: '4' }]);
      if (url.pathname === '/jobmanager/config')
        return json([{ key: 'taskmanager.numberOfTaskSlots', value: '4' }]);
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ errors: ['Not found'] }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    source = new FlinkRestMetricsSource();
    const raw = await source.collect(
      { restBaseUrl: url, jobId: details.jid },
      defaultOptions(),
      1_680_840_000_000,
    );
    expect(raw.topology.vertices.find((v) => v.id === finished)?.finished).toBe(true);
    expect(raw.vertices[finished]).toMatchObject({ finished: true });
    expect(raw.vertices[finished]?.busyTimeMsPerSecond).toBeUndefined();
    expect(paths.some((path) => path.includes(finished))).toBe(false);
    expect(raw.missingRequired).toEqual([]);
    // Flink < 1.19: per-job config 404 → cluster configuration.
    expect(raw.flinkConfiguration).toEqual({ 'taskmanager.numberOfTaskSlots': '4' });
    expect(raw.jobManager).toEqual({ taskSlotsTotal: 4 });
  });
});
