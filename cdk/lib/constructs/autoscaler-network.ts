import {
  CfnVPCEndpoint,
  GatewayVpcEndpointAwsService,
  type IConnectable,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  type IVpc,
  Port,
  SecurityGroup,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AutoscalerConfigError } from '../validation.ts';

/**
 * AWS services the functions call, as VPC endpoints (for subnets without a NAT gateway):
 * - `eks`: DescribeCluster, ListNodegroups, DescribeNodegroup (both functions);
 * - `sts`: for SDK credential flows that call STS (the EKS token is presigned, EKS checks it);
 * - `sqs`: the dispatcher sends the job messages (the worker is fed by Lambda's own poller);
 * - `lambda`: the worker invokes the policy function, when one is configured;
 * - `dynamodb`: a gateway endpoint (free) on the given route tables, for the state table.
 * CloudWatch Logs need none: Lambda ships the logs and the EMF metrics outside the function's network.
 */
export const VPC_ENDPOINT_SERVICES = ['eks', 'sts', 'sqs', 'lambda', 'dynamodb'] as const;
/** One of {@link VPC_ENDPOINT_SERVICES}. */
export type VpcEndpointService = (typeof VPC_ENDPOINT_SERVICES)[number];

type InterfaceService = Exclude<VpcEndpointService, 'dynamodb'>;
const INTERFACE_SERVICES: Readonly<Record<InterfaceService, InterfaceVpcEndpointAwsService>> = {
  eks: InterfaceVpcEndpointAwsService.EKS,
  sts: InterfaceVpcEndpointAwsService.STS,
  sqs: InterfaceVpcEndpointAwsService.SQS,
  lambda: InterfaceVpcEndpointAwsService.LAMBDA,
};

/** Props of {@link AutoscalerNetwork}. */
export interface AutoscalerNetworkProps {
  readonly vpc: IVpc;
  /** Subnets of the functions; interface endpoints get a network interface in each. */
  readonly subnets: SubnetSelection;
  /** The functions that call the clusters and the endpoints. */
  readonly clients: readonly IConnectable[];
  /** Endpoints to create. @default none */
  readonly endpoints?: readonly VpcEndpointService[];
  /** Route tables of the functions' subnets: required for the `dynamodb` gateway endpoint. */
  readonly routeTableIds?: readonly string[];
  /**
   * Security groups of the EKS clusters' API endpoints (the cluster security group, or the
   * additional one of `resourcesVpcConfig`): each gets an ingress rule for HTTPS (443) from the
   * functions. @default none (the rule is added outside this stack)
   */
  readonly clusterSecurityGroupIds?: readonly string[];
}

/**
 * The network of functions in a VPC: HTTPS from the functions to the clusters' API endpoints and
 * VPC endpoints for the AWS APIs they call. Private DNS is on, so the SDK's default endpoint names
 * resolve to the interface endpoints with no configuration in the functions.
 */
export class AutoscalerNetwork extends Construct {
  readonly interfaceEndpoints: InterfaceVpcEndpoint[] = [];
  readonly gatewayEndpoints: CfnVPCEndpoint[] = [];

  constructor(scope: Construct, id: string, props: AutoscalerNetworkProps) {
    super(scope, id);
    const endpoints = [...new Set(props.endpoints ?? [])];
    for (const service of endpoints) {
      if (!(VPC_ENDPOINT_SERVICES as readonly string[]).includes(service)) {
        throw new AutoscalerConfigError(
          `VPC endpoint "${service}" is not one of ${VPC_ENDPOINT_SERVICES.join(', ')}`,
        );
      }
      if (service === 'dynamodb') {
        this.gatewayEndpoints.push(this.dynamoDbGateway(props));
        continue;
      }
      const endpoint = new InterfaceVpcEndpoint(this, `${capitalize(service)}Endpoint`, {
        vpc: props.vpc,
        service: INTERFACE_SERVICES[service],
        subnets: props.subnets,
        privateDnsEnabled: true,
        // Only the functions, not the whole VPC CIDR: an imported VPC has no known CIDR anyway.
        open: false,
      });
      for (const client of props.clients) endpoint.connections.allowDefaultPortFrom(client);
      this.interfaceEndpoints.push(endpoint);
    }
    (props.clusterSecurityGroupIds ?? []).forEach((groupId, index) => {
      const clusterGroup = SecurityGroup.fromSecurityGroupId(this, `ClusterSecurityGroup${index}`, groupId);
      for (const client of props.clients) {
        client.connections.allowTo(clusterGroup, Port.tcp(443), 'Flink Serverless Autoscaler to the EKS API');
      }
    });
  }

  private dynamoDbGateway(props: AutoscalerNetworkProps): CfnVPCEndpoint {
    const routeTableIds = props.routeTableIds ?? [];
    if (routeTableIds.length === 0) {
      throw new AutoscalerConfigError(
        "the dynamodb VPC endpoint is a gateway endpoint and needs the route tables of the functions' subnets: " +
          'set context "routeTableIds" (e.g. -c routeTableIds=rtb-0a1b2c3d,rtb-4e5f6a7b)',
      );
    }
    return new CfnVPCEndpoint(this, 'DynamodbEndpoint', {
      vpcId: props.vpc.vpcId,
      serviceName: GatewayVpcEndpointAwsService.DYNAMODB.name,
      vpcEndpointType: 'Gateway',
      routeTableIds: [...routeTableIds],
    });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
