import type { JobKey, ResourceKind } from '../../domain/index.ts';
import type { RunRecord } from '../../ports/state-store.ts';
import type { TableItem } from './job-items.ts';
import { ATTR, ITEM_SCHEMA_VERSION, REGISTRY_PARTITION_KEY, SORT_KEYS, STATE_TABLE } from './table-schema.ts';

/** The registry item of the job whose partition key is `jobPk`. */
export function registryItem(jobPk: string): TableItem {
  return {
    [STATE_TABLE.partitionKey]: REGISTRY_PARTITION_KEY,
    [STATE_TABLE.sortKey]: jobPk,
    [ATTR.schemaVersion]: ITEM_SCHEMA_VERSION,
  };
}

/** The job key of a `JOB#cluster#namespace#kind#name` partition key; undefined when malformed. */
export function jobKeyOfPartitionKey(pk: string): JobKey | undefined {
  const parts = pk.split('#');
  if (parts.length !== 5 || parts[0] !== 'JOB') return undefined;
  const [, cluster, namespace, kind, name] = parts as [string, string, string, string, string];
  if (kind !== 'FlinkDeployment' && kind !== 'FlinkSessionJob') return undefined;
  return { cluster, namespace, kind: kind as ResourceKind, name };
}

/** The RUN item of a job. */
export function runItem(jobPk: string, run: RunRecord): TableItem {
  return {
    [STATE_TABLE.partitionKey]: jobPk,
    [STATE_TABLE.sortKey]: SORT_KEYS.run,
    [ATTR.schemaVersion]: ITEM_SCHEMA_VERSION,
    [ATTR.run]: JSON.stringify(run),
  };
}

/** Decodes a RUN item; undefined for another schema or an unreadable body (status is best effort). */
export function decodeRunItem(item: TableItem | undefined): RunRecord | undefined {
  if (!item || item[ATTR.schemaVersion] !== ITEM_SCHEMA_VERSION) return undefined;
  const body = item[ATTR.run];
  if (typeof body !== 'string') return undefined;
  try {
    const run = JSON.parse(body) as RunRecord;
    return typeof run?.atMs === 'number' && typeof run.outcome === 'string' ? run : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a job item is removed by clean-up: everything but the event log. */
export function isForgottenOnCleanup(sortKey: string): boolean {
  return !sortKey.startsWith(SORT_KEYS.eventPrefix);
}
