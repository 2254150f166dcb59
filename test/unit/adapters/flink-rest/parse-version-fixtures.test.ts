import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseAggregatedMetrics,
  parseClusterOverview,
  parseConfigurationEntries,
  parseDashboardConfig,
  parseJobDetails,
  parseJobIdsWithStatus,
  parseJobsOverview,
  parseMetricIdList,
  parseMetricValues,
  parseTaskManagers,
  unwrapPlan,
} from '../../../../lib/adapters/flink-rest/index.ts';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/flink-rest');
const VERSIONS = ['1.18', '1.19', '1.20', '2.x'];

interface IndexEntry {
  file?: string;
  path: string;
  query?: Record<string, string>;
  status: number | 'error';
}

/** Parser for a recorded call, chosen by path and whether `get` was passed. */
function parserFor(entry: IndexEntry): (body: unknown, path: string) => unknown {
  const path = entry.path;
  const withGet = entry.query?.['get'] !== undefined;
  if (path === '/overview') return parseClusterOverview;
  if (path === '/config') return parseDashboardConfig;
  if (path === '/jobs') return parseJobIdsWithStatus;
  if (path === '/jobs/overview') return parseJobsOverview;
  if (path.endsWith('/jobmanager/config')) return parseConfigurationEntries;
  if (path === '/taskmanagers') return parseTaskManagers;
  if (path === '/taskmanagers/metrics') return withGet ? parseAggregatedMetrics : parseMetricIdList;
  if (path === '/jobmanager/metrics') return withGet ? parseMetricValues : parseMetricIdList;
  if (path.endsWith('/subtasks/metrics')) return withGet ? parseAggregatedMetrics : parseMetricIdList;
  if (path.endsWith('/plan')) return (body, p) => unwrapPlan(body, p);
  if (/^\/jobs\/[0-9a-f]{32}\/(status|config)$/.test(path)) return (body) => body;
  if (/^\/jobs\/[0-9a-f]{32}$/.test(path)) return parseJobDetails;
  throw new Error(`no parser for ${path}`);
}

describe.each(VERSIONS)('Flink %s fixtures', (version) => {
  const dir = join(FIXTURES, version);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
    jobId: string;
    responses: IndexEntry[];
  };
  const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

  it('every recorded file is listed in index.json and parses', () => {
    const listed = index.responses.filter((entry) => entry.file);
    const files = readdirSync(dir).filter((file) => file !== 'index.json');
    expect(listed.map((entry) => entry.file).sort()).toEqual(files.sort());
    for (const entry of listed)
      expect(parserFor(entry)(load(entry.file!), entry.path), entry.file).toBeDefined();
  });

  it('job details: 3 vertices in order, version-specific fields', () => {
    const details = parseJobDetails(load('jobs-jobid.json'));
    expect(details.jobId).toBe(index.jobId);
    expect(details.vertices.map((v) => v.name)).toEqual([
      'Source: Kafka Source (orders)',
      'enrich -> Filter',
      'Sink: Writer -> Sink: Committer',
    ]);
    const hasSlotSharing = version !== '1.18' && version !== '1.19';
    expect(details.vertices.every((v) => (v.slotSharingGroupId !== undefined) === hasSlotSharing)).toBe(true);
    expect(details.vertices[0]?.maxParallelism).toBe(720);
  });

  it('GC metric and per-job configuration exist from 1.19 on', () => {
    const withGc = parseAggregatedMetrics(load('taskmanagers-metrics-get-with-gc.json'), 'tm');
    const perJobConfig = index.responses.find((e) => e.path === `/jobs/${index.jobId}/jobmanager/config`);
    if (version === '1.18') {
      expect(withGc.size).toBe(0);
      expect(perJobConfig?.status).toBe(404);
    } else {
      expect(withGc.has('Status.JVM.GarbageCollector.All.TimeMsPerSecond')).toBe(true);
      expect(perJobConfig?.status).toBe(200);
    }
  });
});
