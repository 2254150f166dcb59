import { parseMemoryBytes } from '../../config/value-parsers.ts';
import type { TaskManagerResources } from '../../domain/resources.ts';
import type { FlinkResourceSpec } from './flink-resource.ts';
import { InvalidKubernetesInputError } from './kubernetes-errors.ts';
import { parseCpuCores, parseMemoryQuantityBytes } from './quantity.ts';

/**
 * Spec memory strings accept Flink sizes (`4096m`, `4g`: binary units) and Kubernetes quantities
 * (`4Gi`, `4G` decimal) (docs/flink-resources.md §2.2). A Flink size is tried first because
 * the operator's examples use that form; lower-case `m` would otherwise read as milli-bytes.
 */
export function parseSpecMemoryBytes(text: string | number, field: string): number {
  if (typeof text === 'number') return Math.floor(text);
  if (/^\d+(\.\d+)?\s*(k|K|M|G|T|P|E)$/.test(text.trim())) return parseMemoryQuantityBytes(text, field);
  try {
    return parseMemoryBytes(text);
  } catch {
    return parseMemoryQuantityBytes(text, field);
  }
}

/**
 * Reads TaskManager CPU and memory from a FlinkDeployment spec: `resources` (main CRD; requests
 * first, then limits) wins over the deprecated `resource` when both are set, and records where
 * memory came from so the realizer patches the same field (docs/flink-resources.md §2.2, §5).
 */
export function readTaskManagerResources(spec: FlinkResourceSpec): TaskManagerResources {
  const tm = spec.taskManager ?? {};
  const requests = tm.resources?.requests ?? {};
  const limits = tm.resources?.limits ?? {};
  const cpuText = requests['cpu'] ?? limits['cpu'];
  const cpu =
    cpuText !== undefined ? parseCpuCores(cpuText, 'spec.taskManager.resources.cpu') : tm.resource?.cpu;
  try {
    if (requests['memory'] !== undefined) {
      const memoryBytes = parseSpecMemoryBytes(
        requests['memory'],
        'spec.taskManager.resources.requests.memory',
      );
      const limit = limits['memory'];
      return {
        ...(cpu !== undefined ? { cpu } : {}),
        memoryBytes,
        memorySource: 'resources.requests.memory',
        ...(limit !== undefined
          ? { memoryLimitBytes: parseSpecMemoryBytes(limit, 'spec.taskManager.resources.limits.memory') }
          : {}),
      };
    }
    if (limits['memory'] !== undefined) {
      return {
        ...(cpu !== undefined ? { cpu } : {}),
        memoryBytes: parseSpecMemoryBytes(limits['memory'], 'spec.taskManager.resources.limits.memory'),
        memorySource: 'resources.limits.memory',
      };
    }
    if (tm.resource?.memory !== undefined) {
      return {
        ...(cpu !== undefined ? { cpu } : {}),
        memoryBytes: parseSpecMemoryBytes(tm.resource.memory, 'spec.taskManager.resource.memory'),
        memorySource: 'resource.memory',
      };
    }
  } catch (error) {
    if (error instanceof InvalidKubernetesInputError) throw error;
    throw new InvalidKubernetesInputError('spec.taskManager memory', String(error), { cause: error });
  }
  return cpu !== undefined ? { cpu } : {};
}
