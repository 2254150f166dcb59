/** Builders of FlinkDeployment / FlinkSessionJob objects for the Kubernetes tests. */

export const SOURCE = 'bc764cd8ddf7a0cff126f51c16239658';
export const SINK = '0a448493b4782967b150582570326227';

export interface DeploymentFixture {
  name?: string;
  namespace?: string;
  flinkVersion?: string;
  upgradeMode?: 'stateless' | 'last-state' | 'savepoint';
  flinkConfiguration?: Record<string, unknown>;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taskManager?: Record<string, unknown>;
}

/** A FlinkDeployment valid against the main CRD, opted in to the autoscaler by label. */
export function aFlinkDeployment(f: DeploymentFixture = {}): Record<string, unknown> {
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: {
      name: f.name ?? 'orders-enrichment',
      namespace: f.namespace ?? 'flink-jobs',
      labels: f.labels ?? { 'flink-serverless-autoscaler/enabled': 'true' },
      ...(f.annotations ? { annotations: f.annotations } : {}),
    },
    spec: {
      image: 'flink:1.20',
      flinkVersion: f.flinkVersion ?? 'v1_20',
      serviceAccount: 'flink',
      flinkConfiguration: f.flinkConfiguration ?? {
        'taskmanager.numberOfTaskSlots': '2',
        'jobmanager.scheduler': 'adaptive',
        'high-availability.type': 'kubernetes',
      },
      jobManager: { resource: { cpu: 1, memory: '2048m' } },
      taskManager: f.taskManager ?? { resource: { cpu: 2, memory: '4g' } },
      job: {
        jarURI: 'local:///opt/flink/job.jar',
        parallelism: 4,
        upgradeMode: f.upgradeMode ?? 'last-state',
        state: 'running',
      },
    },
  };
}

/** A FlinkSessionJob on the session cluster `deploymentName`. */
export function aFlinkSessionJob(
  name = 'clicks',
  deploymentName = 'session-cluster',
  namespace = 'flink-jobs',
): Record<string, unknown> {
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkSessionJob',
    metadata: { name, namespace, labels: { 'flink-serverless-autoscaler/enabled': 'true' } },
    spec: {
      deploymentName,
      flinkConfiguration: {},
      job: { jarURI: 'https://repo/clicks.jar', parallelism: 2, upgradeMode: 'savepoint', state: 'running' },
    },
  };
}

/** A session cluster: a FlinkDeployment without `spec.job`, on which session jobs run. */
export function aSessionCluster(
  f: { name?: string; flinkVersion?: string; mode?: 'native' | 'standalone'; flinkConfiguration?: Record<string, string> } = {},
): Record<string, unknown> {
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: { name: f.name ?? 'session-cluster', namespace: 'flink-jobs' },
    spec: {
      image: 'flink:1.20',
      flinkVersion: f.flinkVersion ?? 'v1_20',
      serviceAccount: 'flink',
      ...(f.mode ? { mode: f.mode } : {}),
      flinkConfiguration: f.flinkConfiguration ?? { 'taskmanager.numberOfTaskSlots': '2' },
      jobManager: { resource: { cpu: 1, memory: '2048m' } },
      taskManager: { resource: { cpu: 2, memory: '4g' } },
    },
  };
}
