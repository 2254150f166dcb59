import type { Clock } from '../../ports/clock.ts';
import type { FlinkResource } from './flink-resource.ts';

/**
 * How long a read resource may stand in for a new GET: far longer than a cycle takes from observe
 * to realize (the Flink REST collection in between), far shorter than the 1-minute cadence, so a
 * resource read by one cycle is never used by the next.
 */
export const OBSERVED_RESOURCE_MAX_AGE_MS = 15_000;

/**
 * The FlinkDeployments and FlinkSessionJobs the job discovery read during a cycle, handed once to
 * the realizer of the same cluster, whose "is the spec already as planned?" check then needs no
 * second GET of a resource read moments before. A scaled job's steady cycle re-applies its
 * overrides every time (lib/cycle/steps/realize.ts, as the operator does), so this is one Kubernetes
 * request less per cycle for every job the autoscaler has scaled.
 *
 * Why a resource read a few seconds earlier is good enough: the realizer's PATCH carries the
 * `resourceVersion` it was built from (./scaling-patch.ts), so a resource changed in between is
 * answered with 409 and the retry reads it again; and a change that removed our overrides in
 * those seconds is put back by the next cycle, as a change made just after the GET would be.
 * An entry is used at most once and only while younger than {@link OBSERVED_RESOURCE_MAX_AGE_MS}.
 * The operator does the same: its `KubernetesScalingRealizer` (flink-kubernetes-operator,
 * `org.apache.flink.kubernetes.operator.autoscaler`) writes the overrides into the
 * resource of the reconcile (`context.getResource()`, from its informer) without reading it again.
 */
export class ObservedResources {
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  /** By resource path, oldest read first (a path read again moves to the end). */
  readonly #entries = new Map<string, { readonly resource: FlinkResource; readonly readAtMs: number }>();

  constructor(clock: Clock, maxAgeMs = OBSERVED_RESOURCE_MAX_AGE_MS) {
    this.#clock = clock;
    this.#maxAgeMs = maxAgeMs;
  }

  /** Records `resource` as read now from `path`; entries past their age are dropped. */
  remember(path: string, resource: FlinkResource): void {
    const nowMs = this.#clock.nowMs();
    this.#entries.delete(path);
    this.#entries.set(path, { resource, readAtMs: nowMs });
    for (const [oldPath, entry] of this.#entries) {
      if (nowMs - entry.readAtMs <= this.#maxAgeMs) break;
      this.#entries.delete(oldPath);
    }
  }

  /** The resource read from `path` within the maximum age, once; undefined otherwise (then GET it). */
  take(path: string): FlinkResource | undefined {
    const entry = this.#entries.get(path);
    if (!entry) return undefined;
    this.#entries.delete(path);
    return this.#clock.nowMs() - entry.readAtMs <= this.#maxAgeMs ? entry.resource : undefined;
  }

  /** Resources held (for tests of the bound). */
  get size(): number {
    return this.#entries.size;
  }
}
