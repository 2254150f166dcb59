import { describe, expect, it } from 'vitest';
import { RuntimeConfigError, readRuntimeConfig } from '../../../functions/shared/runtime-config.ts';

const VALID = {
  FSA_TABLE_NAME: 'fsa-state',
  FSA_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fsa-jobs',
  FSA_CLUSTERS: '[{"name":"prod","region":"eu-west-1","namespaces":["flink"]}]',
  FSA_DEPLOYMENT_DEFAULTS: '{"job.autoscaler.utilization.target":0.6}',
};

describe('readRuntimeConfig', () => {
  it('reads what the CDK construct sets', () => {
    expect(readRuntimeConfig(VALID, true)).toEqual({
      tableName: 'fsa-state',
      queueUrl: VALID.FSA_QUEUE_URL,
      clusters: [{ name: 'prod', region: 'eu-west-1', namespaces: ['flink'] }],
      deploymentDefaults: { 'job.autoscaler.utilization.target': '0.6' },
      cadenceMs: 60_000,
      inVpc: false,
      cycleConcurrency: 10,
      vertexDetailIntervalMs: 300_000,
    });
    expect(readRuntimeConfig({ ...VALID, FSA_CADENCE_MS: '300000' }, true).cadenceMs).toBe(300_000);
    expect(readRuntimeConfig({ ...VALID, FSA_IN_VPC: 'true' }, true).inVpc).toBe(true);
    expect(readRuntimeConfig({ ...VALID, FSA_CYCLE_CONCURRENCY: '4' }, true).cycleConcurrency).toBe(4);
    expect(readRuntimeConfig({ ...VALID, FSA_VERTEX_DETAIL_INTERVAL_MS: '0' }, true).vertexDetailIntervalMs).toBe(0);
  });

  it('refuses to run with TLS verification switched off', () => {
    expect(() => readRuntimeConfig({ ...VALID, NODE_TLS_REJECT_UNAUTHORIZED: '0' }, false)).toThrow(
      /NODE_TLS_REJECT_UNAUTHORIZED=0 switches off TLS verification/,
    );
  });

  it.each([
    [{ FSA_TABLE_NAME: undefined }, /FSA_TABLE_NAME is not set/],
    [{ FSA_QUEUE_URL: undefined }, /FSA_QUEUE_URL is not set/],
    [{ FSA_CLUSTERS: '[]' }, /non-empty JSON array/],
    [{ FSA_CLUSTERS: '[{"name":"prod"}]' }, /FSA_CLUSTERS\[0\] needs string fields name and region/],
    [{ FSA_CLUSTERS: 'prod' }, /FSA_CLUSTERS is not valid JSON/],
    [{ FSA_DEPLOYMENT_DEFAULTS: '[1]' }, /must be a JSON object/],
    [{ FSA_CADENCE_MS: '1 minute' }, /FSA_CADENCE_MS must be the schedule interval in whole milliseconds/],
    [{ FSA_CADENCE_MS: '10' }, /at least 1000\), got '10'/],
    [
      { FSA_CLUSTERS: '[{"name":"prod","region":"eu-west-1"},{"name":"prod","region":"us-east-1"}]' },
      /lists cluster 'prod' twice \(eu-west-1 and us-east-1\); cluster names must be unique/,
    ],
    [{ FSA_IN_VPC: 'yes' }, /FSA_IN_VPC must be 'true' or 'false', got 'yes'/],
    [{ FSA_CYCLE_CONCURRENCY: '0' }, /FSA_CYCLE_CONCURRENCY must be the number of cycles run at once, an integer from 1 to 100, got '0'/],
    [{ FSA_CYCLE_CONCURRENCY: '2.5' }, /FSA_CYCLE_CONCURRENCY .* got '2.5'/],
    [{ FSA_VERTEX_DETAIL_INTERVAL_MS: '5 min' }, /FSA_VERTEX_DETAIL_INTERVAL_MS must be the interval .* from 0 \(every cycle\) to 86400000 \(a day\), got '5 min'/],
    [{ FSA_VERTEX_DETAIL_INTERVAL_MS: '-1' }, /FSA_VERTEX_DETAIL_INTERVAL_MS .* got '-1'/],
  ])('names the variable that is wrong: %j', (change, message) => {
    expect(() => readRuntimeConfig({ ...VALID, ...change }, true)).toThrow(RuntimeConfigError);
    expect(() => readRuntimeConfig({ ...VALID, ...change }, true)).toThrow(message);
  });
});
