import { PARALLELISM_OVERRIDES_KEY } from '../../lib/domain/owned-keys.ts';
import { type SimulatedFlinkCluster, versionAtLeast } from './simulated-cluster.ts';

/** Cluster-level REST bodies: overview, dashboard config, configuration, JobManager, TaskManagers. */

/**
 * `GET /overview` (`ClusterOverviewHandler`, `ClusterOverviewWithVersion`); the blocked-slot
 * fields exist from Flink 1.17 on.
 */
export function overview(cluster: SimulatedFlinkCluster) {
  const tms = cluster.taskManagers();
  const total = tms.reduce((sum, tm) => sum + tm.slots, 0);
  const free = tms.reduce((sum, tm) => sum + tm.freeSlots, 0);
  return {
    taskmanagers: tms.length,
    'slots-total': total,
    'slots-available': free,
    'jobs-running': cluster.state === 'RUNNING' ? 1 : 0,
    'jobs-finished': 0,
    'jobs-cancelled': 0,
    'jobs-failed': 0,
    'flink-version': cluster.scenario.flinkVersion,
    'flink-commit': 'simulat',
    ...(versionAtLeast(cluster.scenario.flinkVersion, 1, 17)
      ? { 'slots-free-and-blocked': 0, 'taskmanagers-blocked': 0 }
      : {}),
  };
}

/** `GET /config` (`DashboardConfigHandler`, `DashboardConfiguration`, Flink 1.x). */
export function dashboardConfig(cluster: SimulatedFlinkCluster) {
  return {
    'refresh-interval': 3000,
    'timezone-name': 'Coordinated Universal Time',
    'timezone-offset': 0,
    'flink-version': cluster.scenario.flinkVersion,
    'flink-revision': 'simulat @ simulated',
    features: { 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': false },
  };
}

/**
 * `GET /jobmanager/config` (`ClusterConfigHandler`) and, from Flink 1.19, the per-job
 * `GET /jobs/{id}/jobmanager/config` (`JobManagerJobConfigurationHandler`): a key/value list with
 * secret-looking values masked as `******` (`GlobalConfiguration.isSensitive`).
 */
export function configuration(cluster: SimulatedFlinkCluster) {
  const { scenario } = cluster;
  const overrides = scenario.vertices.map(
    (vertex) => `${vertex.vertexId}:${cluster.parallelismOf(vertex.key)}`,
  );
  const entries: Record<string, string> = {
    'taskmanager.numberOfTaskSlots': String(scenario.taskManager.slots),
    'pipeline.max-parallelism': String(scenario.jobMaxParallelism),
    [PARALLELISM_OVERRIDES_KEY]: overrides.join(','),
    'jobmanager.scheduler': scenario.restart.mode === 'in-place' ? 'adaptive' : 'default',
    'taskmanager.memory.process.size': `${Math.round(scenario.taskManager.processSizeBytes / 1024 / 1024)}m`,
    'taskmanager.memory.managed.size': `${Math.round(scenario.taskManager.managedTotalBytes / 1024 / 1024)}m`,
    'metrics.fetcher.update-interval': '10000',
    'rest.port': '8081',
    'kubernetes.cluster-id': scenario.name,
    's3.secret-key': '******',
    ...scenario.configuration,
  };
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}

/** The JobManager's metric values for `GET /jobmanager/metrics` (`JobManagerMetricsHandler`). */
export function jobManagerMetrics(cluster: SimulatedFlinkCluster): Map<string, number> {
  const tms = cluster.taskManagers();
  return new Map<string, number>([
    ['taskSlotsTotal', tms.reduce((sum, tm) => sum + tm.slots, 0)],
    ['taskSlotsAvailable', tms.reduce((sum, tm) => sum + tm.freeSlots, 0)],
    ['numRegisteredTaskManagers', tms.length],
    ['numRunningJobs', cluster.state === 'RUNNING' ? 1 : 0],
    ['Status.JVM.Memory.Heap.Used', 150 * 1024 * 1024],
    ['Status.JVM.Memory.Heap.Max', 512 * 1024 * 1024],
  ]);
}

/**
 * `GET /taskmanagers` (`TaskManagersHandler`, `TaskManagersInfo`, Flink 1.x): per TaskManager its
 * slots, resources and `memoryConfiguration` (`TaskExecutorMemoryConfiguration`).
 */
export function taskManagersInfo(cluster: SimulatedFlinkCluster) {
  const tm = cluster.scenario.taskManager;
  const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    taskmanagers: cluster.taskManagers().map((info, index) => {
      const resource = (slots: number) => ({
        cpuCores: slots,
        taskHeapMemory: mib(tm.heapMaxBytes) * (slots / info.slots),
        taskOffHeapMemory: 0,
        managedMemory: mib(tm.managedTotalBytes) * (slots / info.slots),
        networkMemory: 64 * (slots / info.slots),
        extendedResources: {},
      });
      return {
        id: info.id,
        path: `pekko.tcp://flink@10.0.${index >> 8}.${index & 255}:6122/user/rpc/taskmanager_0`,
        dataPort: 6121,
        jmxPort: -1,
        timeSinceLastHeartbeat: cluster.nowMs,
        slotsNumber: info.slots,
        freeSlots: info.freeSlots,
        totalResource: resource(info.slots),
        freeResource: resource(info.freeSlots),
        hardware: {
          cpuCores: info.slots,
          physicalMemory: tm.processSizeBytes,
          freeMemory: tm.heapMaxBytes,
          managedMemory: tm.managedTotalBytes,
        },
        memoryConfiguration: {
          frameworkHeap: 128 * 1024 * 1024,
          taskHeap: tm.heapMaxBytes - 128 * 1024 * 1024,
          frameworkOffHeap: 128 * 1024 * 1024,
          taskOffHeap: 0,
          networkMemory: 64 * 1024 * 1024,
          managedMemory: tm.managedTotalBytes,
          jvmMetaspace: 256 * 1024 * 1024,
          jvmOverhead: 192 * 1024 * 1024,
          totalFlinkMemory: tm.processSizeBytes - 448 * 1024 * 1024,
          totalProcessMemory: tm.processSizeBytes,
        },
        blocked: false,
      };
    }),
  };
}

