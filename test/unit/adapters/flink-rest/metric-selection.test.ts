import { describe, expect, it } from 'vitest';
import {
  assembleVertexMetrics,
  countSourcePartitions,
  encodeMetricIds,
  mergeAggregates,
  parseAggregatedMetrics,
  parseJobDetails,
  readFlinkNumber,
  selectVertexMetrics,
} from '../../../../lib/adapters/flink-rest/index.ts';
import { FlinkResponseFormatError } from '../../../../lib/ports/metrics-source.ts';

const KAFKA_SOURCE_IDS = [
  'busyTimeMsPerSecond',
  'backPressuredTimeMsPerSecond',
  'numRecordsInPerSecond',
  'Source__orders.numRecordsInPerSecond',
  'Source__orders.numRecordsIn',
  'Source__orders.numRecordsOut',
  'Source__orders.numRecordsOutPerSecond',
  'Source__orders.pendingRecords',
  'Source__orders.KafkaSourceReader.topic.orders.partition.0.currentOffset',
  'Source__orders.KafkaSourceReader.topic.orders.partition.1.currentOffset',
  'Source__orders.KafkaSourceReader.topic.orders.partition.1.committedOffset',
  'enrich.pendingRecords',
];

describe('selectVertexMetrics', () => {
  it('maps a Kafka source listing to logical metrics (all pendingRecords ids)', () => {
    const selection = selectVertexMetrics(KAFKA_SOURCE_IDS, true);
    expect(selection.missingRequired).toEqual([]);
    expect(selection.logicalById.get('enrich.pendingRecords')).toBe('pendingRecords');
    expect(selection.logicalById.get('Source__orders.numRecordsIn')).toBe('sourceNumRecordsIn');
    // task-level numRecordsInPerSecond is only read for non-sources
    expect(selection.queryIds).not.toContain('numRecordsInPerSecond');
  });

  it('queries one id where Java reads one (findAny) and every pendingRecords id (findAll)', () => {
    // a vertex with two chained sources (multiple-input source chaining) lists two of each
    const twoSources = [
      'busyTimeMsPerSecond',
      'backPressuredTimeMsPerSecond',
      'Source__b.numRecordsIn',
      'Source__a.numRecordsIn',
      'Source__b.numRecordsInPerSecond',
      'Source__a.numRecordsInPerSecond',
      'Source__b.numRecordsOut',
      'Source__a.numRecordsOut',
      'Source__b.pendingRecords',
      'Source__a.pendingRecords',
    ];
    const selection = selectVertexMetrics(twoSources, true);
    expect(selection.queryIds).toEqual([
      'busyTimeMsPerSecond',
      'backPressuredTimeMsPerSecond',
      'Source__a.numRecordsInPerSecond',
      'Source__a.numRecordsIn',
      'Source__a.numRecordsOut',
      'Source__a.pendingRecords',
      'Source__b.pendingRecords',
    ]);
    const aggregated = parseAggregatedMetrics(
      selection.queryIds.map((id) => ({ id, min: 1, max: 4, avg: 2, sum: id.startsWith('Source__b') ? 10 : 5 })),
      'test',
    );
    const metrics = assembleVertexMetrics(selection, aggregated, { readRecords: 0, writeRecords: 0 }, false);
    expect(metrics.sourceNumRecordsIn).toBe(5);
    expect(metrics.pendingRecords).toBe(15);
  });

  it('names missing required metrics of a source and of a non-source', () => {
    expect(selectVertexMetrics(['numRecordsInPerSecond'], true).missingRequired).toEqual([
      'busyTimeMsPerSecond',
      'backPressuredTimeMsPerSecond',
      'Source__*.numRecordsInPerSecond',
      'Source__*.numRecordsIn',
    ]);
    expect(selectVertexMetrics(['numRecordsInPerSecond'], false)).toMatchObject({
      missingRequired: ['busyTimeMsPerSecond'],
      queryIds: ['numRecordsInPerSecond'],
    });
  });

  it('assembles sums, merges several pendingRecords and keeps NaN busy time', () => {
    const selection = selectVertexMetrics(KAFKA_SOURCE_IDS, true);
    const aggregated = parseAggregatedMetrics(
      [
        { id: 'busyTimeMsPerSecond', min: 'NaN', max: 'NaN', avg: 'NaN', sum: 'NaN' },
        { id: 'Source__orders.pendingRecords', min: 1, max: 5, avg: 3, sum: 6 },
        { id: 'enrich.pendingRecords', min: 0, max: 10, avg: 5, sum: 10 },
        { id: 'Source__orders.numRecordsInPerSecond', min: 10, max: 20, avg: 15, sum: 30 },
      ],
      'test',
    );
    const metrics = assembleVertexMetrics(selection, aggregated, { readRecords: 0, writeRecords: 7 }, false);
    expect(metrics.pendingRecords).toBe(16);
    expect(metrics.sourceNumRecordsInPerSecond).toBe(30);
    expect(metrics.busyTimeMsPerSecond?.max).toBeNaN();
    expect(metrics.writeRecords).toBe(7);
    expect(metrics).not.toHaveProperty('finished');
  });
});

describe('helpers', () => {
  it('mergeAggregates: min of mins, max of maxes, sum of sums, avg unknown', () => {
    expect(
      mergeAggregates([
        { min: 1, max: 5, avg: 3, sum: 6 },
        { min: 0, max: 10, avg: 5, sum: 10 },
      ]),
    ).toEqual({
      min: 0,
      max: 10,
      sum: 16,
    });
  });

  it('readFlinkNumber reads numbers, numeric strings and non-finite strings', () => {
    expect(readFlinkNumber('16')).toBe(16);
    expect(readFlinkNumber(' 689.48 ')).toBe(689.48);
    expect(readFlinkNumber('NaN')).toBeNaN();
    expect(readFlinkNumber('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(readFlinkNumber('false')).toBeUndefined();
    expect(readFlinkNumber(null)).toBeUndefined();
  });

  it('encodeMetricIds percent-encodes operator characters but keeps the separating commas', () => {
    expect(encodeMetricIds(['Source__a+b_(x).pendingRecords', 'c->d.numRecordsIn'])).toBe(
      'Source__a%2Bb_%28x%29.pendingRecords,c-%3Ed.numRecordsIn',
    );
  });

  it('counts Kafka partitions on bare (aggregated-listing) ids too', () => {
    expect(countSourcePartitions(KAFKA_SOURCE_IDS)).toBe(2);
    expect(countSourcePartitions(['busyTimeMsPerSecond'])).toBe(0);
  });
});

describe('parseJobDetails errors name the bad field', () => {
  const base = {
    jid: 'a1',
    state: 'RUNNING',
    timestamps: { RUNNING: 5 },
    vertices: [{ id: 'v1', parallelism: 1, maxParallelism: 8, status: 'RUNNING' }],
    plan: { nodes: [{ id: 'v1', parallelism: 1 }] },
  };

  it.each([
    ['missing jid', { ...base, jid: undefined }, 'jid'],
    [
      'unknown input vertex',
      { ...base, plan: { nodes: [{ id: 'v1', parallelism: 1, inputs: [{ id: 'zz' }] }] } },
      'plan.nodes[id=v1].inputs[0].id',
    ],
    [
      'bad parallelism',
      { ...base, plan: { nodes: [{ id: 'v1', parallelism: 'many' }] } },
      'plan.nodes[0].parallelism',
    ],
    ['plan not JSON', { ...base, plan: "RawJson{json='{oops'}" }, 'plan'],
    ['vertices not an array', { ...base, vertices: {} }, 'vertices'],
  ])('%s', (_name, body, field) => {
    let caught: unknown;
    try {
      parseJobDetails(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlinkResponseFormatError);
    expect((caught as FlinkResponseFormatError).field).toBe(field);
  });

  it('rejects a cycle', () => {
    const body = {
      ...base,
      vertices: [],
      maxParallelism: 4,
      plan: {
        nodes: [
          { id: 'a', parallelism: 1, inputs: [{ id: 'b' }] },
          { id: 'b', parallelism: 1, inputs: [{ id: 'a' }] },
        ],
      },
    };
    expect(() => parseJobDetails(body)).toThrow(/cycle/);
  });

  it('empty plan gives no vertices (the source turns that into NotReady)', () => {
    expect(parseJobDetails({ ...base, vertices: [], plan: { nodes: [] } }).vertices).toEqual([]);
  });
});
