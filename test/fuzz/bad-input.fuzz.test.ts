/**
 * Fuzzing with fast-check (fixed seeds, bounded runs): Flink REST payloads, flinkConfiguration
 * values, Kubernetes objects, queue messages and simulator scenario files. No input may cause an
 * uncaught exception of another kind (TypeError, RangeError, …), and every rejected input gives a
 * typed error that names the field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJobDetails } from '../../lib/adapters/flink-rest/parse-job-details.ts';
import {
  parseAggregatedMetrics,
  parseConfigurationEntries,
  parseMetricIdList,
  parseMetricValues,
} from '../../lib/adapters/flink-rest/parse-metric-responses.ts';
import { InvalidKubernetesInputError } from '../../lib/adapters/kubernetes/kubernetes-errors.ts';
import { toDiscoveredJob } from '../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import { decodeJobMessage, InvalidJobMessageError } from '../../lib/adapters/sqs/job-message-codec.ts';
import { InvalidOptionError, OPTION_DEFINITIONS, resolveOptions } from '../../lib/config/index.ts';
import { parseScenario, ScenarioError } from '../../sim/flink-simulator/index.ts';
import { FlinkResponseFormatError } from '../../lib/ports/metrics-source.ts';

const RUNS = { numRuns: 300, seed: 271 } as const;
const FUZZ_TOTALS = { cases: 0, rejected: 0 };

/** Runs `act`; returns the error (or undefined), failing on an untyped one. */
function rejection<E extends Error>(act: () => unknown, typed: new (...args: never[]) => E): E | undefined {
  FUZZ_TOTALS.cases += 1;
  try {
    act();
    return undefined;
  } catch (error) {
    if (!(error instanceof typed)) throw new Error(`untyped failure: ${String(error)}`, { cause: error });
    FUZZ_TOTALS.rejected += 1;
    return error;
  }
}

const VALID_JOB = {
  jid: 'c0ffee00c0ffee00c0ffee00c0ffee00',
  name: 'orders',
  state: 'RUNNING',
  maxParallelism: 128,
  timestamps: { RUNNING: 1_700_000_000_000 },
  vertices: [
    {
      id: 'bc764cd8ddf7a0cff126f51c16239658',
      name: 'src',
      parallelism: 2,
      maxParallelism: 128,
      status: 'RUNNING',
    },
    {
      id: '0a448493b4782967b150582570326227',
      name: 'sink',
      parallelism: 2,
      maxParallelism: 128,
      status: 'RUNNING',
    },
  ],
  plan: {
    nodes: [
      { id: 'bc764cd8ddf7a0cff126f51c16239658', parallelism: 2 },
      {
        id: '0a448493b4782967b150582570326227',
        parallelism: 2,
        inputs: [{ id: 'bc764cd8ddf7a0cff126f51c16239658', ship_strategy: 'HASH' }],
      },
    ],
  },
};

/** Every JSON path (as `a.b[0].c`) of a value, with a setter on a deep copy. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => [`${prefix}[${i}]`, ...paths(v, `${prefix}[${i}]`)]);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const p = prefix ? `${prefix}.${k}` : k;
      return [p, ...paths(v, p)];
    });
  }
  return [];
}

function withValueAt(root: unknown, path: string, replacement: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  const parts = path.match(/[^.[\]]+/g) ?? [];
  let node: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1)!] = replacement;
  return copy;
}

const weirdValue = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant('../../etc/passwd'),
  fc.constant('NaN'),
);

describe('Flink REST payloads', () => {
  it('arbitrary JSON never crashes the parsers; rejections are FlinkResponseFormatError naming the field', () => {
    const parsers = [
      parseJobDetails,
      parseMetricIdList,
      parseAggregatedMetrics,
      parseMetricValues,
      parseConfigurationEntries,
    ];
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(parsers.length - 1), (body, which) => {
        const error = rejection(() => parsers[which]!(body, '/fuzz'), FlinkResponseFormatError);
        if (error) {
          expect(error.field.length).toBeGreaterThan(0);
          expect(error.message).toContain(error.field);
        }
      }),
      RUNS,
    );
  });

  it('a valid job body with one field replaced by a wrong value is parsed or rejected naming that field', () => {
    const all = paths(VALID_JOB);
    fc.assert(
      fc.property(fc.constantFrom(...all), weirdValue, (path, value) => {
        const error = rejection(
          () => parseJobDetails(withValueAt(VALID_JOB, path, value)),
          FlinkResponseFormatError,
        );
        if (error) {
          // The error names the replaced field or one inside it (`plan.nodes[1]` → `plan.nodes[1].id`),
          // or the vertex the value belonged to (`vertices[id=…]`, `plan.nodes[id=…]`).
          const root = path.replace(/\.(id|parallelism|maxParallelism|ship_strategy)$/, '');
          const named =
            error.field.startsWith(root) ||
            root.startsWith(error.field) ||
            /\[id=[0-9a-f]+\]|\(body\)|jid|timestamps/.test(error.field);
          expect(named, `${path} → ${error.field}: ${error.message}`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('vertex and job ids that could change a URL or a key are rejected, naming the field', () => {
    const hostile = fc.constantFrom('..', '../x', 'a/b', 'a?b=1', 'a#b', 'a%2Fb', 'a,b:3', '', 'é', 'a b');
    fc.assert(
      fc.property(hostile, fc.constantFrom('jid', 'vertices[0].id', 'plan.nodes[0].id'), (id, field) => {
        const body = withValueAt(VALID_JOB, field, id);
        const error = rejection(() => parseJobDetails(body), FlinkResponseFormatError);
        expect(error, `${field}=${JSON.stringify(id)} accepted`).toBeDefined();
        expect(error!.field).toContain(field.replace(/\[0\]\.id$/, ''));
      }),
      { numRuns: 60, seed: 271 },
    );
  });
});

describe('flinkConfiguration values', () => {
  const keys = OPTION_DEFINITIONS.map((d) => d.key);
  it('any string value of any option resolves or is rejected as InvalidOptionError naming the key', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.oneof(
          fc.string(),
          fc.constantFrom('-1', '1e309', 'NaN', '5 parsecs', 'PT-5M', '99999999999999999999', ' ', '0x10'),
        ),
        (key, value) => {
          const error = rejection(() => resolveOptions({}, { [key]: value }), InvalidOptionError);
          if (error) {
            // The key itself, or the option it qualifies (a bad `excluded.periods.time-zone` is
            // reported on `excluded.periods`, which it is read with).
            expect(key.startsWith(error.key), `${key}=${JSON.stringify(value)} → ${error.key}`).toBe(true);
            expect(error.message).toContain(error.key);
          }
        },
      ),
      RUNS,
    );
  });

  it('nested and non-string configuration values never crash resolution', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...keys, 'job.autoscaler', 'a.b'), fc.jsonValue()),
        (config) => {
          FUZZ_TOTALS.cases += 1;
          try {
            resolveOptions({}, config);
          } catch (error) {
            FUZZ_TOTALS.rejected += 1;
            // Every rejection, including a value of the wrong type, is typed and names the key.
            expect(error).toBeInstanceOf(InvalidOptionError);
            expect((error as InvalidOptionError).message).toContain((error as InvalidOptionError).key);
          }
        },
      ),
      RUNS,
    );
  });
});

describe('Kubernetes objects', () => {
  const aDeployment = (overrides: {
    name: string;
    namespace: string;
    annotations: Record<string, string>;
    taskManager: unknown;
    config: Record<string, unknown>;
  }) => ({
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment' as const,
    metadata: {
      name: overrides.name,
      namespace: overrides.namespace,
      labels: { 'flink-serverless-autoscaler/enabled': 'true' },
      annotations: overrides.annotations,
    },
    spec: {
      flinkVersion: 'v1_20',
      flinkConfiguration: overrides.config,
      taskManager: overrides.taskManager,
      job: { jarURI: 'local:///job.jar', parallelism: 2, upgradeMode: 'last-state', state: 'running' },
    },
    status: {
      jobStatus: { state: 'RUNNING', jobId: 'c0ffee00c0ffee00c0ffee00c0ffee00' },
      lifecycleState: 'STABLE',
    },
  });

  it('any names, annotations, TaskManager resources and configuration: discovered or refused with the field named', () => {
    fc.assert(
      fc.property(
        fc.record({
          name: fc.oneof(
            fc.constant('orders'),
            fc.string(),
            fc.constantFrom('../x', 'A', 'a/b', 'a'.repeat(300)),
          ),
          namespace: fc.oneof(fc.constant('flink'), fc.string(), fc.constantFrom('..', 'kube-system/x')),
          annotations: fc.dictionary(
            fc.constantFrom('flink-serverless-autoscaler/rest-url', 'other'),
            fc.oneof(fc.string(), fc.constantFrom('ftp://x', 'http://h:1/p', 'javascript:alert(1)')),
          ),
          taskManager: fc.oneof(
            fc.constant(undefined),
            fc.record({ resource: fc.record({ cpu: weirdValue, memory: weirdValue }) }),
            fc.jsonValue(),
          ),
          config: fc.dictionary(fc.string(), fc.jsonValue()),
        }),
        (fields) => {
          FUZZ_TOTALS.cases += 1;
          const job = toDiscoveredJob(aDeployment(fields) as never, 'local', 'https://api.example:443');
          if (!job.readiness.ready && job.readiness.refused) {
            FUZZ_TOTALS.rejected += 1;
            expect(job.readiness.reason).toMatch(
              /metadata\.|spec\.|annotation|taskManager|memory|cpu|config|key/i,
            );
          }
          if (job.rest.via === 'service-proxy' && job.rest.baseUrl !== '') {
            // Whatever came in, the proxy URL is built from validated names only.
            expect(job.rest.baseUrl).toMatch(
              /^https:\/\/api\.example:443\/api\/v1\/namespaces\/[a-z0-9-]+\/services\/[a-z0-9.-]+-rest:rest\/proxy$/,
            );
          }
        },
      ),
      RUNS,
    );
  });

  it('queue messages: any body decodes to a valid key or is rejected naming the field', () => {
    const body = fc.oneof(
      fc.string(),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({
          v: fc.constantFrom(1, 2, '1'),
          cluster: fc.oneof(fc.constant('prod'), fc.string()),
          namespace: fc.oneof(fc.constant('flink'), fc.string(), fc.constant('../etc')),
          kind: fc.constantFrom('FlinkDeployment', 'FlinkSessionJob', 'Pod'),
          name: fc.oneof(fc.constant('orders'), fc.string()),
          tickMs: fc.oneof(fc.integer(), fc.double(), fc.string()),
        })
        .map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(body, (text) => {
        const error = rejection(() => decodeJobMessage(text), InvalidJobMessageError);
        if (error)
          expect(error.message).toMatch(/message|body|JSON|field|key|tickMs|namespace|name|cluster|kind|v/);
      }),
      RUNS,
    );
  });

  it('hostile names never reach a Kubernetes URL: rejected before the request', async () => {
    const { flinkResourcePath } = await import('../../lib/adapters/kubernetes/resource-names.ts');
    fc.assert(
      fc.property(fc.constantFrom('..', 'a/b', 'a?watch=1', '%2e%2e', 'A', '-a', 'a'.repeat(64)), (bad) => {
        const asNamespace = rejection(
          () => flinkResourcePath('FlinkDeployment', bad, 'ok'),
          InvalidKubernetesInputError,
        );
        expect(asNamespace?.message).toContain('namespace');
        if (bad.length <= 253 && bad !== 'a'.repeat(64)) {
          const asName = rejection(
            () => flinkResourcePath('FlinkDeployment', 'ok', bad),
            InvalidKubernetesInputError,
          );
          expect(asName?.message).toContain('name');
        }
      }),
      { numRuns: 50, seed: 271 },
    );
  });
});

describe('simulator scenario files', () => {
  const VALID = {
    name: 'fuzz',
    job: {
      vertices: [
        {
          id: 'src',
          parallelism: 1,
          maxParallelism: 16,
          costMsPerRecord: 1,
          source: {
            type: 'kafka',
            topic: 't',
            partitions: 4,
            load: { type: 'constant', recordsPerSecond: 100 },
          },
        },
        { id: 'sink', parallelism: 1, maxParallelism: 16, costMsPerRecord: 0.1 },
      ],
      edges: [{ from: 'src', to: 'sink' }],
    },
  };

  it('arbitrary text and JSON: parsed or rejected as ScenarioError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue()), (input) => {
        rejection(() => parseScenario(input), ScenarioError);
      }),
      RUNS,
    );
  });

  it('a valid scenario with one field replaced is parsed or rejected naming that field', () => {
    const all = paths(VALID);
    fc.assert(
      fc.property(fc.constantFrom(...all), weirdValue, (path, value) => {
        const error = rejection(() => parseScenario(withValueAt(VALID, path, value)), ScenarioError);
        if (error) {
          const leaf = path
            .split(/[.[\]]/)
            .filter(Boolean)
            .at(-1)!;
          const parent =
            path
              .split(/[.[\]]/)
              .filter(Boolean)
              .at(-2) ?? '';
          const named =
            error.field.includes(leaf) ||
            error.field.includes(parent) ||
            path.startsWith(error.field) ||
            /edges|vertices|source|load/.test(error.field);
          expect(named, `${path} → ${error.field}: ${error.message}`).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('ran every case', () => {
    expect(FUZZ_TOTALS.cases).toBeGreaterThan(1500);
    expect(FUZZ_TOTALS.rejected).toBeGreaterThan(100);
    console.info(`fuzz: ${FUZZ_TOTALS.cases} cases, ${FUZZ_TOTALS.rejected} rejected with a typed error`);
  });
});
