import { describe, expect, it } from 'vitest';
import { InvalidKubernetesInputError } from '../../../../lib/adapters/kubernetes/kubernetes-errors.ts';
import {
  assertNamespace,
  assertObjectName,
  flinkResourcePath,
  parseNamespacedName,
} from '../../../../lib/adapters/kubernetes/resource-names.ts';
import {
  DEFAULT_RETRY_POLICY,
  isRetryableStatus,
  parseRetryAfterMs,
  retryDelayMs,
} from '../../../../lib/adapters/kubernetes/retry-policy.ts';

describe('resource names (DNS-1123, checked before they go into URLs)', () => {
  it.each(['flink-jobs', 'a', 'x1-2'])('accepts namespace %s', (ns) => expect(assertNamespace(ns)).toBe(ns));
  it.each(['', 'Flink', '-a', 'a-', '../x', 'a/b', 'a?b', 'x'.repeat(64)])('rejects namespace %j', (ns) => {
    expect(() => assertNamespace(ns)).toThrow(InvalidKubernetesInputError);
  });
  it.each(['orders.v2', 'a'])('accepts object name %s', (name) => expect(assertObjectName(name)).toBe(name));
  it.each(['Orders', 'a..b', 'a_b', 'x'.repeat(254)])('rejects object name %j', (name) => {
    expect(() => assertObjectName(name)).toThrow(/not a valid object name/);
  });
  it('builds Flink resource paths and parses <namespace>/<name>', () => {
    expect(flinkResourcePath('FlinkSessionJob', 'ns', 'job')).toBe(
      '/apis/flink.apache.org/v1beta1/namespaces/ns/flinksessionjobs/job',
    );
    expect(parseNamespacedName('ns/job')).toEqual({ namespace: 'ns', name: 'job' });
    expect(() => parseNamespacedName('job')).toThrow(/<namespace>\/<name>/);
  });
});

describe('retry policy', () => {
  it.each([
    { status: 429, method: 'POST', retry: true },
    { status: 503, method: 'POST', retry: true },
    { status: 500, method: 'POST', retry: false },
    { status: 500, method: 'PATCH', retry: true },
    { status: 504, method: 'GET', retry: true },
    { status: 409, method: 'PATCH', retry: false },
    { status: 422, method: 'PATCH', retry: false },
    { status: 404, method: 'GET', retry: false },
    { status: 400, method: 'PATCH', retry: false },
    { status: 401, method: 'GET', retry: false },
    { status: 403, method: 'GET', retry: false },
    { status: 403, method: 'PATCH', retry: false },
  ])('$method $status → retry $retry', ({ status, method, retry }) =>
    expect(isRetryableStatus(status, method)).toBe(retry),
  );

  it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });

  it('waits Retry-After plus up to 20 % jitter, else capped exponential backoff', () => {
    expect(retryDelayMs(1, 2000, DEFAULT_RETRY_POLICY, () => 1)).toBe(2400);
    expect(retryDelayMs(1, 60_000, DEFAULT_RETRY_POLICY, () => 0)).toBe(10_000);
    // ceiling 200 × 2^(3−1) = 800 ms; half fixed + half × random(0.5) = 400 + 200
    expect(retryDelayMs(3, undefined, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(600);
    expect(retryDelayMs(20, undefined, DEFAULT_RETRY_POLICY, () => 1)).toBe(10_000);
  });
});
