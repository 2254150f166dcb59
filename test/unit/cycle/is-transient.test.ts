import { describe, expect, it } from 'vitest';
import { KubernetesApiError } from '../../../lib/adapters/kubernetes/kubernetes-errors.ts';
import { isTransient } from '../../../lib/cycle/is-transient.ts';
import { FlinkResponseFormatError, FlinkRestError } from '../../../lib/ports/metrics-source.ts';

const kubernetes = (status: number) =>
  new KubernetesApiError({ status, reason: 'X', message: 'm', method: 'PATCH', path: '/apis/x' });

describe('isTransient (failure policy: which failed cycles the next tick may fix on its own)', () => {
  it.each([
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, true],
    [422, false],
    [429, true],
    [500, true],
    [503, true],
  ])('Kubernetes %i → transient %s', (status, transient) => {
    expect(isTransient(kubernetes(status))).toBe(transient);
  });

  it.each([
    [new FlinkRestError('http-status', '/jobs', 404, 'not found'), false],
    [new FlinkRestError('http-status', '/jobs', 429, 'slow down'), true],
    [new FlinkRestError('http-status', '/jobs', 502, 'bad gateway'), true],
    [new FlinkRestError('timeout', '/jobs', undefined, 'timed out'), true],
    [new FlinkResponseFormatError('/jobs', 'jobs', 'is not an array'), false],
    [new Error('socket hang up'), true],
    ['not even an error', true],
  ])('%s → transient %s', (error, transient) => {
    expect(isTransient(error)).toBe(transient);
  });
});
