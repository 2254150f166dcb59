import { fileURLToPath } from 'node:url';
import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import { type ISecurityGroup, type IVpc, type SubnetSelection, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type ClusterEnvironmentEntry, RUNTIME_ENV } from '../../functions/shared/runtime-environment.ts';
import { METRICS_NAMESPACE } from '../../lib/adapters/cloudwatch/metric-catalog.ts';
import { REGISTRY_PARTITION_KEY } from '../../lib/adapters/dynamodb/table-schema.ts';
import type { PolicyFailureMode } from '../../lib/ports/policy-hook.ts';
import { AutoscalerAlarms, type AutoscalerAlarmsProps } from './constructs/autoscaler-alarms.ts';
import { AutoscalerDashboard } from './constructs/autoscaler-dashboard.ts';
import { AutoscalerFunction } from './constructs/autoscaler-function.ts';
import { AutoscalerNetwork, type VpcEndpointService } from './constructs/autoscaler-network.ts';
import {
  AUTOSCALER_KUBERNETES_GROUP,
  DISPATCHER_KUBERNETES_GROUP,
  EksAccess,
} from './constructs/eks-access.ts';
import { JobQueue } from './constructs/job-queue.ts';
import { Schedule } from './constructs/schedule.ts';
import { StateTable, type StateTableProps } from './constructs/state-table.ts';
import { validateClusters } from './clusters.ts';
import {
  serializeDeploymentDefaults,
  validateNetworkAndConcurrency,
  validatePolicyProps,
} from './props-validation.ts';
import { assertIntegerInRange, assertNonEmpty } from './validation.ts';

/** One EKS cluster the autoscaler manages. */
export interface AutoscalerCluster {
  /** EKS cluster name. */
  readonly name: string;
  /**
   * Region of the cluster. A cluster in another region than the stack gets its access entries
   * from a custom resource in its region (see {@link EksAccess}); that needs the stack's region
   * resolved at synth time. @default the stack's region
   */
  readonly region?: string;
  /** Namespaces to watch. @default all namespaces */
  readonly namespaces?: readonly string[];
}

/** Props of {@link FlinkAutoscaler}. */
export interface FlinkAutoscalerProps {
  /** The EKS clusters to manage (at least one). */
  readonly clusters: readonly AutoscalerCluster[];
  /** Tick interval of the dispatcher, whole minutes. @default Duration.minutes(1) */
  readonly scheduleRate?: Duration;
  /**
   * Maximum concurrent worker invocations (the SQS event source's maximum concurrency): bounds the
   * load on the Kubernetes API servers and Flink JobManagers. Between 2 and 1000.
   * @default 10
   */
  readonly workerConcurrency?: number;
  /**
   * Job messages per worker invocation (the SQS event source's batch size; at most 10 for a FIFO
   * queue). Jobs of one batch share the invocation's start-up and memory; their cycles run at
   * once up to {@link cycleConcurrency}.
   * @default 10
   */
  readonly workerBatchSize?: number;
  /**
   * Cycles one worker invocation runs at once (`FSA_CYCLE_CONCURRENCY`); a cycle is mostly
   * waiting on the Flink REST and Kubernetes APIs. Between 1 and 100.
   * @default the batch size
   */
  readonly cycleConcurrency?: number;
  /**
   * How often a job whose cycles change nothing gets a cycle record that lists every vertex
   * (`FSA_VERTEX_DETAIL_INTERVAL_MS`); the other records carry the job's totals only, which keeps
   * the logs at about a third of the bytes (README "Cost"). A cycle that changes something always
   * lists its vertices. Whole minutes from 0 (every cycle) to 60.
   * @default Duration.minutes(5)
   */
  readonly vertexDetailInterval?: Duration;
  /** @default Duration.minutes(2) */
  readonly workerTimeout?: Duration;
  /** @default Duration.minutes(1) */
  readonly dispatcherTimeout?: Duration;
  /** Receives of a job message before it is dead-lettered (see {@link JobQueueProps.maxReceiveCount}). @default 2 */
  readonly maxReceiveCount?: number;
  /** State table options. @default see {@link StateTableProps} */
  readonly tableProps?: StateTableProps;
  /** VPC for both functions, for clusters with a private API endpoint. @default not in a VPC */
  readonly vpc?: IVpc;
  /**
   * Stack traces mapped to the TypeScript sources at run time, at about 35 ms per cold start
   * (see {@link AutoscalerFunctionProps.sourceMapsInStackTraces}). @default false
   */
  readonly sourceMapsInStackTraces?: boolean;
  /** @default private subnets with egress */
  readonly vpcSubnets?: SubnetSelection;
  /** @default one new security group per function */
  readonly securityGroups?: ISecurityGroup[];
  /**
   * Security groups of the clusters' API endpoints: each gets an HTTPS (443) ingress rule from
   * the functions. Only with {@link vpc}. @default none
   */
  readonly clusterSecurityGroupIds?: readonly string[];
  /** VPC endpoints for the AWS APIs the functions call. Only with {@link vpc}. @default none */
  readonly vpcEndpoints?: readonly VpcEndpointService[];
  /** Route tables of {@link vpcSubnets}, for the `dynamodb` gateway endpoint. @default none */
  readonly routeTableIds?: readonly string[];
  /** Reserved concurrency of the dispatcher. @default none */
  readonly dispatcherReservedConcurrency?: number;
  /**
   * Reserved concurrency of the worker; at least {@link workerConcurrency}, or the queue's poller
   * is throttled and messages come back late. @default none
   */
  readonly workerReservedConcurrency?: number;
  /** X-Ray active tracing on both functions. @default false */
  readonly tracing?: boolean;
  /** Topic notified by the alarms. @default no notifications */
  readonly alarmTopic?: ITopic;
  /** Alarm tuning. @default see {@link AutoscalerAlarmsProps} */
  readonly alarmProps?: Partial<Omit<AutoscalerAlarmsProps, 'serviceName' | 'deadLetterQueue' | 'topic'>>;
  /**
   * Deployment-wide `flinkConfiguration`-style defaults (e.g. `job.autoscaler.target.utilization`),
   * applied between the built-in defaults and each resource's own keys (docs/design.md §3).
   * @default none
   */
  readonly deploymentDefaults?: Readonly<Record<string, string>>;
  /**
   * Service name: the `Service` dimension of run metrics and the logs' `service` key. Use a distinct
   * one per deployment in the same account.
   * @default 'flink-serverless-autoscaler'
   */
  readonly serviceName?: string;
  /**
   * Create the EKS access entries of both roles (the dispatcher's read-only group, the worker's
   * group), in each cluster's region. @default true
   */
  readonly manageAccessEntries?: boolean;
  /**
   * Policy hook: a Lambda function (a `Function` or its ARN) the worker invokes synchronously with
   * every proposed change (resource, decision, memory plan, the exact merge patch) before it is
   * written. It answers `allow`, `deny` (with a reason) or `modify` with a patch restricted to the
   * autoscaler's keys. See README "Policy hooks".
   * @default no policy hook
   */
  readonly policyFunction?: string | IFunction;
  /**
   * What happens when the policy function times out, errors or answers invalidly: `fail-closed`
   * applies nothing (as a deny), `fail-open` applies the proposal unchanged. Both emit a Warning.
   * @default 'fail-closed'
   */
  readonly policyFailureMode?: PolicyFailureMode;
  /** Longest wait for the policy function's answer (1 ms–60 s, below `workerTimeout`). @default Duration.seconds(5) */
  readonly policyTimeout?: Duration;
  /** Handler entry points; overridable for tests. @default functions/{dispatcher,scale-job}/handler.ts */
  readonly entries?: { readonly dispatcher?: string; readonly worker?: string };
}

/** Defaults of {@link FlinkAutoscalerProps}. */
export function defaultFlinkAutoscalerProps() {
  return {
    scheduleRate: Duration.minutes(1),
    workerConcurrency: 10,
    workerBatchSize: 10,
    workerTimeout: Duration.minutes(2),
    vertexDetailInterval: Duration.minutes(5),
    dispatcherTimeout: Duration.minutes(1),
    serviceName: 'flink-serverless-autoscaler',
    manageAccessEntries: true,
    policyFailureMode: 'fail-closed' as PolicyFailureMode,
    policyTimeout: Duration.seconds(5),
    dispatcherEntry: fileURLToPath(new URL('../../functions/dispatcher/handler.ts', import.meta.url)),
    workerEntry: fileURLToPath(new URL('../../functions/scale-job/handler.ts', import.meta.url)),
  };
}

/**
 * The whole autoscaler: schedule → dispatcher → queue → worker, the state table, EKS access, the
 * dashboard and the alarms, with least-privilege IAM for each function.
 */
export class FlinkAutoscaler extends Construct {
  readonly stateTable: StateTable;
  readonly jobQueue: JobQueue;
  readonly dispatcher: AutoscalerFunction;
  readonly worker: AutoscalerFunction;
  readonly schedule: Schedule;
  readonly eksAccess?: EksAccess;
  /** Ingress rules and VPC endpoints, when the functions run in a VPC. */
  readonly network?: AutoscalerNetwork;
  readonly dashboard: AutoscalerDashboard;
  readonly alarms: AutoscalerAlarms;

  constructor(scope: Construct, id: string, props: FlinkAutoscalerProps) {
    super(scope, id);
    const defaults = defaultFlinkAutoscalerProps();
    const stack = Stack.of(this);
    const clusters = validateClusters(props.clusters, stack.region);
    const workerConcurrency = props.workerConcurrency ?? defaults.workerConcurrency;
    assertIntegerInRange('workerConcurrency', workerConcurrency, 2, 1000);
    const workerBatchSize = props.workerBatchSize ?? defaults.workerBatchSize;
    // Lambda's SQS event source takes at most 10 messages per batch from a FIFO queue.
    assertIntegerInRange('workerBatchSize', workerBatchSize, 1, 10);
    const cycleConcurrency = props.cycleConcurrency ?? workerBatchSize;
    assertIntegerInRange('cycleConcurrency', cycleConcurrency, 1, 100);
    const serviceName = props.serviceName ?? defaults.serviceName;
    assertNonEmpty('serviceName', serviceName);
    const deploymentDefaults = serializeDeploymentDefaults(props.deploymentDefaults ?? {});
    const workerTimeout = props.workerTimeout ?? defaults.workerTimeout;
    const vertexDetailInterval = props.vertexDetailInterval ?? defaults.vertexDetailInterval;
    assertIntegerInRange('vertexDetailInterval (minutes)', vertexDetailInterval.toSeconds() / 60, 0, 60);
    const policyEnvironment = validatePolicyProps(props, workerTimeout, defaults);
    validateNetworkAndConcurrency(props, workerConcurrency);

    this.stateTable = new StateTable(this, 'State', props.tableProps);
    this.jobQueue = new JobQueue(this, 'Jobs', { workerTimeout, maxReceiveCount: props.maxReceiveCount });

    const common = {
      serviceName,
      sourceMapsInStackTraces: props.sourceMapsInStackTraces ?? false,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      tracing: props.tracing ?? false,
    };
    const sharedEnvironment = {
      [RUNTIME_ENV.clusters]: JSON.stringify(clusters),
      [RUNTIME_ENV.metricsNamespace]: METRICS_NAMESPACE,
    };
    this.dispatcher = new AutoscalerFunction(this, 'Dispatcher', {
      ...common,
      entry: props.entries?.dispatcher ?? defaults.dispatcherEntry,
      description: 'Flink Serverless Autoscaler: lists managed Flink jobs and queues one message per job',
      timeout: props.dispatcherTimeout ?? defaults.dispatcherTimeout,
      reservedConcurrentExecutions: props.dispatcherReservedConcurrency,
      environment: {
        ...sharedEnvironment,
        [RUNTIME_ENV.queueUrl]: this.jobQueue.queue.queueUrl,
        // The dispatcher reads the job registry to find jobs to clean up (docs/design.md §9.1).
        [RUNTIME_ENV.tableName]: this.stateTable.table.tableName,
      },
    });
    // EventBridge Scheduler invokes the dispatcher asynchronously; Lambda would retry a failed tick
    // twice, up to minutes later, next to the following ticks. The next tick does the same work with
    // fresher data, so a failed tick is only reported (errors metric and alarm), never retried.
    this.dispatcher.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) });
    this.worker = new AutoscalerFunction(this, 'Worker', {
      ...common,
      entry: props.entries?.worker ?? defaults.workerEntry,
      description: 'Flink Serverless Autoscaler: evaluates, decides and applies scaling for each job of a batch',
      timeout: workerTimeout,
      reservedConcurrentExecutions: props.workerReservedConcurrency,
      environment: {
        ...sharedEnvironment,
        [RUNTIME_ENV.tableName]: this.stateTable.table.tableName,
        [RUNTIME_ENV.deploymentDefaults]: deploymentDefaults,
        [RUNTIME_ENV.cadenceMs]: String((props.scheduleRate ?? defaults.scheduleRate).toMilliseconds()),
        [RUNTIME_ENV.cycleConcurrency]: String(cycleConcurrency),
        [RUNTIME_ENV.vertexDetailIntervalMs]: String(vertexDetailInterval.toMilliseconds()),
        ...policyEnvironment,
      },
    });
    this.worker.function.addEventSource(
      new SqsEventSource(this.jobQueue.queue, {
        // Several jobs per invocation: a cycle is mostly I/O wait, so the jobs of a batch share one
        // invocation's start-up, memory and billed duration. The FIFO queue hands Lambda at most
        // one in-flight batch per message group (= job), so no two cycles of one job overlap.
        batchSize: workerBatchSize,
        reportBatchItemFailures: true,
        maxConcurrency: workerConcurrency,
      }),
    );

    this.grantPermissions(clusters);
    this.grantPolicyInvoke(props.policyFunction);

    this.schedule = new Schedule(this, 'Schedule', {
      target: this.dispatcher.function,
      rate: props.scheduleRate ?? defaults.scheduleRate,
    });

    if (props.manageAccessEntries ?? defaults.manageAccessEntries) {
      this.eksAccess = new EksAccess(this, 'EksAccess', {
        clusters,
        principals: [
          // The dispatcher only lists: its group has read-only RBAC (k8s/rbac.yaml).
          {
            name: 'Dispatcher',
            role: this.dispatcher.role,
            kubernetesGroup: DISPATCHER_KUBERNETES_GROUP,
          },
          { name: 'Worker', role: this.worker.role, kubernetesGroup: AUTOSCALER_KUBERNETES_GROUP },
        ],
      });
    }
    if (props.vpc) {
      this.network = new AutoscalerNetwork(this, 'Network', {
        vpc: props.vpc,
        // The functions' subnets (AutoscalerFunction's default when none are given).
        subnets: props.vpcSubnets ?? { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
        clients: [this.dispatcher.function, this.worker.function],
        ...(props.vpcEndpoints ? { endpoints: props.vpcEndpoints } : {}),
        ...(props.routeTableIds ? { routeTableIds: props.routeTableIds } : {}),
        ...(props.clusterSecurityGroupIds
          ? { clusterSecurityGroupIds: props.clusterSecurityGroupIds }
          : {}),
      });
    }

    this.dashboard = new AutoscalerDashboard(this, 'Dashboard', {
      serviceName,
      dispatcher: this.dispatcher.function,
      worker: this.worker.function,
      workerLogGroup: this.worker.logGroup,
      vertexDetailInterval,
      deadLetterQueue: this.jobQueue.deadLetterQueue,
    });
    this.alarms = new AutoscalerAlarms(this, 'Alarms', {
      ...props.alarmProps,
      serviceName,
      deadLetterQueue: this.jobQueue.deadLetterQueue,
      topic: props.alarmTopic,
    });
  }

  /** Only `lambda:InvokeFunction`, only on the policy function (and its versions/aliases). */
  private grantPolicyInvoke(policyFunction: string | IFunction | undefined): void {
    if (policyFunction === undefined) return;
    if (typeof policyFunction !== 'string') {
      policyFunction.grantInvoke(this.worker.role);
      const arn = policyFunction.functionArn;
      const child = policyFunction.node.defaultChild;
      // A function of this app renders as its logical id in cdk-nag's finding name.
      const rendered =
        Token.isUnresolved(arn) && child ? `<${Stack.of(this).getLogicalId(child as never)}.Arn>` : arn;
      Validations.of(this.worker.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${rendered}:*]`,
        reason: 'Invoking a version or alias of the configured policy function; limited to that function.',
      });
      return;
    }
    const arn = policyFunctionArn(Stack.of(this), policyFunction);
    this.worker.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [arn, `${arn}:*`] }),
    );
    // cdk-nag names a finding after the resource as rendered, with pseudo parameters in <>.
    const stack = Stack.of(this);
    const rendered = policyFunction.startsWith('arn:')
      ? arn
      : `arn:<AWS::Partition>:lambda:${Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region}:${
          Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account
        }:function:${policyFunction.split(':')[0]}`;
    Validations.of(this.worker.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${rendered}:*]`,
      reason: 'Invoking a version or alias of the configured policy function; limited to that function.',
    });
  }

  private grantPermissions(clusters: readonly ClusterEnvironmentEntry[]): void {
    const stack = Stack.of(this);
    const clusterArns = clusters.map((c) =>
      stack.formatArn({ service: 'eks', region: c.region, resource: 'cluster', resourceName: c.name }),
    );
    // Node group names are discovered at run time (ListNodegroups), so DescribeNodegroup is scoped to
    // the configured clusters' node groups: `nodegroup/<cluster>/<name>/<uuid>`.
    const nodegroupArns = clusters.map((c) =>
      stack.formatArn({
        service: 'eks',
        region: c.region,
        resource: 'nodegroup',
        resourceName: `${c.name}/*/*`,
      }),
    );

    const describeClusters = new PolicyStatement({
      actions: ['eks:DescribeCluster'],
      resources: clusterArns,
    });
    this.dispatcher.role.addToPrincipalPolicy(describeClusters);
    this.dispatcher.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.jobQueue.queue.queueArn] }),
    );
    // Read-only, and only the job registry partition: the dispatcher lists jobs with state.
    this.dispatcher.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [this.stateTable.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [REGISTRY_PARTITION_KEY] } },
      }),
    );
    if (this.stateTable.table.encryptionKey)
      this.stateTable.table.encryptionKey.grantDecrypt(this.dispatcher.role);

    this.worker.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['eks:DescribeCluster', 'eks:ListNodegroups'], resources: clusterArns }),
    );
    this.worker.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['eks:DescribeNodegroup'], resources: nodegroupArns }),
    );
    const table = this.stateTable.table;
    this.worker.role.addToPrincipalPolicy(
      new PolicyStatement({
        // Exactly what the state store does (docs/design.md §5): read state and the sample window, conditional
        // writes of state, samples, events and the lease, and releasing the lease.
        actions: [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    if (table.encryptionKey) table.encryptionKey.grantEncryptDecrypt(this.worker.role);

    for (const cluster of clusters) {
      // cdk-nag names a finding after the policy resource as rendered, with pseudo parameters in <>.
      const region = Token.isUnresolved(cluster.region) ? '<AWS::Region>' : cluster.region;
      const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
      Validations.of(this.worker.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:eks:${region}:${account}:nodegroup/${cluster.name}/*/*]`,
        reason:
          'Node group names and ids are discovered at run time with ListNodegroups; the grant is limited to DescribeNodegroup on the configured cluster.',
      });
    }
  }
}

/** The ARN of a policy function given by name or ARN (a name is in the stack's account and region). */
function policyFunctionArn(stack: Stack, nameOrArn: string): string {
  if (Token.isUnresolved(nameOrArn)) return nameOrArn;
  if (nameOrArn.startsWith('arn:')) {
    // A qualified ARN (…:function:name:alias) is granted as the function; `${arn}:*` covers the alias.
    return nameOrArn.split(':').slice(0, 7).join(':');
  }
  return stack.formatArn({
    service: 'lambda',
    resource: 'function',
    resourceName: nameOrArn.split(':')[0] ?? nameOrArn,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
