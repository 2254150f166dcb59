import type { TaskManagerResources } from '../../domain/resources.ts';
import type { FlinkResourceSpec } from './flink-resource.ts';
import { InvalidKubernetesInputError } from './kubernetes-errors.ts';
import { parseOperatorMemoryBytes } from './memory-string.ts';
import { parseCpuCores } from './quantity.ts';

/**
 * Bytes of a spec memory string, parsed as the operator parses it (`memory-string.ts`): Flink
 * sizes first, all binary (`2G` = `2g` = `2048m` = 2 GiB), then Kubernetes quantities (`2Gi`,
 * `2e9`) (docs/flink-resources.md §2.2).
 */
export function parseSpecMemoryBytes(text: string | number, field: string): number {
  return parseOperatorMemoryBytes(text, field);
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
    // Once `resources` carries any request or limit the operator ignores the deprecated field's
    // memory (`ResourceConfigUtils.hasResourceRequirements`, operator main): patching it would
    // restart the job for nothing.
    const hasRequirements = Object.keys(requests).length > 0 || Object.keys(limits).length > 0;
    if (!hasRequirements && tm.resource?.memory !== undefined) {
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
