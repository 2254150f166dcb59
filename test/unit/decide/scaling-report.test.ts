import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTwoDecimals } from '../../../lib/decide/format-two-decimals.ts';
import {
  formatScalingReportEntry,
  SCALING_ENABLED_HEADER,
  type ScalingReportEntry,
  scalingDisabledHeader,
  scalingReportEvent,
  scalingReportSuffix,
} from '../../../lib/decide/scaling-report.ts';
import { priceOfChange } from '../../../lib/decide/price-decision.ts';

describe('formatTwoDecimals (Java %.2f)', () => {
  it.each([
    { value: 404.727, text: '404.73' },
    { value: 645, text: '645.00' },
    { value: 12424.678, text: '12424.68' },
    { value: 0.005, text: '0.01' }, // half-up on the decimal digits
    { value: 1.005, text: '1.01' }, // toFixed gives 1.00 (binary 1.00499…); Java gives 1.01
    { value: 2.675, text: '2.68' },
    { value: 0.004, text: '0.00' },
    { value: 99.995, text: '100.00' }, // carry into the integer part
    { value: -3.14271, text: '-3.14' },
    { value: 1e-7, text: '0.00' },
    { value: Number.POSITIVE_INFINITY, text: 'Infinity' },
    { value: Number.NEGATIVE_INFINITY, text: '-Infinity' },
    { value: Number.NaN, text: 'NaN' },
  ])('$value → $text', ({ value, text }) => {
    expect(formatTwoDecimals(value)).toBe(text);
  });

  it('property: within half a cent of the value, always two decimals', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (value) => {
        const text = formatTwoDecimals(value);
        expect(text).toMatch(/^-?\d+\.\d{2}$/);
        expect(Math.abs(Number(text) - value)).toBeLessThanOrEqual(0.005 + 1e-6 * Math.abs(value));
      }),
    );
  });
});

const entry = (overrides: Partial<ScalingReportEntry> = {}): ScalingReportEntry => ({
  vertexId: '0a448493b4782967b150582570326227',
  currentParallelism: 5,
  newParallelism: 8,
  trueProcessingRateAvg: 404.727,
  expectedProcessingRate: 645,
  targetDataRateAvg: 404.268,
  ...overrides,
});

describe('ScalingReport', () => {
  it('formats an entry like the operator', () => {
    expect(formatScalingReportEntry(entry())).toBe(
      '{ Vertex ID 0a448493b4782967b150582570326227 | Parallelism 5 -> 8 | Processing capacity 404.73 -> 645.00 | Target data rate 404.27}',
    );
  });

  it('an executed scaling: enabled header, key ScalingExecutor, never de-duplicated', () => {
    const event = scalingReportEvent([entry(), entry({ vertexId: 'b' })], undefined, {
      scalingEventIntervalMs: 1_800_000,
    });
    expect(event).toMatchObject({ reason: 'ScalingReport', type: 'Normal', messageKey: 'ScalingExecutor' });
    expect(event.dedupeIntervalMs).toBeUndefined();
    expect(event.message).toBe(
      SCALING_ENABLED_HEADER +
        formatScalingReportEntry(entry()) +
        formatScalingReportEntry(entry({ vertexId: 'b' })),
    );
  });

  it('a blocked scaling: header names the key and value, de-duplicated on the changes', () => {
    const blockedBy = { key: 'job.autoscaler.scaling.enabled', value: 'false' };
    const options = { scalingEventIntervalMs: 1_800_000 };
    const event = scalingReportEvent([entry()], blockedBy, options);
    expect(event.message.startsWith(scalingDisabledHeader(blockedBy.key, blockedBy.value))).toBe(true);
    expect(scalingDisabledHeader(blockedBy.key, blockedBy.value)).toBe(
      'Scaling execution disabled by config job.autoscaler.scaling.enabled:false, recommended parallelism change:',
    );
    expect(event.dedupeIntervalMs).toBe(1_800_000);
    // Same changes (other rates) → same key; another target parallelism → another key.
    expect(scalingReportEvent([entry({ trueProcessingRateAvg: 1 })], blockedBy, options).messageKey).toBe(
      event.messageKey,
    );
    expect(scalingReportEvent([entry({ newParallelism: 9 })], blockedBy, options).messageKey).not.toBe(
      event.messageKey,
    );
  });
});

describe('ScalingReport extensions: price and vertex names after the operator entries', () => {
  const price = priceOfChange(2, 3, { cpu: 2, memoryBytes: 4 * 1024 ** 3 }, { vcpuHourUsd: 0.04048, memoryGbHourUsd: 0.004445 });
  const chain = 'Source: Kafka orders -> Timestamps/Watermarks -> Map -> Filter -> Sink: Print';

  it('keeps the operator text as the prefix, then the price, then the named vertices', () => {
    const named = entry({ vertexName: chain });
    const event = scalingReportEvent([named, entry({ vertexId: 'b' })], undefined, { scalingEventIntervalMs: 1 }, price);
    const operatorText =
      SCALING_ENABLED_HEADER + formatScalingReportEntry(named) + formatScalingReportEntry(entry({ vertexId: 'b' }));
    expect(event.message).toBe(
      `${operatorText} Price: +1 TaskManager (+2 vCPU, +4 GB): +$0.0987/h, +$72.08/month at $0.04048/vCPU-h and $0.004445/GB-h.` +
        ' Vertices: Source: Kafka orders -> … -> Sink: Print (0a448493).',
    );
    expect(event.message.length).toBeLessThanOrEqual(1024);
  });

  it('adds nothing without a price or names, and leaves the blocked de-duplication key alone', () => {
    expect(scalingReportSuffix([entry()], undefined)).toBe('');
    const blockedBy = { key: 'job.autoscaler.scaling.enabled', value: 'false' };
    const options = { scalingEventIntervalMs: 1_800_000 };
    const priced = scalingReportEvent([entry({ vertexName: chain })], blockedBy, options, price);
    expect(priced.messageKey).toBe(scalingReportEvent([entry()], blockedBy, options).messageKey);
    expect(priced.message).toContain(' Price: +1 TaskManager');
  });
});
