import { describe, expect, it } from 'vitest';
import type { FlinkResource } from '../../../../lib/adapters/kubernetes/flink-resource.ts';
import { parseCpuCores, parseMemoryQuantityBytes } from '../../../../lib/adapters/kubernetes/quantity.ts';
import { flinkRestEndpoint } from '../../../../lib/adapters/kubernetes/rest-endpoint.ts';
import { readTaskManagerResources } from '../../../../lib/adapters/kubernetes/task-manager-resources.ts';

const GiB = 1024 ** 3;

describe('readTaskManagerResources', () => {
  it.each([
    {
      name: 'resource.memory Flink size',
      tm: { resource: { cpu: 2, memory: '4g' } },
      expected: { cpu: 2, memoryBytes: 4 * GiB, memorySource: 'resource.memory' },
    },
    {
      name: 'resource.memory 4096m',
      tm: { resource: { memory: '4096m' } },
      expected: { memoryBytes: 4 * GiB, memorySource: 'resource.memory' },
    },
    // The operator parses with Flink's MemorySize first: G is GiB there (not 10^9)
    { name: '4G is 4 GiB', tm: { resource: { memory: '4G' } }, expected: { memoryBytes: 4 * GiB } },
    {
      name: 'requests 2G read as the operator reads them',
      tm: { resources: { requests: { memory: '2G' }, limits: { memory: '3G' } } },
      expected: { memoryBytes: 2 * GiB, memoryLimitBytes: 3 * GiB, memorySource: 'resources.requests.memory' },
    },
    {
      name: 'resource.memory ignored once resources has requirements',
      tm: { resource: { memory: '4g' }, resources: { requests: { cpu: '2' } } },
      expected: { cpu: 2 },
    },
    {
      name: 'resources requests + limits win over resource',
      tm: {
        resource: { memory: '1g' },
        resources: { requests: { memory: '4Gi', cpu: '1500m' }, limits: { memory: '6Gi' } },
      },
      expected: {
        cpu: 1.5,
        memoryBytes: 4 * GiB,
        memoryLimitBytes: 6 * GiB,
        memorySource: 'resources.requests.memory',
      },
    },
    {
      name: 'limits only',
      tm: { resources: { limits: { memory: '2Gi' } } },
      expected: { memoryBytes: 2 * GiB, memorySource: 'resources.limits.memory' },
    },
    { name: 'nothing set', tm: {}, expected: {} },
  ])('$name', ({ tm, expected }) => {
    const result = readTaskManagerResources({ taskManager: tm } as FlinkResource['spec']);
    expect(result).toMatchObject(expected);
  });

  it('names the field of an unparseable memory value', () => {
    expect(() => readTaskManagerResources({ taskManager: { resource: { memory: 'lots' } } })).toThrow(
      /spec.taskManager.resource.memory/,
    );
  });
});

describe('quantities', () => {
  it.each([
    ['250m', 0.25],
    ['2', 2],
    ['1.5', 1.5],
  ])('cpu %s → %d cores', (text, cores) => expect(parseCpuCores(text)).toBe(cores));
  it.each([
    ['16Gi', 16 * GiB],
    ['1000M', 1e9],
    ['1e9', 1e9],
    ['123456Ki', 123456 * 1024],
  ])('memory %s → %d bytes', (text, bytes) => expect(parseMemoryQuantityBytes(text)).toBe(bytes));
});

describe('flinkRestEndpoint', () => {
  const base = { apiVersion: 'flink.apache.org/v1beta1', spec: { deploymentName: 'session' } } as const;
  it('uses the service proxy of the deployment, or of the session cluster for a session job', () => {
    const dep = {
      ...base,
      kind: 'FlinkDeployment',
      metadata: { name: 'orders', namespace: 'flink' },
    } as FlinkResource;
    expect(flinkRestEndpoint(dep, 'https://k8s/').baseUrl).toBe(
      'https://k8s/api/v1/namespaces/flink/services/orders-rest:rest/proxy',
    );
    const job = {
      ...base,
      kind: 'FlinkSessionJob',
      metadata: { name: 'clicks', namespace: 'flink' },
    } as FlinkResource;
    expect(flinkRestEndpoint(job, 'https://k8s')).toMatchObject({
      via: 'service-proxy',
      clusterName: 'session',
    });
  });
  it('names the https scheme in the proxy path when the REST endpoint uses TLS (SecurityOptions.isRestSSLEnabled)', () => {
    const dep = (flinkConfiguration: Record<string, unknown>) =>
      ({
        ...base,
        kind: 'FlinkDeployment',
        metadata: { name: 'orders', namespace: 'flink' },
        spec: { flinkConfiguration },
      }) as FlinkResource;
    const tls = 'https://k8s/api/v1/namespaces/flink/services/https:orders-rest:rest/proxy';
    const plain = 'https://k8s/api/v1/namespaces/flink/services/orders-rest:rest/proxy';
    expect(flinkRestEndpoint(dep({ 'security.ssl.rest.enabled': 'true' }), 'https://k8s').baseUrl).toBe(tls);
    expect(flinkRestEndpoint(dep({ security: { ssl: { rest: { enabled: 'TRUE' } } } }), 'https://k8s').baseUrl).toBe(
      tls,
    );
    // the deprecated umbrella flag is the fallback, the specific one wins
    expect(flinkRestEndpoint(dep({ 'security.ssl.enabled': 'true' }), 'https://k8s').baseUrl).toBe(tls);
    expect(
      flinkRestEndpoint(dep({ 'security.ssl.enabled': 'true', 'security.ssl.rest.enabled': 'false' }), 'https://k8s')
        .baseUrl,
    ).toBe(plain);
    expect(flinkRestEndpoint(dep({ 'security.ssl.internal.enabled': 'true' }), 'https://k8s').baseUrl).toBe(plain);
    // a session job follows its session cluster's configuration, not its own
    const job = {
      ...base,
      kind: 'FlinkSessionJob',
      metadata: { name: 'clicks', namespace: 'flink' },
      spec: { deploymentName: 'session', flinkConfiguration: {} },
    } as FlinkResource;
    const session = { ...dep({ 'security.ssl.rest.enabled': 'true' }), metadata: { name: 'session', namespace: 'flink' } };
    expect(flinkRestEndpoint(job, 'https://k8s', session as FlinkResource).baseUrl).toBe(
      'https://k8s/api/v1/namespaces/flink/services/https:session-rest:rest/proxy',
    );
    expect(flinkRestEndpoint(job, 'https://k8s').baseUrl).toContain('/services/session-rest:rest/proxy');
  });

  it('prefers the rest-url annotation and rejects non-http URLs', () => {
    const annotated = (url: string) =>
      ({
        ...base,
        kind: 'FlinkDeployment',
        metadata: { name: 'o', namespace: 'f', annotations: { 'flink-serverless-autoscaler/rest-url': url } },
      }) as FlinkResource;
    expect(flinkRestEndpoint(annotated('http://o-rest.f:8081/'), 'https://k8s')).toMatchObject({
      baseUrl: 'http://o-rest.f:8081',
      via: 'annotation',
    });
    expect(() => flinkRestEndpoint(annotated('file:///etc/passwd'), 'https://k8s')).toThrow(
      /must be http or https/,
    );
  });
  it('validates the namespace before building a URL', () => {
    const bad = {
      ...base,
      kind: 'FlinkDeployment',
      metadata: { name: 'o', namespace: '../x' },
    } as FlinkResource;
    expect(() => flinkRestEndpoint(bad, 'https://k8s')).toThrow(/not a valid namespace/);
  });
});
