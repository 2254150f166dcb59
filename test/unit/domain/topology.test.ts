import { describe, expect, it } from 'vitest';
import { emptyJobState, formatJobKey, parseShipStrategy } from '../../../lib/domain/index.ts';

describe('parseShipStrategy', () => {
  it.each([
    ['HASH', 'HASH'],
    ['hash', 'HASH'], // matched case-insensitively (docs/algorithm.md §2.2)
    [' Rebalance ', 'REBALANCE'],
    ['FORWARD', 'FORWARD'],
    ['RANGE', 'UNKNOWN'], // not one of the known strategies
    [undefined, 'UNKNOWN'],
    [42, 'UNKNOWN'],
  ])('%j → %s', (input, expected) => {
    expect(parseShipStrategy(input)).toBe(expected);
  });
});

describe('job identity and state', () => {
  it('formats a job key as cluster/namespace/kind/name', () => {
    expect(
      formatJobKey({ cluster: 'prod', namespace: 'flink', kind: 'FlinkDeployment', name: 'orders' }),
    ).toBe('prod/flink/FlinkDeployment/orders');
  });

  it('starts from an empty state of the current schema version', () => {
    const state = emptyJobState();
    expect(state.schemaVersion).toBe(1);
    expect(state.scalingHistory).toEqual({});
    expect(state.configOverrides).toEqual({ overrides: {}, removals: [] });
  });
});
