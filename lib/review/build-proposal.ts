import type { JobKey } from '../domain/job-key.ts';
import type { MemoryPlan } from '../domain/memory-plan.ts';
import type { ScalingDecision } from '../domain/scaling-decision.ts';
import type { ScalingProposal } from '../domain/policy-review.ts';
import type { RealizePreview } from '../domain/realizer-outcomes.ts';

/** Inputs of {@link buildProposal}. */
export interface ProposalInput {
  readonly key: JobKey;
  readonly jobId?: string;
  readonly nowMs: number;
  readonly decision: ScalingDecision;
  /** The stored overrides the plan applies (vertex → parallelism), for vertices the decision did not change. */
  readonly parallelismOverrides: Readonly<Record<string, number>>;
  readonly memoryPlan?: MemoryPlan;
  /** The realizer's preview; must be `would-patch` with a patch. */
  readonly preview: RealizePreview & { readonly patch: Record<string, unknown> };
}

/**
 * The hook's payload (pure). Vertices: every vertex the decision changes, plus every vertex whose
 * stored override differs from its current parallelism (a re-apply after drift), so the policy
 * sees each parallelism the patch sets.
 */
export function buildProposal(input: ProposalInput): ScalingProposal {
  const { key, decision, preview } = input;
  const byVertex = new Map(decision.vertices.map((v) => [v.vertexId, v]));
  const vertices: ScalingProposal['decision']['vertices'][number][] = [];
  for (const [vertexId, parallelism] of Object.entries(input.parallelismOverrides)) {
    const vertex = byVertex.get(vertexId);
    const current = vertex?.currentParallelism ?? parallelism;
    if (vertex?.changed || current !== parallelism) {
      vertices.push({
        vertexId,
        currentParallelism: current,
        newParallelism: parallelism,
        reasons: vertex?.reasons ?? [],
        why: vertex?.why ?? 'stored override re-applied',
      });
    }
  }
  const memory = input.memoryPlan?.applied
    ? {
        totalBeforeBytes: input.memoryPlan.totalBeforeBytes,
        totalAfterBytes: input.memoryPlan.totalAfterBytes,
        configChanges: input.memoryPlan.configChanges,
      }
    : undefined;
  return {
    version: 1,
    resource: {
      cluster: key.cluster,
      namespace: key.namespace,
      kind: key.kind,
      name: key.name,
      ...(input.jobId ? { jobId: input.jobId } : {}),
      ...(preview.resourceVersion ? { resourceVersion: preview.resourceVersion } : {}),
      ...(preview.generation !== undefined ? { generation: preview.generation } : {}),
    },
    evaluatedAtMs: input.nowMs,
    current: preview.current,
    decision: { action: decision.action, summary: decision.summary, vertices },
    ...(memory ? { memory } : {}),
    upgradePath: preview.upgradePath,
    patch: preview.patch,
  };
}
