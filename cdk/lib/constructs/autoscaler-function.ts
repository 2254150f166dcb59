import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RUNTIME_ENV } from '../../../functions/shared/runtime-environment.ts';
import { assertIntegerInRange } from '../validation.ts';

/** Props of {@link AutoscalerFunction}. */
export interface AutoscalerFunctionProps {
  /** Absolute path of the handler module (TypeScript, bundled with esbuild). */
  readonly entry: string;
  /** Short description shown in the Lambda console. */
  readonly description?: string;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /**
   * Memory in MB; Lambda gives CPU in proportion (one vCPU at 1,769 MB).
   * @default 256: the cheapest size that keeps a worker batch of 1,000-vertex jobs within half
   *   the 1-minute cadence and the resident memory after init within half the size
   *   (`npm run bench -- --only=lambda-memory`, README "Cost")
   */
  readonly memorySize?: number;
  /** Extra environment variables (merged over the defaults). @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Value of `POWERTOOLS_SERVICE_NAME`: the `Service` dimension of run metrics and the `service` key of
   * every log line.
   * @default 'flink-serverless-autoscaler'
   */
  readonly serviceName?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Removal policy of the log group. @default RemovalPolicy.DESTROY (logs expire anyway) */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * VPC to run in: needed when an EKS cluster's API endpoint is private (docs/kubernetes-and-eks.md §1).
   * The cluster security group must then allow 443 from {@link AutoscalerFunction.function}'s security group.
   * @default not in a VPC
   */
  readonly vpc?: IVpc;
  /** Subnets inside {@link vpc}. @default private subnets with egress (STS, EKS and DynamoDB endpoints) */
  readonly vpcSubnets?: SubnetSelection;
  /** Security groups inside {@link vpc}. @default one new group with all egress */
  readonly securityGroups?: ISecurityGroup[];
  /**
   * Map stack traces to the TypeScript sources at run time (`NODE_OPTIONS=--enable-source-maps`).
   * Node then parses the 2–3 MB source map while loading the bundle, which costs about 35 ms of
   * every cold start (`npm run bench`, "Lambda bundles"). Off, traces keep the function names
   * (the bundle keeps names) and the map ships in the asset for offline lookups.
   * @default false
   */
  readonly sourceMapsInStackTraces?: boolean;
  /**
   * Reserved concurrency: guarantees this many concurrent executions and caps the function at
   * them. @default none (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
  /** X-Ray active tracing of every invocation (adds the X-Ray write permissions). @default false */
  readonly tracing?: boolean;
}

/** Defaults of {@link AutoscalerFunctionProps}. */
export function defaultAutoscalerFunctionProps() {
  return {
    timeout: Duration.minutes(1),
    memorySize: 256,
    serviceName: 'flink-serverless-autoscaler',
    logRetention: RetentionDays.ONE_MONTH,
    logRemovalPolicy: RemovalPolicy.DESTROY,
  };
}

/**
 * A handler Lambda with the project's defaults: Node 24 on arm64 (cheaper per ms than x86), an ESM
 * bundle minified with names kept and a source map beside it, its own log group with retention,
 * and a role that starts with only the log-write permissions (no managed policy).
 */
export class AutoscalerFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: AutoscalerFunctionProps) {
    super(scope, id);
    const defaults = defaultAutoscalerFunctionProps();
    const memorySize = props.memorySize ?? defaults.memorySize;
    assertIntegerInRange('memorySize', memorySize, 128, 10_240);
    const timeout = props.timeout ?? defaults.timeout;
    assertIntegerInRange('timeout (seconds)', timeout.toSeconds(), 1, 900);
    if (props.reservedConcurrentExecutions !== undefined) {
      assertIntegerInRange('reservedConcurrentExecutions', props.reservedConcurrentExecutions, 1, 10_000);
    }

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? defaults.logRetention,
      removalPolicy: props.logRemovalPolicy ?? defaults.logRemovalPolicy,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? defaults.serviceName,
        ...(props.sourceMapsInStackTraces ? { NODE_OPTIONS: '--enable-source-maps' } : {}),
        // Lets the worker tell a private cluster endpoint it can reach from one it cannot.
        ...(props.vpc ? { [RUNTIME_ENV.inVpc]: 'true' } : {}),
        ...props.environment,
      },
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: props.tracing ? Tracing.ACTIVE : undefined,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        // Function and class names survive minification, so stack traces stay readable without
        // run-time source maps.
        keepNames: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // Some dependencies are CommonJS and call `require`; an ESM bundle has none, so provide one.
        banner:
          "import { createRequire as __fsaCreateRequire } from 'node:module'; const require = __fsaCreateRequire(import.meta.url);",
      },
      vpc: props.vpc,
      vpcSubnets: props.vpc
        ? (props.vpcSubnets ?? { subnetType: SubnetType.PRIVATE_WITH_EGRESS })
        : undefined,
      securityGroups: props.securityGroups,
    });

    // Log streams are created by Lambda at run time with generated names, so the write grant has to
    // cover `<log group ARN>:*`; it is still scoped to this function's own log group.
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(this.logGroup)}.Arn>:*]`,
      reason: "Lambda creates log streams with run-time names inside this function's own log group.",
    });
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (Service Authorization Reference, AWS X-Ray).',
      });
    }
    if (props.vpc) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'Lambda needs the AWS-managed ENI permissions to attach to the VPC; AWS maintains this policy.',
      });
    }
  }
}

function logicalIdOf(logGroup: LogGroup): string {
  return Stack.of(logGroup).getLogicalId(logGroup.node.defaultChild as never);
}
