import { describe, expect, it } from 'vitest';
import { emfDocument, MAX_METRICS_PER_DIRECTIVE } from '../../../../lib/adapters/cloudwatch/emf-document.ts';
import { RUN_METRIC } from '../../../../lib/adapters/cloudwatch/metric-catalog.ts';

describe('emfDocument', () => {
  it('writes the metadata of the specification and every dimension and value as a root member', () => {
    // Act
    const line = emfDocument(
      'FlinkServerlessAutoscaler',
      { Service: 'fsa', Reason: 'window' },
      [
        [RUN_METRIC.NOT_READY_CYCLES, 2],
        [RUN_METRIC.RUN_DURATION, 12.5],
      ],
      1_700_000_000_000,
    );

    // Assess
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'FlinkServerlessAutoscaler',
            Dimensions: [['Service', 'Reason']],
            Metrics: [
              { Name: 'NotReadyCycles', Unit: 'Count' },
              { Name: 'RunDurationMs', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Service: 'fsa',
      Reason: 'window',
      NotReadyCycles: 2,
      RunDurationMs: 12.5,
    });
    expect(line).not.toContain('\n');
  });

  it.each([
    ['a non-finite value', { Service: 's' }, [[RUN_METRIC.ERRORS, Number.NaN]], /'Errors' must be a finite number, got NaN/],
    ['an empty dimension value', { Service: '' }, [[RUN_METRIC.ERRORS, 1]], /dimension 'Service' has an empty value/],
    ['a metric named like a dimension', { Errors: 'x' }, [[RUN_METRIC.ERRORS, 1]], /'Errors' is named twice, or like a dimension/],
    ['a metric named twice', { Service: 's' }, [[RUN_METRIC.ERRORS, 1], [RUN_METRIC.ERRORS, 2]], /'Errors' is named twice/],
    [
      'more metrics than a directive holds',
      { Service: 's' },
      Array.from({ length: MAX_METRICS_PER_DIRECTIVE + 1 }, (_, i) => [{ name: `m${i}`, unit: 'Count' }, i]),
      /at most 100 metrics, got 101/,
    ],
  ] as const)('refuses %s', (_name, dimensions, values, message) => {
    expect(() => emfDocument('N', dimensions, values as never, 0)).toThrow(message);
  });
});
