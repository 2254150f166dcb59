import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
  /** Context `tableBilling` and friends (cdk/lib/table-billing-context.ts). @default on-demand */
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
}

/** Defaults of {@link StageConfig} for keys that are not set. */
export function defaultStageConfig() {
  return {
    stackName: 'FlinkServerlessAutoscaler',
    scheduleRate: Duration.minutes(1),
    workerConcurrency: 10,
    workerBatchSize: 10,
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
    tableBilling: parseTableBilling(get),
    serviceName: optionalString(get('serviceName'), 'serviceName') ?? defaults.serviceName,
    alarmEmails: parseEmails(get('alarmEmail')),
    deploymentDefaults: parseDeploymentDefaults(get('deploymentDefaults')),
    removalPolicy: parseRemovalPolicy(get('removalPolicy')) ?? defaults.removalPolicy,
    staleEvaluationPeriods,
    sourceMapsInStackTraces:
      optionalBoolean(get('sourceMapsInStackTraces'), 'sourceMapsInStackTraces') ??
      defaults.sourceMapsInStackTraces,
  };
}

function parseClusters(value: unknown): AutoscalerCluster[] {
  if (value === undefined) {
    throw new AutoscalerConfigError(
      'context "clusters" is required: the EKS clusters to manage, e.g. -c clusters=my-cluster or in cdk.json "clusters": [{"name": "my-cluster", "namespaces": ["flink"]}]',
    );
  }
  const list = typeof value === 'string' ? parseListText(value) : value;
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
function parseListText(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      throw new AutoscalerConfigError(`context "clusters" is not valid JSON: ${trimmed}`, { cause: error });
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
