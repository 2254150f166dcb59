import { describe, expect, it } from 'vitest';
import { defaultOptions, resolveOptions } from '../../../lib/config/index.ts';
import {
  BYTES_PER_GB,
  describePrice,
  formatUsd,
  HOURS_PER_MONTH,
  pricedTaskManager,
  priceOfChange,
  taskManagerUsdPerHour,
  unitPricesOf,
} from '../../../lib/decide/price-decision.ts';

const FARGATE = { vcpuHourUsd: 0.04048, memoryGbHourUsd: 0.004445 };

describe('unit prices', () => {
  it('default to AWS Fargate on-demand Linux/x86 in us-east-1', () => {
    expect(unitPricesOf(defaultOptions())).toEqual(FARGATE);
  });
  it('are overridden per resource with job.autoscaler.cost.*', () => {
    const { options } = resolveOptions(
      { 'job.autoscaler.cost.vcpu-hour-usd': '0.03' },
      { 'job.autoscaler.cost.memory-gb-hour-usd': '0.002' },
    );
    expect(unitPricesOf(options)).toEqual({ vcpuHourUsd: 0.03, memoryGbHourUsd: 0.002 });
  });
  it('refuse a negative price, naming the key', () => {
    expect(() => resolveOptions({ 'job.autoscaler.cost.vcpu-hour-usd': '-1' })).toThrow(/cost\.vcpu-hour-usd/);
  });
});

describe('taskManagerUsdPerHour', () => {
  it('is cpu × vCPU-hour + GB × GB-hour', () => {
    // 2 vCPU, 4 GiB on Fargate: 2 × 0.04048 + 4 × 0.004445 = 0.09874
    expect(taskManagerUsdPerHour({ cpu: 2, memoryBytes: 4 * BYTES_PER_GB }, FARGATE)).toBeCloseTo(0.09874, 10);
  });
  it('leaves unknown memory out', () => {
    expect(taskManagerUsdPerHour({ cpu: 1 }, FARGATE)).toBeCloseTo(0.04048, 10);
  });
});

describe('pricedTaskManager', () => {
  it('prefers the spec, then the configuration, then one core per slot', () => {
    const options = { ...defaultOptions(), numberOfTaskSlots: 4 };
    expect(pricedTaskManager({ cpu: 2, memoryBytes: 100 }, options)).toEqual({ cpu: 2, memoryBytes: 100 });
    expect(pricedTaskManager(undefined, { ...options, taskManagerCpu: 1.5, tmProcessSizeBytes: 7 })).toEqual({
      cpu: 1.5,
      memoryBytes: 7,
    });
    expect(pricedTaskManager(undefined, options)).toEqual({ cpu: 4 });
  });
});

describe('priceOfChange', () => {
  it('prices the TaskManager delta per hour and per 730-hour month', () => {
    const price = priceOfChange(3, 5, { cpu: 2, memoryBytes: 4 * BYTES_PER_GB }, FARGATE);
    expect(price.deltaUsdPerHour).toBeCloseTo(2 * 0.09874, 10);
    expect(price.deltaUsdPerMonth).toBeCloseTo(2 * 0.09874 * HOURS_PER_MONTH, 8);
    expect(price).toMatchObject({ currentTaskManagers: 3, newTaskManagers: 5, taskManagerCpu: 2 });
  });
  it('is negative for a scale-down (a saving)', () => {
    const price = priceOfChange(4, 1, { cpu: 1, memoryBytes: 2 * BYTES_PER_GB }, FARGATE);
    expect(price.deltaUsdPerHour).toBeCloseTo(-3 * (0.04048 + 2 * 0.004445), 10);
  });
});

describe('formatting', () => {
  it('shows cents with four decimals below a dollar, a sign when asked', () => {
    expect(formatUsd(0.09874, true)).toBe('+$0.0987');
    expect(formatUsd(-72.0802, true)).toBe('−$72.08');
    expect(formatUsd(12.5)).toBe('$12.50');
    expect(formatUsd(0, true)).toBe('$0.00');
  });
  it('describes a change so it can be recomputed', () => {
    const price = priceOfChange(3, 5, { cpu: 2, memoryBytes: 4 * BYTES_PER_GB }, FARGATE);
    expect(describePrice(price)).toBe(
      '+2 TaskManagers (+4 vCPU, +8 GB): +$0.1975/h, +$144.16/month at $0.04048/vCPU-h and $0.004445/GB-h',
    );
    const down = priceOfChange(2, 1, { cpu: 0.5 }, FARGATE);
    expect(describePrice(down)).toBe(
      '−1 TaskManager (−0.5 vCPU, memory unknown, not priced): −$0.0202/h, −$14.78/month at $0.04048/vCPU-h and $0.004445/GB-h',
    );
  });
});

describe('a change that keeps the TaskManager count', () => {
  it('says so instead of pricing zeros', () => {
    const price = priceOfChange(1, 1, { cpu: 2, memoryBytes: BYTES_PER_GB }, FARGATE);
    expect(price.deltaUsdPerHour).toBe(0);
    expect(describePrice(price)).toBe('no change in TaskManagers (1 before and after): $0.00/h');
  });
});
