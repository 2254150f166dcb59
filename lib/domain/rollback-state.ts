/**
 * What the autoscaler remembers to roll back an unhealthy rescale (docs/algorithm.md §13): the last
 * settings the job was healthy with, the change under watch, and the changes blocked after a
 * rollback. Part of {@link JobState} (`rollback`), absent on state written by older versions.
 */
import type { ConfigChanges } from './job-state.ts';
import type { VertexId } from './topology.ts';

/** The autoscaler's own settings of a job: what it writes and what a rollback restores. */
export interface OwnedSettings {
  readonly parallelismOverrides: Readonly<Record<VertexId, number>>;
  readonly configOverrides: ConfigChanges;
  /**
   * TaskManager process memory of the spec before the change, bytes: restored when the change
   * set `taskmanager.memory.process.size` (the realizer then writes the spec's memory back too).
   */
  readonly taskManagerMemoryBytes?: number;
}

/** A change applied by the autoscaler and watched until the job proves healthy with it. */
export interface RollbackWatch {
  /** Epoch ms the change was decided and applied. */
  readonly appliedAtMs: number;
  /** The settings before the change: what a rollback restores. */
  readonly knownGood: OwnedSettings;
  /** Sources' processing rate (records/s) over the window before the change; absent = unknown. */
  readonly preChangeRatePerSecond?: number;
  /** Sources' total lag (records) at the change; absent = unknown. */
  readonly preChangeLagRecords?: number;
  /** Whether the job has been seen RUNNING (and measurable) since the change. */
  readonly seenRunning: boolean;
  /** Times the job was seen leaving RUNNING again after it first ran with the change. */
  readonly restartsSeen: number;
  /** Epoch ms TaskManager pods were first seen unschedulable since the change (cleared when none are). */
  readonly unschedulableSinceMs?: number;
}

/** A rolled-back change of one vertex, blocked until `untilMs`. */
export interface BlockedChange {
  readonly vertexId: VertexId;
  /** Parallelism before the change (the one restored). */
  readonly fromParallelism: number;
  /** Parallelism that was rolled back: it and anything beyond it in the same direction are blocked. */
  readonly toParallelism: number;
  /** Epoch ms the block ends. */
  readonly untilMs: number;
}

/** Why a change was rolled back. */
export type RollbackCause = 'failed' | 'not-running' | 'restart-loop' | 'unschedulable' | 'throughput';

/** The last rollback, for `fsa status` and the report. */
export interface RollbackRecord {
  readonly atMs: number;
  readonly cause: RollbackCause;
  /** One sentence with the evidence (states, pod names, rates). */
  readonly evidence: string;
  /** Per vertex: the parallelism rolled back and the one restored. */
  readonly vertices: readonly { readonly vertexId: VertexId; readonly from: number; readonly to: number }[];
}

/** The rollback part of the job state. */
export interface RollbackState {
  /** The change under watch; absent when the last change proved healthy (or none was made). */
  readonly watch?: RollbackWatch;
  /** Changes blocked after a rollback (expired entries are dropped as they are read). */
  readonly blocked: readonly BlockedChange[];
  /** The last rollback made. */
  readonly last?: RollbackRecord;
}

const CAUSES: readonly RollbackCause[] = ['failed', 'not-running', 'restart-loop', 'unschedulable', 'throughput'];

/** A stored rollback state that does not have the documented shape. */
export class InvalidRollbackStateError extends Error {
  constructor(field: string, problem: string) {
    super(`rollback state: ${field} ${problem}`);
    this.name = 'InvalidRollbackStateError';
  }
}

/**
 * Parses a stored rollback state (plain JSON as written by the state codecs); throws
 * {@link InvalidRollbackStateError} naming the first bad field.
 */
export function parseRollbackState(value: unknown): RollbackState {
  const body = objectAt(value, 'rollback');
  const blocked = arrayAt(body['blocked'], 'rollback.blocked').map((entry, i) => {
    const b = objectAt(entry, `rollback.blocked[${i}]`);
    return {
      vertexId: stringAt(b['vertexId'], `rollback.blocked[${i}].vertexId`),
      fromParallelism: numberAt(b['fromParallelism'], `rollback.blocked[${i}].fromParallelism`),
      toParallelism: numberAt(b['toParallelism'], `rollback.blocked[${i}].toParallelism`),
      untilMs: numberAt(b['untilMs'], `rollback.blocked[${i}].untilMs`),
    };
  });
  return {
    blocked,
    ...(body['watch'] !== undefined ? { watch: parseWatch(body['watch']) } : {}),
    ...(body['last'] !== undefined ? { last: parseRecord(body['last']) } : {}),
  };
}

function parseWatch(value: unknown): RollbackWatch {
  const w = objectAt(value, 'rollback.watch');
  const good = objectAt(w['knownGood'], 'rollback.watch.knownGood');
  const overrides = objectAt(good['parallelismOverrides'], 'rollback.watch.knownGood.parallelismOverrides');
  const config = objectAt(good['configOverrides'], 'rollback.watch.knownGood.configOverrides');
  const configValues = objectAt(config['overrides'], 'rollback.watch.knownGood.configOverrides.overrides');
  const optional = (key: string) =>
    w[key] === undefined ? {} : { [key]: numberAt(w[key], `rollback.watch.${key}`) };
  const memory =
    good['taskManagerMemoryBytes'] === undefined
      ? {}
      : { taskManagerMemoryBytes: numberAt(good['taskManagerMemoryBytes'], 'rollback.watch.knownGood.taskManagerMemoryBytes') };
  return {
    appliedAtMs: numberAt(w['appliedAtMs'], 'rollback.watch.appliedAtMs'),
    knownGood: {
      ...memory,
      parallelismOverrides: Object.fromEntries(
        Object.entries(overrides).map(([id, p]) => [id, numberAt(p, `rollback.watch.knownGood.parallelismOverrides.${id}`)]),
      ),
      configOverrides: {
        overrides: Object.fromEntries(
          Object.entries(configValues).map(([k, v]) => [k, stringAt(v, `rollback.watch.knownGood.configOverrides.overrides.${k}`)]),
        ),
        removals: arrayAt(config['removals'], 'rollback.watch.knownGood.configOverrides.removals').map((v, i) =>
          stringAt(v, `rollback.watch.knownGood.configOverrides.removals[${i}]`),
        ),
      },
    },
    seenRunning: w['seenRunning'] === true,
    restartsSeen: numberAt(w['restartsSeen'], 'rollback.watch.restartsSeen'),
    ...optional('preChangeRatePerSecond'),
    ...optional('preChangeLagRecords'),
    ...optional('unschedulableSinceMs'),
  };
}

function parseRecord(value: unknown): RollbackRecord {
  const r = objectAt(value, 'rollback.last');
  const cause = stringAt(r['cause'], 'rollback.last.cause');
  if (!(CAUSES as readonly string[]).includes(cause)) {
    throw new InvalidRollbackStateError('rollback.last.cause', `is '${cause}', expected one of ${CAUSES.join(', ')}`);
  }
  return {
    atMs: numberAt(r['atMs'], 'rollback.last.atMs'),
    cause: cause as RollbackCause,
    evidence: stringAt(r['evidence'], 'rollback.last.evidence'),
    vertices: arrayAt(r['vertices'], 'rollback.last.vertices').map((entry, i) => {
      const v = objectAt(entry, `rollback.last.vertices[${i}]`);
      return {
        vertexId: stringAt(v['vertexId'], `rollback.last.vertices[${i}].vertexId`),
        from: numberAt(v['from'], `rollback.last.vertices[${i}].from`),
        to: numberAt(v['to'], `rollback.last.vertices[${i}].to`),
      };
    }),
  };
}

function objectAt(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidRollbackStateError(field, 'is not an object');
  return v as Record<string, unknown>;
}

function arrayAt(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new InvalidRollbackStateError(field, 'is not an array');
  return v;
}

function numberAt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidRollbackStateError(field, 'is not a finite number');
  return v;
}

function stringAt(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new InvalidRollbackStateError(field, 'is not a string');
  return v;
}
