import { type Command, InvalidArgumentError } from 'commander';
import { EksClusterInfoSource } from '../../lib/adapters/kubernetes/auth/eks-cluster-info.ts';
import {
  describeAccessEntry,
  describeClusterAccess,
  describeFunctionPlacement,
  type EksAccessApi,
  type FunctionPlacement,
  type LambdaConfigurationApi,
} from '../../lib/adapters/kubernetes/auth/eks-cluster-access.ts';
import { createEksKubernetesClient } from '../../lib/adapters/kubernetes/auth/eks-kubernetes-client.ts';
import { kubernetesClientFromKubeconfig } from '../../lib/adapters/kubernetes/auth/kubeconfig.ts';
import type { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import {
  checkAccessEntry,
  checkAuthenticationMode,
  checkEndpointAccess,
  type DoctorCheck,
  doctorExitCode,
  type FunctionNetwork,
  type FunctionRole,
  summarizeChecks,
} from '../../lib/report/doctor/index.ts';
import { doctorText } from '../format/doctor-text.ts';
import { toJsonText } from '../format/json-text.ts';
import { errorText, jobChecks, operatorChecks, rbacChecks } from './doctor-probes.ts';
import { clusterNameFromContext } from './run.ts';

/** Kubernetes group of both functions in k8s/rbac.yaml and the CDK access entries. */
export const DEFAULT_AUTOSCALER_GROUP = 'flink-serverless-autoscaler';
/** The dispatcher's read-only group (k8s/rbac.yaml, cdk/lib/constructs/eks-access.ts). */
export const DEFAULT_DISPATCHER_GROUP = 'flink-serverless-autoscaler-dispatcher';

interface DoctorOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly eksCluster?: string;
  readonly region?: string;
  readonly workerFunction?: string;
  readonly dispatcherFunction?: string;
  readonly workerRoleArn?: string;
  readonly dispatcherRoleArn?: string;
  readonly workerGroup: string;
  readonly dispatcherGroup: string;
  readonly functionNetwork?: 'vpc' | 'public';
  readonly asSelf?: FunctionRole;
  readonly json?: boolean;
}

/** The AWS clients of the EKS checks; the real SDK clients unless a test passes stubs. */
export interface DoctorDependencies {
  readonly eks?: (region: string) => EksAccessApi;
  readonly lambda?: (region: string) => LambdaConfigurationApi;
  /** Receives the exit code (default: `process.exitCode`). */
  readonly setExitCode?: (code: number) => void;
}

const ROLES: readonly FunctionRole[] = ['worker', 'dispatcher'];

function parseChoice<T extends string>(allowed: readonly T[], option: string) {
  return (value: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`${option} must be one of ${allowed.join(', ')}, got '${value}'`);
  };
}

/**
 * `fsa doctor`: a checklist of everything the deployed autoscaler needs from AWS, the cluster, the
 * operator and the opted-in jobs, each line pass/warn/fail with what to do; exit code 1 when any
 * line failed.
 */
export function registerDoctorCommand(program: Command, deps: DoctorDependencies = {}): void {
  program
    .command('doctor')
    .description('Check a deployment: EKS access, RBAC, the Flink operator and every opted-in job')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (skips the EKS checks)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--eks-cluster <name>', 'EKS cluster name (authentication mode, endpoint access, access entries)')
    .option('--region <region>', 'AWS region (default: AWS_REGION)')
    .option('--worker-function <name>', "the scale-job worker Lambda: its role and VPC are read from it")
    .option('--dispatcher-function <name>', "the dispatcher Lambda: its role is read from it")
    .option('--worker-role-arn <arn>', "the worker's IAM role (instead of --worker-function)")
    .option('--dispatcher-role-arn <arn>', "the dispatcher's IAM role (instead of --dispatcher-function)")
    .option('--worker-group <group>', 'Kubernetes group of the worker when no access entry says', DEFAULT_AUTOSCALER_GROUP)
    .option('--dispatcher-group <group>', 'Kubernetes group of the dispatcher when no access entry says', DEFAULT_DISPATCHER_GROUP)
    .option(
      '--function-network <vpc|public>',
      'where the functions run, when no --worker-function tells',
      parseChoice(['vpc', 'public'] as const, '--function-network'),
    )
    .option(
      '--as-self <worker|dispatcher>',
      "check RBAC for your own credentials (SelfSubjectAccessReview), e.g. when running as the function's role",
      parseChoice(ROLES, '--as-self'),
    )
    .option('--json', 'print the checks as JSON')
    .action(async (options: DoctorOptions) => {
      if (!options.kubeconfig === !options.eksCluster) {
        throw new Error('give exactly one of --kubeconfig <file> or --eks-cluster <name>');
      }
      const checks = await runDoctor(options, deps);
      const summary = summarizeChecks(checks);
      const header = `fsa doctor: ${options.eksCluster ? `EKS cluster ${options.eksCluster}` : `kubeconfig ${options.kubeconfig}${options.context ? ` (context ${options.context})` : ''}`}`;
      console.log(options.json ? toJsonText({ checks, summary }) : doctorText(header, checks, summary));
      (deps.setExitCode ?? ((code) => (process.exitCode = code)))(doctorExitCode(checks));
    });
}

/** Runs every check; a failing call becomes a line, never an abort. */
export async function runDoctor(options: DoctorOptions, deps: DoctorDependencies): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const groups: Partial<Record<FunctionRole, readonly string[]>> = {};
  let client: KubernetesClient;
  let cluster: string;
  if (options.eksCluster) {
    const region = options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'];
    if (!region) throw new Error('--eks-cluster needs --region or AWS_REGION');
    const eks = deps.eks ? deps.eks(region) : await sdkEks(region);
    const lambda = deps.lambda ? deps.lambda(region) : await sdkLambda(region);
    const aws = await awsChecks(eks, lambda, options.eksCluster, options);
    checks.push(...aws.checks);
    Object.assign(groups, aws.groups);
    cluster = options.eksCluster;
    try {
      client = (await createEksKubernetesClient({ clusterName: cluster, region, clusterInfo: new EksClusterInfoSource(eks) })).client;
    } catch (error) {
      return [...checks, apiUnreachable(error)];
    }
  } else {
    const connected = await kubernetesClientFromKubeconfig(options.kubeconfig as string, {
      ...(options.context ? { context: options.context } : {}),
    });
    client = connected.client;
    cluster = clusterNameFromContext(connected.connection.contextName);
    checks.push({ section: 'cluster', name: 'EKS checks', status: 'skip', detail: 'run with --eks-cluster for authentication mode, endpoint access and access entries' });
  }
  try {
    try {
      const version = await client.get<{ gitVersion?: string }>('/version');
      checks.push({ section: 'cluster', name: 'Kubernetes API', status: 'pass', detail: `reachable at ${client.baseUrl} (${version.gitVersion ?? 'version unknown'})` });
    } catch (error) {
      return [...checks, apiUnreachable(error)];
    }
    const roles = options.asSelf ? [options.asSelf] : ROLES;
    for (const role of roles) {
      const subject =
        options.asSelf === role
          ? ({ kind: 'self', role } as const)
          : ({ kind: 'groups', role, groups: groups[role] ?? [role === 'worker' ? options.workerGroup : options.dispatcherGroup] } as const);
      checks.push(...(await rbacChecks(client, subject)));
    }
    checks.push(...(await operatorChecks(client)));
    checks.push(...(await jobChecks(client, cluster)));
    return checks;
  } finally {
    await client.close();
  }
}

function apiUnreachable(error: unknown): DoctorCheck {
  return {
    section: 'cluster',
    name: 'Kubernetes API',
    status: 'fail',
    detail: `not reachable: ${errorText(error)}`,
    fix: 'check the endpoint access above, your network path to the API server and your credentials (aws eks update-kubeconfig / --kubeconfig)',
  };
}

/** DescribeCluster, the functions' placement and their access entries. */
async function awsChecks(
  eks: EksAccessApi,
  lambda: LambdaConfigurationApi,
  clusterName: string,
  options: DoctorOptions,
): Promise<{ checks: DoctorCheck[]; groups: Partial<Record<FunctionRole, readonly string[]>> }> {
  const checks: DoctorCheck[] = [];
  const groups: Partial<Record<FunctionRole, readonly string[]>> = {};
  const placements: Partial<Record<FunctionRole, FunctionPlacement>> = {};
  for (const role of ROLES) {
    const name = role === 'worker' ? options.workerFunction : options.dispatcherFunction;
    if (!name) continue;
    try {
      placements[role] = await describeFunctionPlacement(lambda, name);
    } catch (error) {
      checks.push({ section: 'access', name: `${role} function`, status: 'fail', detail: `GetFunctionConfiguration ${name} failed: ${errorText(error)}`, fix: `check the function name (the CDK stack's ${role} function) and lambda:GetFunctionConfiguration rights` });
    }
  }
  const worker = placements.worker;
  const network: FunctionNetwork = options.functionNetwork
    ? { inVpc: options.functionNetwork === 'vpc', source: '--function-network' }
    : worker
      ? { inVpc: worker.subnetIds.length > 0, source: `VpcConfig of ${worker.functionName}` }
      : { inVpc: undefined, source: 'no --worker-function or --function-network' };
  try {
    const access = await describeClusterAccess(eks, clusterName);
    checks.push(checkAuthenticationMode(access), checkEndpointAccess(access, network));
  } catch (error) {
    checks.push({ section: 'cluster', name: 'DescribeCluster', status: 'fail', detail: errorText(error), fix: 'check the cluster name, --region and eks:DescribeCluster rights' });
  }
  for (const role of ROLES) {
    const principalArn = (role === 'worker' ? options.workerRoleArn : options.dispatcherRoleArn) ?? placements[role]?.roleArn;
    const expectedGroup = role === 'worker' ? options.workerGroup : options.dispatcherGroup;
    if (!principalArn) {
      checks.push({ section: 'access', name: `${role} access entry`, status: 'skip', detail: `give --${role}-function or --${role}-role-arn to check it` });
      continue;
    }
    try {
      const entry = await describeAccessEntry(eks, clusterName, principalArn);
      checks.push(checkAccessEntry(clusterName, { role, principalArn, expectedGroup }, entry));
      if (entry && entry.kubernetesGroups.length > 0) groups[role] = entry.kubernetesGroups;
    } catch (error) {
      checks.push({ section: 'access', name: `${role} access entry`, status: 'warn', detail: `DescribeAccessEntry failed: ${errorText(error)}`, fix: 'run with eks:DescribeAccessEntry rights' });
    }
  }
  return { checks, groups };
}

async function sdkEks(region: string): Promise<EksAccessApi> {
  const { EKSClient } = await import('@aws-sdk/client-eks');
  return new EKSClient({ region }) as EksAccessApi;
}

async function sdkLambda(region: string): Promise<LambdaConfigurationApi> {
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  return new LambdaClient({ region }) as LambdaConfigurationApi;
}
