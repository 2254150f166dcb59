import { describe, expect, it } from 'vitest';
import { createDispatcherWiring } from '../../../functions/dispatcher/dispatcher-wiring.ts';
import { readRuntimeConfig } from '../../../functions/shared/runtime-config.ts';

const CONFIG = readRuntimeConfig(
  {
    FSA_TABLE_NAME: 'fsa-state',
    FSA_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fsa-jobs',
    FSA_CLUSTERS: '[{"name":"prod","region":"eu-west-1"}]',
  },
  true,
);

describe('createDispatcherWiring', () => {
  it('names FSA_CLUSTERS when asked for the discovery of a cluster it does not manage', async () => {
    const wiring = createDispatcherWiring(CONFIG);
    await expect(wiring.discovery('staging')).rejects.toThrow("cluster 'staging' is not configured (FSA_CLUSTERS)");
  });

  it('gives the dispatcher the process-wide parts: logger, reporter, clock and state store', () => {
    const wiring = createDispatcherWiring(CONFIG);
    expect(typeof wiring.logger.info).toBe('function');
    expect(wiring.reporter.pendingCount).toBe(0);
    expect(wiring.clock.nowMs()).toBeGreaterThan(0);
    expect(typeof wiring.store.listJobKeys).toBe('function');
  });
});
