/**
 * JSON schema (draft-07, for ajv) of {@link FlinkSimulatorScenario}. Cross-field rules (unique
 * ids, edges to known vertices, acyclic graph, sources ⇔ no inputs) are checked in
 * parse-scenario.ts because a schema cannot express them.
 */

const duration = {
  anyOf: [
    { type: 'number', minimum: 0 },
    { type: 'string', pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|min|h|d)?\\s*$' },
  ],
};
const rate = { type: 'number', minimum: 0 };
const signedRate = { type: 'number' };

/** Load component types; also used to word the error of an unknown `type`. */
export const LOAD_COMPONENT_TYPES = ['constant', 'steps', 'diurnal', 'spikes'] as const;

// A discriminated union: ajv's `discriminator` picks the branch by `type`, so errors name the
// fields of that branch instead of listing failures of every alternative.
const loadComponent = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: LOAD_COMPONENT_TYPES } },
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      required: ['type', 'recordsPerSecond'],
      additionalProperties: false,
      properties: { type: { const: 'constant' }, recordsPerSecond: signedRate },
    },
    {
      required: ['type', 'steps'],
      additionalProperties: false,
      properties: {
        type: { const: 'steps' },
        steps: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['atMs', 'recordsPerSecond'],
            additionalProperties: false,
            properties: { atMs: duration, recordsPerSecond: signedRate },
          },
        },
      },
    },
    {
      required: ['type', 'meanRecordsPerSecond', 'amplitudeRecordsPerSecond'],
      additionalProperties: false,
      properties: {
        type: { const: 'diurnal' },
        meanRecordsPerSecond: signedRate,
        amplitudeRecordsPerSecond: rate,
        periodMs: duration,
        peakAtMs: duration,
        holdFromMs: duration,
      },
    },
    {
      required: ['type', 'spikes'],
      additionalProperties: false,
      properties: {
        type: { const: 'spikes' },
        spikes: {
          type: 'array',
          items: {
            type: 'object',
            required: ['atMs', 'durationMs', 'recordsPerSecond'],
            additionalProperties: false,
            properties: { atMs: duration, durationMs: duration, recordsPerSecond: signedRate },
          },
        },
      },
    },
  ],
};

const positiveInteger = { type: 'integer', minimum: 1 };

/** The scenario schema. */
export const SCENARIO_SCHEMA = {
  $id: 'https://flink-serverless-autoscaler.local/flink-simulator-scenario.json',
  type: 'object',
  required: ['job'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    flinkVersion: { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?$' },
    startTimeMs: { type: 'integer', minimum: 0 },
    stepMs: duration,
    metricsDelayMs: duration,
    configuration: { type: 'object', additionalProperties: { type: 'string' } },
    failure: {
      type: 'object',
      required: ['aboveParallelism'],
      additionalProperties: false,
      properties: {
        aboveParallelism: positiveInteger,
        state: { enum: ['RESTARTING', 'FAILED'] },
      },
    },
    restart: {
      type: 'object',
      additionalProperties: false,
      properties: { downtimeMs: duration, mode: { enum: ['redeploy', 'in-place'] } },
    },
    taskManager: {
      type: 'object',
      additionalProperties: false,
      properties: {
        slots: positiveInteger,
        heapMaxBytes: { type: 'number', exclusiveMinimum: 0 },
        heapBaseUsedBytes: { type: 'number', minimum: 0 },
        heapBytesPerRecordPerSecond: { type: 'number', minimum: 0 },
        managedTotalBytes: { type: 'number', minimum: 0 },
        managedUsedFraction: { type: 'number', minimum: 0, maximum: 1 },
        metaspaceUsedBytes: { type: 'number', minimum: 0 },
        gcMsPerSecondAtFullHeap: { type: 'number', minimum: 0, maximum: 1000 },
        processSizeBytes: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    job: {
      type: 'object',
      required: ['vertices'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        maxParallelism: positiveInteger,
        vertices: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['id', 'parallelism', 'costMsPerRecord'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', minLength: 1 },
              name: { type: 'string', minLength: 1 },
              vertexId: { type: 'string', pattern: '^[0-9a-f]{32}$' },
              parallelism: positiveInteger,
              maxParallelism: positiveInteger,
              costMsPerRecord: { type: 'number', exclusiveMinimum: 0 },
              selectivity: { type: 'number', minimum: 0 },
              keySkew: { type: 'number', minimum: 1 },
              scalabilityExponent: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
              coordinationOverhead: { type: 'number', minimum: 0 },
              slotSharingGroup: { type: 'string', minLength: 1 },
              collapse: {
                type: 'object',
                required: ['aboveParallelism', 'capacityFactor'],
                additionalProperties: false,
                properties: {
                  aboveParallelism: positiveInteger,
                  capacityFactor: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
                },
              },
              source: {
                type: 'object',
                required: ['load'],
                additionalProperties: false,
                properties: {
                  type: { enum: ['kafka', 'legacy'] },
                  topic: { type: 'string', minLength: 1 },
                  partitions: positiveInteger,
                  kafkaCluster: { type: 'string', minLength: 1 },
                  initialLagRecords: { type: 'number', minimum: 0 },
                  load: {
                    if: { type: 'array' },
                    // JSON-schema keyword, not a thenable
                    then: { type: 'array', minItems: 1, items: loadComponent },
                    else: loadComponent,
                  },
                },
              },
            },
          },
        },
        edges: {
          type: 'array',
          items: {
            type: 'object',
            required: ['from', 'to'],
            additionalProperties: false,
            properties: {
              from: { type: 'string', minLength: 1 },
              to: { type: 'string', minLength: 1 },
              shipStrategy: {
                enum: ['HASH', 'REBALANCE', 'RESCALE', 'FORWARD', 'BROADCAST', 'GLOBAL', 'SHUFFLE', 'CUSTOM'],
              },
            },
          },
        },
      },
    },
  },
} as const;
