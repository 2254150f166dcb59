import { describe, expect, it } from 'vitest';
import type { FlinkResource } from '../../../../lib/adapters/kubernetes/flink-resource.ts';
import { ScalingPatchError } from '../../../../lib/adapters/kubernetes/kubernetes-errors.ts';
import { buildScalingPatch, scalingPlanOf } from '../../../../lib/adapters/kubernetes/scaling-patch.ts';
import type { MemoryPlan } from '../../../../lib/domain/memory-plan.ts';
import type { ScalingPlan } from '../../../../lib/ports/scaling-realizer.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const GiB = 1024 ** 3;
const OV = 'pipeline.jobvertex-parallelism-overrides';

function resource(
  config: Record<string, unknown>,
  taskManager: Record<string, unknown> = { resource: { memory: '4g' } },
  kind: FlinkResource['kind'] = 'FlinkDeployment',
): FlinkResource {
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind,
    metadata: { name: 'job', namespace: 'ns', resourceVersion: '42', generation: 3 },
    spec: { flinkConfiguration: config, taskManager },
  } as FlinkResource;
}

describe('buildScalingPatch', () => {
  it('merges with the user overrides (ours win, excluded vertices keep the user value) and sets resourceVersion', () => {
    const { patch, change } = buildScalingPatch(resource({ [OV]: `${A}:2,${C}:7` }), {
      parallelismOverrides: { [A]: 4, [B]: 3, [C]: 9 },
      excludedVertices: [C],
    });
    expect(patch).toEqual({
      metadata: { resourceVersion: '42' },
      spec: { flinkConfiguration: { [OV]: `${A}:4,${B}:3,${C}:7` } },
    });
    expect(change).toMatchObject({ overridesBefore: { [A]: '2', [C]: '7' }, memoryChanged: false });
  });

  it('makes no patch when the overrides are equal, even written differently', () => {
    const { patch } = buildScalingPatch(resource({ [OV]: ` ${B}:3 , ${A}:4` }), {
      parallelismOverrides: { [A]: 4, [B]: 3 },
    });
    expect(patch).toBeUndefined();
  });

  it('writes memory keys as flat strings, removals as null (only when present), and the TM memory resource', () => {
    const { patch, change } = buildScalingPatch(
      resource({ 'taskmanager.memory.managed.fraction': '0.4', 'taskmanager.memory.network.max': '1g' }),
      {
        parallelismOverrides: {},
        memoryConfig: {
          overrides: {
            'taskmanager.memory.managed.fraction': '0.2',
            'taskmanager.memory.jvm-metaspace.size': '256 mb',
          },
          removals: ['taskmanager.memory.network.max', 'taskmanager.memory.network.min'],
        },
        taskManagerMemoryBytes: 6 * GiB,
      },
    );
    expect(patch).toEqual({
      metadata: { resourceVersion: '42' },
      spec: {
        taskManager: { resource: { memory: '6g' } },
        flinkConfiguration: {
          'taskmanager.memory.network.max': null,
          'taskmanager.memory.managed.fraction': '0.2',
          'taskmanager.memory.jvm-metaspace.size': '256 mb',
        },
      },
    });
    expect(change.memoryChanged).toBe(true);
  });

  it('keeps the limits/requests ratio of spec.taskManager.resources', () => {
    // requests 4Gi, limits 6Gi (ratio 1.5) → requests 8Gi, limits 8 × 1.5 = 12Gi
    const { patch } = buildScalingPatch(
      resource({}, { resources: { requests: { memory: '4Gi' }, limits: { memory: '6Gi' } } }),
      {
        parallelismOverrides: {},
        taskManagerMemoryBytes: 8 * GiB,
      },
    );
    expect(patch?.['spec']).toEqual({
      taskManager: { resources: { requests: { memory: '8Gi' }, limits: { memory: '12Gi' } } },
    });
  });

  it('writes a key the user nested at its nested place (never both forms)', () => {
    const { patch } = buildScalingPatch(
      resource({ pipeline: { 'jobvertex-parallelism-overrides': `${A}:1` } }),
      {
        parallelismOverrides: { [A]: 2 },
      },
    );
    expect(patch?.['spec']).toEqual({
      flinkConfiguration: { pipeline: { 'jobvertex-parallelism-overrides': `${A}:2` } },
    });
  });

  it('ignores memory for session jobs and reports it', () => {
    const result = buildScalingPatch(resource({}, {}, 'FlinkSessionJob'), {
      parallelismOverrides: {},
      taskManagerMemoryBytes: GiB,
    });
    expect(result).toMatchObject({ patch: undefined, memoryIgnored: true });
  });

  it.each<{ plan: ScalingPlan; message: RegExp }>([
    { plan: { parallelismOverrides: { 'not-hex': 2 } }, message: /JobVertexID/ },
    { plan: { parallelismOverrides: { [A]: 0 } }, message: /positive integer/ },
    {
      plan: { parallelismOverrides: {}, memoryConfig: { overrides: { 'state.backend': 'x' }, removals: [] } },
      message: /taskmanager.memory/,
    },
  ])('rejects a bad plan: $message', ({ plan, message }) => {
    expect(() => buildScalingPatch(resource({}), plan)).toThrow(ScalingPatchError);
    expect(() => buildScalingPatch(resource({}), plan)).toThrow(message);
  });

});

describe('buildScalingPatch: TaskManager memory as the operator reads it', () => {
  const plan = (bytes: number): ScalingPlan => ({ parallelismOverrides: {}, taskManagerMemoryBytes: bytes });

  it('reads 2G as 2 GiB (Flink MemorySize) and writes nothing when the plan keeps 2 GiB', () => {
    const result = buildScalingPatch(resource({}, { resource: { memory: '2G' } }), plan(2 * GiB));
    expect(result.patch).toBeUndefined();
    expect(result.change.memoryChanged).toBe(false);
  });

  it.each([
    { written: '2G', bytes: 3 * GiB, expected: '3G' },
    { written: '2048m', bytes: 3 * GiB, expected: '3072m' },
    { written: '2 gb', bytes: 3 * GiB, expected: '3 gb' },
    { written: '2Gi', bytes: 3 * GiB, expected: '3Gi' },
    { written: '2G', bytes: 2.5 * GiB, expected: String(2.5 * GiB) },
    { written: '2147483648', bytes: 3 * GiB, expected: String(3 * GiB) },
  ])('rewrites $written as $expected for $bytes bytes', ({ written, bytes, expected }) => {
    const { patch } = buildScalingPatch(resource({}, { resource: { memory: written } }), plan(bytes));
    expect(patch?.['spec']).toEqual({ taskManager: { resource: { memory: expected } } });
  });

  it('scales limits with requests, each in its own unit', () => {
    const { patch } = buildScalingPatch(
      resource({}, { resources: { requests: { memory: '4G' }, limits: { memory: '6144m' } } }),
      plan(8 * GiB),
    );
    expect(patch?.['spec']).toEqual({
      taskManager: { resources: { requests: { memory: '8G' }, limits: { memory: '12288m' } } },
    });
  });

  it('ignores the deprecated resource.memory once resources has requirements, as the operator does', () => {
    const result = buildScalingPatch(
      resource({}, { resource: { memory: '4g' }, resources: { requests: { cpu: '2' } } }),
      plan(6 * GiB),
    );
    expect(result.patch).toBeUndefined();
  });
});

describe('scalingPlanOf', () => {
  const memoryPlan = (applied: boolean) =>
    ({
      applied,
      configChanges: { overrides: { 'taskmanager.memory.managed.fraction': '0.2' }, removals: [] },
      taskManagerSpec: { field: 'resource.memory', beforeBytes: 4 * GiB, afterBytes: 3 * GiB },
    }) as unknown as MemoryPlan;

  it('includes an applied memory plan and leaves out a recommendation', () => {
    expect(scalingPlanOf({ [A]: 2 }, memoryPlan(true), [B])).toEqual({
      parallelismOverrides: { [A]: 2 },
      excludedVertices: [B],
      memoryConfig: { overrides: { 'taskmanager.memory.managed.fraction': '0.2' }, removals: [] },
      taskManagerMemoryBytes: 3 * GiB,
    });
    expect(scalingPlanOf({ [A]: 2 }, memoryPlan(false))).toEqual({ parallelismOverrides: { [A]: 2 } });
  });
});
