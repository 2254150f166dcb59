import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseAggregatedMetrics,
  parseCheckpointStatistics,
  parseClusterOverview,
  parseConfigurationEntries,
  parseDashboardConfig,
  parseJobDetails,
  parseJobsOverview,
  parseMetricIdList,
  parseMetricValues,
  parseTaskManagers,
  parseVertexDetails,
  selectVertexMetrics,
} from '../../../../lib/adapters/flink-rest/index.ts';

const SAMPLES_DIR = join(import.meta.dirname, '../../../../../shared/reference/flink-rest-samples');

/** Which parser handles which sample file; the first matching pattern wins. */
const PARSERS: readonly [RegExp, (body: unknown, file: string) => unknown][] = [
  [/-jobs-jobid-vertices-vertexid-subtasks-0-metrics-get\.json$/, parseMetricValues],
  [/-jobs-jobid-vertices-vertexid-subtasks-0-metrics\.json$/, parseMetricIdList],
  [/-jobs-jobid-vertices-vertexid\.json$/, parseVertexDetails],
  [/-jobs-jobid-checkpoints\.json$/, parseCheckpointStatistics],
  [/-jobs-jobid(-[a-z-]+)?\.json$/, parseJobDetails],
  [/-jobs-overview\.json$/, parseJobsOverview],
  [/-jobmanager-metrics-get\.json$/, parseMetricValues],
  [/-jobmanager-metrics\.json$/, parseMetricIdList],
  [/-jobmanager-config\.json$/, parseConfigurationEntries],
  [/-taskmanagers-tmid-metrics-get\.json$/, parseMetricValues],
  [/-taskmanagers-metrics-get-[a-z-]+\.json$/, parseAggregatedMetrics],
  [/-taskmanagers\.json$/, parseTaskManagers],
  [/-overview\.json$/, parseClusterOverview],
  [/-config\.json$/, parseDashboardConfig],
];

const sampleFiles = readdirSync(SAMPLES_DIR).filter((file) => file.endsWith('.json'));

function load(file: string): unknown {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, file), 'utf8'));
}

function parserFor(file: string) {
  const entry = PARSERS.find(([pattern]) => pattern.test(file));
  if (!entry) throw new Error(`no parser mapped for sample ${file}`);
  return entry[1];
}

describe('every reference sample parses through its parser', () => {
  it('finds the sample directory', () => {
    expect(sampleFiles.length).toBeGreaterThanOrEqual(23);
  });

  it.each(sampleFiles)('%s', (file) => {
    const result = parserFor(file)(load(file), file);
    expect(result).toBeDefined();
  });
});

describe('job details samples', () => {
  it('1.14: legacy counters without accumulated-*, HASH edge, sources first', () => {
    const details = parseJobDetails(load('1.14-jobs-jobid.json'));
    expect(details.state).toBe('RUNNING');
    expect(details.runningTsMs).toBe(1651445646413);
    expect(details.vertices.map((v) => v.id)).toEqual([
      'bc764cd8ddf7a0cff126f51c16239658',
      '20ba6b65f97481d5570070de90e4e791',
    ]);
    expect(details.vertices[1]?.inputs).toEqual([
      { id: 'bc764cd8ddf7a0cff126f51c16239658', shipStrategy: 'HASH' },
    ]);
    expect(details.vertices[0]?.maxParallelism).toBe(128);
    expect(details.ioCounters['bc764cd8ddf7a0cff126f51c16239658']).toEqual({
      readRecords: 0,
      writeRecords: 8562805,
    });
  });

  it('1.16: "NaN" string and float busy time', () => {
    const details = parseJobDetails(load('1.16-jobs-jobid.json'));
    expect(details.ioCounters['bc764cd8ddf7a0cff126f51c16239658']?.accumulatedBusyTimeMs).toBeNaN();
    expect(details.ioCounters['20ba6b65f97481d5570070de90e4e791']?.accumulatedBusyTimeMs).toBe(171);
  });

  it('1.16 two-input join: finished source, two HASH inputs, topological order', () => {
    const details = parseJobDetails(load('1.16-jobs-jobid-two-input-join.json'));
    const ids = details.vertices.map((v) => v.id.slice(0, 6));
    expect(ids.slice(0, 2).sort()).toEqual(['bc764c', 'feca28']);
    expect(ids.slice(2)).toEqual(['4bf7c1', 'c2cd52']);
    const join = details.vertices.find((v) => v.id.startsWith('4bf7c1'));
    expect(join?.inputs.map((input) => input.shipStrategy)).toEqual(['HASH', 'HASH']);
    expect(details.vertices.find((v) => v.id.startsWith('feca28'))?.finished).toBe(true);
    expect(details.vertices.find((v) => v.id.startsWith('c2cd52'))?.maxParallelism).toBe(1);
  });

  it('1.16 batch: FINISHED job, HASH[id] ship strategy maps to UNKNOWN', () => {
    const details = parseJobDetails(load('1.16-jobs-jobid-batch-finished.json'));
    expect(details.state).toBe('FINISHED');
    expect(details.planType).toBe('BATCH');
    expect(details.vertices.flatMap((v) => v.inputs.map((i) => i.shipStrategy))).toContain('UNKNOWN');
  });

  it('slot sharing group ids and unknown fields', () => {
    const details = parseJobDetails(load('unknown-jobs-jobid-slot-sharing-group.json'));
    expect(details.vertices.map((v) => v.slotSharingGroupId)).toEqual([
      'a9c52ec4c7200ab4bd141cbae8022105',
      'a9c52ec4c7200ab4bd141cbae8022105',
    ]);
    expect(details.ioCounters['bc764cd8ddf7a0cff126f51c16239658']?.accumulatedBusyTimeMs).toBe(13347);
  });

  it('1.17 RawJson{json=...} wrapped plan (Java client re-serialization) gives the same topology', () => {
    const body = load('1.17-jobs-jobid.json') as Record<string, unknown>;
    const plain = parseJobDetails(body);
    const wrapped = parseJobDetails({ ...body, plan: `RawJson{json='${JSON.stringify(body['plan'])}'}` });
    const asString = parseJobDetails({ ...body, plan: JSON.stringify(body['plan']) });
    expect(wrapped.vertices).toEqual(plain.vertices);
    expect(asString.vertices).toEqual(plain.vertices);
    expect(plain.vertices.map((v) => v.parallelism)).toEqual([2, 2]);
  });
});

describe('metric samples', () => {
  it('1.14 subtask listing selects the required source metrics of a legacy source', () => {
    const ids = parseMetricIdList(
      load('1.14-jobs-jobid-vertices-vertexid-subtasks-0-metrics.json'),
      'sample',
    );
    const selection = selectVertexMetrics(ids, true);
    expect(selection.queryIds).toContain('busyTimeMsPerSecond');
    expect(selection.queryIds).toContain('Source__Custom_Source.numRecordsInPerSecond');
    expect(selection.missingRequired).toEqual([]);
  });

  it('1.14 subtask values: strings become numbers, "NaN" stays NaN, booleans stay strings', () => {
    const values = parseMetricValues(
      load('1.14-jobs-jobid-vertices-vertexid-subtasks-0-metrics-get.json'),
      's',
    );
    expect(values.get('busyTimeMsPerSecond')).toBeNaN();
    expect(values.get('isBackPressured')).toBe('false');
  });

  it('aggregated docs examples keep only the aggregates present', () => {
    const partial = parseAggregatedMetrics(
      load('unknown-taskmanagers-metrics-get-agg-min-max-docs-example.json'),
      's',
    );
    expect(partial.get('metric1')).toEqual({ min: 1, max: 34 });
    const full = parseAggregatedMetrics(
      load('unknown-taskmanagers-metrics-get-aggregated-docs-example.json'),
      's',
    );
    expect(full.get('metric2')).toEqual({ min: 2, max: 14, avg: 7, sum: 16 });
  });

  it('1.14 JM metrics with string values', () => {
    const values = parseMetricValues(load('1.14-jobmanager-metrics-get.json'), 's');
    expect(typeof values.get('taskSlotsTotal')).toBe('number');
  });
});

describe('cluster samples', () => {
  it('overview, config, jobs overview, taskmanagers, checkpoints, jobmanager config', () => {
    expect(parseClusterOverview(load('1.13-overview.json'))).toMatchObject({
      slotsTotal: 25,
      flinkVersion: '1.13.5',
    });
    expect(parseDashboardConfig(load('1.15-config.json')).flinkVersion).toMatch(/^1\.15/);
    expect(parseJobsOverview(load('1.14-jobs-overview.json'))[0]?.state).toBe('RUNNING');
    expect(parseTaskManagers(load('1.14-taskmanagers.json'))[0]).toMatchObject({
      slotsNumber: 8,
      freeSlots: 7,
    });
    expect(parseCheckpointStatistics(load('1.15-jobs-jobid-checkpoints.json'))).toMatchObject({
      completed: 3,
      failed: 9,
    });
    expect(parseConfigurationEntries(load('1.9-jobmanager-config.json'), 's')['parallelism.default']).toBe(
      '1',
    );
  });
});
