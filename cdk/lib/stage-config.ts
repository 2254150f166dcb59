import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { VPC_ENDPOINT_SERVICES, type VpcEndpointService } from './constructs/autoscaler-network.ts';
import type { StateTableBilling } from './constructs/state-table.ts';
import type { AutoscalerCluster } from './flink-autoscaler.ts';
import { parseTableBilling } from './table-billing-context.ts';
import { AutoscalerConfigError, assertIntegerInRange } from './validation.ts';

/** Where context values come from (`app.node`): cdk.json `context`, `cdk.context.json` or `-c key=value`. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/** Typed configuration of one deployment (stage), read from CDK context. */
export interface StageConfig {
  /** @default 'FlinkServerlessAutoscaler' (context `stackName`) */
  readonly stackName: string;
  /** Target account/region; absent fields make the stack environment-agnostic (context `account`, `region`). */
  readonly env: { readonly account?: string; readonly region?: string };
  /** Context `clusters`: `["a","b"]`, `[{"name":"a","region":"eu-west-1","namespaces":["flink"]}]` or `"a,b"`. */
  readonly clusters: readonly AutoscalerCluster[];
  /** Context `scheduleRate`: minutes (`1`, `"5"`) or `"5 minutes"`. @default 1 minute */
  readonly scheduleRate: Duration;
  /** Context `workerConcurrency`. @default 10 */
  readonly workerConcurrency: number;
  /** Context `workerBatchSize`: job messages per worker invocation (1–10). @default 10 */
  readonly workerBatchSize: number;
  /**
   * Context `vertexDetailMinutes`: minutes between cycle records that list every vertex for a job
   * whose cycles change nothing (0–60; 0 = every cycle). @default 5
   */
  readonly vertexDetailInterval: Duration;
  /** Context `tableBilling` and friends (cdk/lib/table-billing-context.ts). @default provisioned, auto scaled 1–500 units */
  readonly tableBilling: StateTableBilling;
  /** Context `serviceName`. @default 'flink-serverless-autoscaler' */
  readonly serviceName: string;
  /** Context `alarmEmail`: one address or a comma-separated list. @default none */
  readonly alarmEmails: readonly string[];
  /** Context `deploymentDefaults`: object (or JSON string) of flinkConfiguration keys. @default {} */
  readonly deploymentDefaults: Readonly<Record<string, string>>;
  /** Context `removalPolicy`: `retain` or `destroy` (table, alarm key). @default retain */
  readonly removalPolicy: RemovalPolicy;
  /** Context `staleEvaluationPeriods` (0 disables the alarm). @default 3 */
  readonly staleEvaluationPeriods: number;
  /**
   * Context `sourceMapsInStackTraces`: `true` maps Lambda stack traces to the TypeScript sources at
   * run time, at about 35 ms per cold start. @default false
   */
  readonly sourceMapsInStackTraces: boolean;
  /** The functions' VPC, from context `vpcId` and the keys of {@link NetworkConfig}. @default not in a VPC */
  readonly network?: NetworkConfig;
  /** Context `dispatcherReservedConcurrency`. @default none */
  readonly dispatcherReservedConcurrency?: number;
  /** Context `workerReservedConcurrency` (at least `workerConcurrency`). @default none */
  readonly workerReservedConcurrency?: number;
  /** Context `tracing`: X-Ray active tracing on both functions. @default false */
  readonly tracing: boolean;
}

/**
 * Where the functions run when a cluster's API endpoint is private or CIDR-restricted
 * (README "Private clusters"). List keys take a JSON array or a comma-separated string.
 */
export interface NetworkConfig {
  /** Context `vpcId`: `vpc-…`. */
  readonly vpcId: string;
  /** Context `subnetIds` (required with `vpcId`): private subnets of the functions, `subnet-…`. */
  readonly subnetIds: readonly string[];
  /** Context `securityGroupIds`: the functions' groups, `sg-…`. @default one new group per function */
  readonly securityGroupIds: readonly string[];
  /** Context `clusterSecurityGroupIds`: groups of the clusters' API endpoints; each gets 443 from the functions. */
  readonly clusterSecurityGroupIds: readonly string[];
  /** Context `vpcEndpoints`: `true` (all) or a list of eks, sts, sqs, lambda, dynamodb. @default none */
  readonly vpcEndpoints: readonly VpcEndpointService[];
  /** Context `routeTableIds`: route tables of the subnets, `rtb-…` (for the dynamodb gateway endpoint). */
  readonly routeTableIds: readonly string[];
}

/** Defaults of {@link StageConfig} for keys that are not set. */
export function defaultStageConfig() {
  return {
    stackName: 'FlinkServerlessAutoscaler',
    scheduleRate: Duration.minutes(1),
    workerConcurrency: 10,
    workerBatchSize: 10,
    vertexDetailMinutes: 5,
    serviceName: 'flink-serverless-autoscaler',
    removalPolicy: RemovalPolicy.RETAIN,
    staleEvaluationPeriods: 3,
    sourceMapsInStackTraces: false,
  };
}

/**
 * Reads and validates the stage config. Values given with `-c key=value` arrive as strings, so
 * structured keys also accept JSON text.
 */
export function readStageConfig(context: ContextSource): StageConfig {
  const defaults = defaultStageConfig();
  const get = (key: string) => {
    const value = context.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : value;
  };
  const account = optionalString(get('account'), 'account');
  const region = optionalString(get('region'), 'region');
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new AutoscalerConfigError(`context "account" must be a 12-digit AWS account id, got "${account}"`);
  }
  const workerConcurrency =
    optionalInteger(get('workerConcurrency'), 'workerConcurrency') ?? defaults.workerConcurrency;
  assertIntegerInRange('context "workerConcurrency"', workerConcurrency, 2, 1000);
  const workerBatchSize =
    optionalInteger(get('workerBatchSize'), 'workerBatchSize') ?? defaults.workerBatchSize;
  assertIntegerInRange('context "workerBatchSize"', workerBatchSize, 1, 10);
  const vertexDetailMinutes =
    optionalInteger(get('vertexDetailMinutes'), 'vertexDetailMinutes') ?? defaults.vertexDetailMinutes;
  assertIntegerInRange('context "vertexDetailMinutes"', vertexDetailMinutes, 0, 60);
  const staleEvaluationPeriods =
    optionalInteger(get('staleEvaluationPeriods'), 'staleEvaluationPeriods') ??
    defaults.staleEvaluationPeriods;

  return {
    stackName: optionalString(get('stackName'), 'stackName') ?? defaults.stackName,
    env: { ...(account ? { account } : {}), ...(region ? { region } : {}) },
    clusters: parseClusters(get('clusters')),
    scheduleRate: parseScheduleRate(get('scheduleRate')) ?? defaults.scheduleRate,
    workerConcurrency,
    workerBatchSize,
    vertexDetailInterval: Duration.minutes(vertexDetailMinutes),
    tableBilling: parseTableBilling(get),
    serviceName: optionalString(get('serviceName'), 'serviceName') ?? defaults.serviceName,
    alarmEmails: parseEmails(get('alarmEmail')),
    deploymentDefaults: parseDeploymentDefaults(get('deploymentDefaults')),
    removalPolicy: parseRemovalPolicy(get('removalPolicy')) ?? defaults.removalPolicy,
    staleEvaluationPeriods,
    sourceMapsInStackTraces:
      optionalBoolean(get('sourceMapsInStackTraces'), 'sourceMapsInStackTraces') ??
      defaults.sourceMapsInStackTraces,
    ...optionalEntry('network', parseNetwork(get)),
    ...optionalEntry(
      'dispatcherReservedConcurrency',
      optionalInteger(get('dispatcherReservedConcurrency'), 'dispatcherReservedConcurrency'),
    ),
    ...optionalEntry(
      'workerReservedConcurrency',
      optionalInteger(get('workerReservedConcurrency'), 'workerReservedConcurrency'),
    ),
    tracing: optionalBoolean(get('tracing'), 'tracing') ?? false,
  };
}

/** `{ [key]: value }` when the value is set, `{}` otherwise (optional properties stay absent). */
function optionalEntry<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

const NETWORK_LIST_KEYS = [
  'subnetIds',
  'securityGroupIds',
  'clusterSecurityGroupIds',
  'routeTableIds',
] as const;

function parseNetwork(get: (key: string) => unknown): NetworkConfig | undefined {
  const vpcId = optionalString(get('vpcId'), 'vpcId');
  const lists = {
    subnetIds: parseIdList(get('subnetIds'), 'subnetIds', 'subnet'),
    securityGroupIds: parseIdList(get('securityGroupIds'), 'securityGroupIds', 'sg'),
    clusterSecurityGroupIds: parseIdList(
      get('clusterSecurityGroupIds'),
      'clusterSecurityGroupIds',
      'sg',
    ),
    routeTableIds: parseIdList(get('routeTableIds'), 'routeTableIds', 'rtb'),
  };
  const endpointsValue = get('vpcEndpoints');
  if (vpcId === undefined) {
    const stray = [
      ...NETWORK_LIST_KEYS.filter((key) => lists[key].length > 0),
      ...(endpointsValue ? ['vpcEndpoints'] : []),
    ];
    if (stray.length > 0) {
      const keys = stray.map((k) => `"${k}"`).join(', ');
      throw new AutoscalerConfigError(`context ${keys} needs "vpcId" (the functions' VPC)`);
    }
    return undefined;
  }
  if (!/^vpc-[0-9a-f]{8,17}$/.test(vpcId)) {
    throw new AutoscalerConfigError(
      `context "vpcId" must be a VPC id such as vpc-0a1b2c3d4e5f67890, got "${vpcId}"`,
    );
  }
  if (lists.subnetIds.length === 0) {
    throw new AutoscalerConfigError(
      'context "subnetIds" is required with "vpcId": the private subnets of the functions, e.g. -c subnetIds=subnet-0a1b2c3d,subnet-4e5f6a7b',
    );
  }
  return { vpcId, ...lists, vpcEndpoints: parseVpcEndpoints(endpointsValue) };
}

/** A list of AWS resource ids with the given prefix: JSON array, array or comma-separated text. */
function parseIdList(value: unknown, key: string, prefix: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? parseListText(value, key) : value;
  if (!Array.isArray(list)) {
    throw new AutoscalerConfigError(`context "${key}" must be a list of ${prefix}-… ids`);
  }
  return list.map((id: unknown) => {
    if (typeof id !== 'string' || !new RegExp(`^${prefix}-[0-9a-f]{8,17}$`).test(id.trim())) {
      throw new AutoscalerConfigError(`context "${key}": ${JSON.stringify(id)} is not a ${prefix}-… id`);
    }
    return id.trim();
  });
}

function parseVpcEndpoints(value: unknown): VpcEndpointService[] {
  if (value === undefined || value === false || value === 'false') return [];
  if (value === true || value === 'true') return [...VPC_ENDPOINT_SERVICES];
  const list = typeof value === 'string' ? parseListText(value, 'vpcEndpoints') : value;
  if (!Array.isArray(list)) {
    throw new AutoscalerConfigError(
      `context "vpcEndpoints" must be true or a list of ${VPC_ENDPOINT_SERVICES.join(', ')}`,
    );
  }
  return list.map((service: unknown) => {
    if (!(VPC_ENDPOINT_SERVICES as readonly unknown[]).includes(service)) {
      throw new AutoscalerConfigError(
        `context "vpcEndpoints": ${JSON.stringify(service)} is not one of ${VPC_ENDPOINT_SERVICES.join(', ')}`,
      );
    }
    return service as VpcEndpointService;
  });
}

function parseClusters(value: unknown): AutoscalerCluster[] {
  if (value === undefined) {
    // No default on purpose: a stack against a cluster that does not exist deploys "fine" and
    // then fails every minute.
    throw new AutoscalerConfigError(
      'context "clusters" is required: the EKS clusters to manage, e.g. cdk deploy -c clusters=\'[{"name":"prod"}]\' ' +
        '(or -c clusters=prod,staging, or "clusters": [{"name": "prod", "region": "eu-west-1", "namespaces": ["flink"]}] in cdk.json or cdk.context.json)',
    );
  }
  const list = typeof value === 'string' ? parseListText(value, 'clusters') : value;
  if (!Array.isArray(list)) throw new AutoscalerConfigError('context "clusters" must be a list');
  return list.map((entry: unknown, index) => {
    if (typeof entry === 'string') return { name: entry.trim() };
    if (
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as { name?: unknown }).name === 'string'
    ) {
      const { name, region, namespaces, ...rest } = entry as Record<string, unknown>;
      const unknownKeys = Object.keys(rest);
      if (unknownKeys.length > 0) {
        throw new AutoscalerConfigError(
          `context "clusters"[${index}] has unknown keys ${unknownKeys.join(', ')} (allowed: name, region, namespaces)`,
        );
      }
      if (region !== undefined && typeof region !== 'string') {
        throw new AutoscalerConfigError(`context "clusters"[${index}].region must be a string`);
      }
      if (
        namespaces !== undefined &&
        !(Array.isArray(namespaces) && namespaces.every((n) => typeof n === 'string'))
      ) {
        throw new AutoscalerConfigError(`context "clusters"[${index}].namespaces must be a list of strings`);
      }
      return {
        name: name as string,
        ...(region ? { region } : {}),
        ...(namespaces ? { namespaces: namespaces as string[] } : {}),
      };
    }
    throw new AutoscalerConfigError(
      `context "clusters"[${index}] must be a cluster name or {"name", "region"?, "namespaces"?}, got ${JSON.stringify(entry)}`,
    );
  });
}

/** JSON text, or a comma-separated list. */
function parseListText(text: string, key: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      throw new AutoscalerConfigError(`context "${key}" is not valid JSON: ${trimmed}`, { cause: error });
    }
  }
  return trimmed
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseScheduleRate(value: unknown): Duration | undefined {
  if (value === undefined) return undefined;
  const match =
    typeof value === 'number'
      ? [String(value), String(value)]
      : /^\s*(\d+)\s*(minutes?)?\s*$/.exec(String(value));
  const minutes = match ? Number(match[1]) : Number.NaN;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new AutoscalerConfigError(
      `context "scheduleRate" must be whole minutes between 1 and 60 (e.g. 1, "5", "5 minutes"), got ${JSON.stringify(value)}`,
    );
  }
  return Duration.minutes(minutes);
}

function parseEmails(value: unknown): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((email) => String(email).trim()).filter((email) => email.length > 0);
}

function parseDeploymentDefaults(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new AutoscalerConfigError('context "deploymentDefaults" is not valid JSON', { cause: error });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AutoscalerConfigError(
      'context "deploymentDefaults" must be an object of flinkConfiguration keys',
    );
  }
  // Numbers and booleans are accepted and stringified: flinkConfiguration values are strings.
  return Object.fromEntries(
    Object.entries(parsed).map(([key, v]) => {
      if (!['string', 'number', 'boolean'].includes(typeof v)) {
        throw new AutoscalerConfigError(
          `context "deploymentDefaults"["${key}"] must be a string, number or boolean`,
        );
      }
      return [key, String(v)];
    }),
  );
}

function parseRemovalPolicy(value: unknown): RemovalPolicy | undefined {
  if (value === undefined) return undefined;
  switch (String(value).toLowerCase()) {
    case 'retain':
      return RemovalPolicy.RETAIN;
    case 'destroy':
      return RemovalPolicy.DESTROY;
    default:
      throw new AutoscalerConfigError(
        `context "removalPolicy" must be "retain" or "destroy", got ${JSON.stringify(value)}`,
      );
  }
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AutoscalerConfigError(`context "${key}" must be a string`);
  return value.trim();
}

function optionalBoolean(value: unknown, key: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new AutoscalerConfigError(`context "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

function optionalInteger(value: unknown, key: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n))
    throw new AutoscalerConfigError(`context "${key}" must be an integer, got ${JSON.stringify(value)}`);
  return n;
}
