import { describe, expect, it } from 'vitest';
import { createNamespaceCeilingPolicy } from '../../../examples/policy-hook/namespace-ceiling-policy.ts';
import type { FlinkResource } from '../../../lib/adapters/kubernetes/flink-resource.ts';
import { buildRestorePatch } from '../../../lib/adapters/kubernetes/owned-spec.ts';
import { emptyJobState, type JobState } from '../../../lib/domain/index.ts';
import { type LambdaInvoker, LambdaPolicyHook } from '../../../lib/adapters/policy/lambda-policy-hook.ts';
import { loadModulePolicyHook } from '../../../lib/adapters/policy/module-policy-hook.ts';
import { checkOwnedPatch } from '../../../lib/review/owned-patch.ts';
import { parsePolicyVerdict } from '../../../lib/review/parse-policy-verdict.ts';
import { readPolicyEnvironment } from '../../../lib/adapters/policy/policy-environment.ts';
import {
  PolicyConfigError,
  PolicyPatchError,
  PolicyResponseError,
} from '../../../lib/domain/policy-errors.ts';
import { reviewProposal } from '../../../lib/cycle/review-proposal.ts';
import { stateAfterDeny, stateAfterModify } from '../../../lib/review/state-after-review.ts';
import type { ScalingProposal } from '../../../lib/ports/policy-hook.ts';

const V1 = 'a'.repeat(32);
const V2 = 'b'.repeat(32);
const KEY = 'pipeline.jobvertex-parallelism-overrides';
const NOW = 1_767_261_600_000; // 2026-01-01T10:00:00Z, a Thursday

function aProposal(overrides = `${V1}:8,${V2}:2`, namespace = 'flink-jobs', atMs = NOW): ScalingProposal {
  return {
    version: 1,
    resource: { cluster: 'c', namespace, kind: 'FlinkDeployment', name: 'orders' },
    evaluatedAtMs: atMs,
    current: { ownedConfiguration: {}, labels: {}, annotations: {} },
    decision: { action: 'scale', summary: 's', vertices: [] },
    upgradePath: 'in-place',
    patch: { metadata: { resourceVersion: '7' }, spec: { flinkConfiguration: { [KEY]: overrides } } },
  };
}

describe('checkOwnedPatch', () => {
  it.each([
    { name: 'a foreign top-level field', patch: { status: {} }, field: 'patch.status' },
    {
      name: 'metadata other than resourceVersion',
      patch: { metadata: { labels: {} } },
      field: 'patch.metadata.labels',
    },
    { name: 'spec.job', patch: { spec: { job: { parallelism: 3 } } }, field: 'patch.spec.job' },
    {
      name: 'a foreign Flink key',
      patch: { spec: { flinkConfiguration: { 'state.backend': 'x' } } },
      field: 'patch.spec.flinkConfiguration["state.backend"]',
    },
    {
      name: 'a nested foreign key',
      patch: { spec: { flinkConfiguration: { pipeline: { name: 'x' } } } },
      field: 'patch.spec.flinkConfiguration["pipeline.name"]',
    },
    {
      name: 'a malformed vertex id',
      patch: { spec: { flinkConfiguration: { [KEY]: 'src:2' } } },
      field: `patch.spec.flinkConfiguration["${KEY}"]`,
    },
    {
      name: 'a zero parallelism',
      patch: { spec: { flinkConfiguration: { [KEY]: `${V1}:0` } } },
      field: `patch.spec.flinkConfiguration["${KEY}"]`,
    },
    {
      name: 'removing the overrides key',
      patch: { spec: { flinkConfiguration: { [KEY]: null } } },
      field: `patch.spec.flinkConfiguration["${KEY}"]`,
    },
    {
      name: 'TaskManager cpu',
      patch: { spec: { taskManager: { resource: { cpu: 4 } } } },
      field: 'patch.spec.taskManager.resource.cpu',
    },
    {
      name: 'a bad memory quantity',
      patch: { spec: { taskManager: { resource: { memory: 'lots' } } } },
      field: 'patch.spec.taskManager.resource.memory',
    },
  ])('rejects $name, naming the field', ({ patch, field }) => {
    expect(() => checkOwnedPatch(patch)).toThrow(PolicyPatchError);
    try {
      checkOwnedPatch(patch);
    } catch (error) {
      expect((error as PolicyPatchError).field).toBe(field);
    }
  });

  it('accepts our keys, flat or nested, and returns their content', () => {
    const content = checkOwnedPatch({
      metadata: { resourceVersion: '7' },
      spec: {
        flinkConfiguration: {
          [KEY]: `${V1}:3`,
          taskmanager: { memory: { 'managed.size': '1g', 'network.max': null } },
        },
        taskManager: { resource: { memory: '6Gi' } },
      },
    });
    expect(content).toEqual({
      parallelismOverrides: { [V1]: 3 },
      memory: { 'taskmanager.memory.managed.size': '1g', 'taskmanager.memory.network.max': null },
      taskManagerMemory: { 'resource.memory': '6Gi' },
    });
  });
});

describe('parsePolicyVerdict', () => {
  it.each([
    { raw: null, field: 'response' },
    { raw: { verdict: 'maybe' }, field: 'verdict' },
    { raw: { verdict: 'deny', reason: 5 }, field: 'reason' },
    { raw: { verdict: 'modify' }, field: 'patch' },
  ])('rejects $raw naming $field', ({ raw, field }) => {
    expect(() => parsePolicyVerdict(raw)).toThrow(
      expect.objectContaining({ name: 'PolicyResponseError', field }),
    );
  });

  it('keeps verdict, reason and (for modify) the patch', () => {
    expect(parsePolicyVerdict({ verdict: 'deny', reason: 'no', patch: { x: 1 } })).toEqual({
      verdict: 'deny',
      reason: 'no',
    });
    expect(parsePolicyVerdict({ verdict: 'modify', patch: { spec: {} } })).toEqual({
      verdict: 'modify',
      patch: { spec: {} },
    });
  });
});

describe('reviewProposal', () => {
  const hook = (
    review: () => Promise<unknown>,
    failureMode: 'fail-closed' | 'fail-open' = 'fail-closed',
  ) => ({
    name: 'h',
    failureMode,
    timeoutMs: 20,
    review: review as () => Promise<never>,
  });

  it('puts the proposal resourceVersion back on a modified patch', async () => {
    const resolution = await reviewProposal(
      hook(async () => ({
        verdict: 'modify',
        patch: { spec: { flinkConfiguration: { [KEY]: `${V1}:4` } } },
      })),
      aProposal(),
    );
    expect(resolution.patch).toEqual({
      metadata: { resourceVersion: '7' },
      spec: { flinkConfiguration: { [KEY]: `${V1}:4` } },
    });
  });

  it.each([
    { mode: 'fail-closed' as const, verdict: 'deny' },
    { mode: 'fail-open' as const, verdict: 'allow' },
  ])('a throwing hook resolves to $verdict when $mode', async ({ mode, verdict }) => {
    const resolution = await reviewProposal(
      hook(async () => Promise.reject(new Error('boom')), mode),
      aProposal(),
    );
    expect(resolution.verdict).toBe(verdict);
    expect(resolution.failure).toMatch(/Error: boom/);
  });
});

describe('state after a review', () => {
  const previous: JobState = { ...emptyJobState(), parallelismOverrides: { [V1]: 2 } };
  const summary = (tsMs: number, newParallelism: number) => ({
    tsMs,
    currentParallelism: 2,
    newParallelism,
    metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 2, targetDataRateAvg: 1 },
  });
  const proposed: JobState = {
    ...emptyJobState(),
    scalingHistory: { [V1]: [summary(NOW - 600_000, 2), summary(NOW, 8)], [V2]: [summary(NOW, 3)] },
    scalingTracking: [{ startMs: NOW - 600_000, restartDurationMs: 1 }, { startMs: NOW }],
    parallelismOverrides: { [V1]: 8, [V2]: 3 },
    lastEvaluationMs: NOW,
  };

  it('deny drops this cycle’s history and record and keeps the previous overrides', () => {
    const state = stateAfterDeny(previous, proposed, NOW);
    expect(state.scalingHistory).toEqual({ [V1]: [summary(NOW - 600_000, 2)] });
    expect(state.scalingTracking).toEqual([{ startMs: NOW - 600_000, restartDurationMs: 1 }]);
    expect(state.parallelismOverrides).toEqual({ [V1]: 2 });
    expect(state.lastEvaluationMs).toBe(NOW);
  });

  it('modify stores the modified parallelism and drops vertices the patch left out', () => {
    const state = stateAfterModify(
      proposed,
      {
        parallelismOverrides: { [V1]: 4 },
        memory: { 'taskmanager.memory.managed.size': null },
        taskManagerMemory: {},
      },
      NOW,
    );
    expect(state.parallelismOverrides).toEqual({ [V1]: 4 });
    expect(state.scalingHistory[V1]?.at(-1)?.newParallelism).toBe(4);
    expect(state.configOverrides.removals).toEqual(['taskmanager.memory.managed.size']);
  });
});

describe('buildRestorePatch', () => {
  const resource = (config: Record<string, unknown>): FlinkResource => ({
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: { name: 'orders', resourceVersion: '9' },
    spec: { flinkConfiguration: config },
  });

  it('removes only our vertices and memory keys, keeping the user’s own override', () => {
    const patch = buildRestorePatch(
      resource({ [KEY]: `${V1}:8,${V2}:5`, 'taskmanager.memory.managed.size': '1g' }),
      {
        vertices: [V1],
        memoryKeys: ['taskmanager.memory.managed.size'],
      },
    );
    expect(patch).toEqual({
      metadata: { resourceVersion: '9' },
      spec: { flinkConfiguration: { [KEY]: `${V2}:5`, 'taskmanager.memory.managed.size': null } },
    });
  });

  it('removes the key when nothing else is left, and returns undefined when nothing is ours', () => {
    expect(buildRestorePatch(resource({ [KEY]: `${V1}:8` }), { vertices: [V1], memoryKeys: [] })).toEqual({
      metadata: { resourceVersion: '9' },
      spec: { flinkConfiguration: { [KEY]: null } },
    });
    expect(
      buildRestorePatch(resource({ [KEY]: `${V2}:8` }), { vertices: [V1], memoryKeys: [] }),
    ).toBeUndefined();
  });
});

describe('LambdaPolicyHook with an in-process invoker', () => {
  const invoker = (
    answer: Awaited<ReturnType<LambdaInvoker['invoke']>>,
    calls: string[] = [],
  ): LambdaInvoker => ({
    async invoke(request) {
      calls.push(request.payload);
      return answer;
    },
  });

  it('sends the proposal as the payload and parses the JSON answer', async () => {
    const calls: string[] = [];
    const hook = new LambdaPolicyHook(invoker({ statusCode: 200, payload: '{"verdict":"allow"}' }, calls), {
      functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:policy',
    });
    expect(await hook.review(aProposal())).toEqual({ verdict: 'allow' });
    expect(JSON.parse(calls[0]!)).toEqual(aProposal());
  });

  it('turns a function error into a PolicyInvocationError and non-JSON into a PolicyResponseError', async () => {
    const failing = new LambdaPolicyHook(
      invoker({ functionError: 'Unhandled', payload: '{"errorMessage":"x"}' }),
      { functionName: 'p' },
    );
    await expect(failing.review(aProposal())).rejects.toMatchObject({ name: 'PolicyInvocationError' });
    const garbled = new LambdaPolicyHook(invoker({ payload: 'nope' }), { functionName: 'p' });
    await expect(garbled.review(aProposal())).rejects.toBeInstanceOf(PolicyResponseError);
  });

  it('aborts the invoke at the timeout', async () => {
    const hanging: LambdaInvoker = {
      invoke: ({ abortSignal }) =>
        new Promise((_, reject) => abortSignal.addEventListener('abort', () => reject(new Error('aborted')))),
    };
    const hook = new LambdaPolicyHook(hanging, { functionName: 'p', timeoutMs: 10 });
    await expect(hook.review(aProposal())).rejects.toMatchObject({ name: 'PolicyTimeoutError' });
  });
});

describe('readPolicyEnvironment', () => {
  it('is undefined without a function and applies the defaults', () => {
    expect(readPolicyEnvironment({})).toBeUndefined();
    expect(readPolicyEnvironment({ FSA_POLICY_FUNCTION: 'arn:x' })).toEqual({
      functionName: 'arn:x',
      failureMode: 'fail-closed',
      timeoutMs: 5000,
    });
  });

  it.each([
    { env: { FSA_POLICY_FUNCTION: 'p', FSA_POLICY_FAILURE_MODE: 'open' }, field: 'FSA_POLICY_FAILURE_MODE' },
    { env: { FSA_POLICY_FUNCTION: 'p', FSA_POLICY_TIMEOUT_MS: '5s' }, field: 'FSA_POLICY_TIMEOUT_MS' },
    { env: { FSA_POLICY_FUNCTION: 'p', FSA_POLICY_TIMEOUT_MS: '0' }, field: 'FSA_POLICY_TIMEOUT_MS' },
  ])('rejects a bad $field', ({ env, field }) => {
    expect(() => readPolicyEnvironment(env)).toThrow(PolicyConfigError);
    expect(() => readPolicyEnvironment(env)).toThrow(field);
  });
});

describe('example policy: namespace ceiling and business-hours freeze', () => {
  const policy = createNamespaceCeilingPolicy({
    ceilings: { 'flink-jobs': 4, '*': 16 },
    freeze: { timeZone: 'Europe/Berlin' },
  });
  const saturdayNoon = Date.parse('2026-01-03T11:00:00Z');

  it('denies during business hours in the configured time zone', () => {
    // 10:00 UTC on a Thursday = 11:00 in Berlin
    expect(policy(aProposal(undefined, 'flink-jobs', NOW))).toMatchObject({ verdict: 'deny' });
  });

  it('caps vertices above the namespace ceiling outside the freeze, with a patch our checks accept', () => {
    const verdict = policy(aProposal(`${V1}:8,${V2}:2`, 'flink-jobs', saturdayNoon));
    expect(verdict.verdict).toBe('modify');
    expect(checkOwnedPatch(verdict.patch).parallelismOverrides).toEqual({ [V1]: 4, [V2]: 2 });
  });

  it('allows changes within the ceiling (the `*` default for other namespaces)', () => {
    expect(policy(aProposal(`${V1}:8`, 'analytics', saturdayNoon))).toEqual({ verdict: 'allow' });
  });
});

describe('loadModulePolicyHook', () => {
  it('loads the example module by path and reviews with it in-process', async () => {
    const hook = await loadModulePolicyHook('examples/policy-hook/namespace-ceiling-policy.ts', {
      timeoutMs: 1000,
    });
    expect(hook.failureMode).toBe('fail-closed');
    expect(await hook.review(aProposal(`${V1}:8`, 'analytics', Date.parse('2026-01-03T11:00:00Z')))).toEqual({
      verdict: 'allow',
    });
  });

  it('rejects a module without a review function, naming the setting', async () => {
    await expect(loadModulePolicyHook('lib/review/policy-errors.ts')).rejects.toMatchObject({
      name: 'PolicyConfigError',
      field: 'policyModule',
    });
  });
});
