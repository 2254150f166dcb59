import { Fn, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type ISecurityGroup,
  type IVpc,
  SecurityGroup,
  Subnet,
  type SubnetSelection,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { FlinkAutoscaler } from './flink-autoscaler.ts';
import type { NetworkConfig, StageConfig } from './stage-config.ts';

/** Props of {@link AutoscalerStack}. */
export interface AutoscalerStackProps extends StackProps {
  readonly config: StageConfig;
}

/** The deployable stack: composes {@link FlinkAutoscaler} (and an alarm topic) from the stage config. */
export class AutoscalerStack extends Stack {
  readonly autoscaler: FlinkAutoscaler;
  readonly alarmTopic?: AlarmTopic;

  constructor(scope: Construct, id: string, props: AutoscalerStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (config.alarmEmails.length > 0) {
      this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', {
        emails: config.alarmEmails,
        keyRemovalPolicy: config.removalPolicy,
      });
    }
    this.autoscaler = new FlinkAutoscaler(this, 'Autoscaler', {
      clusters: config.clusters,
      scheduleRate: config.scheduleRate,
      workerConcurrency: config.workerConcurrency,
      workerBatchSize: config.workerBatchSize,
      vertexDetailInterval: config.vertexDetailInterval,
      serviceName: config.serviceName,
      sourceMapsInStackTraces: config.sourceMapsInStackTraces,
      deploymentDefaults: config.deploymentDefaults,
      tableProps: { removalPolicy: config.removalPolicy, billing: config.tableBilling },
      alarmTopic: this.alarmTopic?.topic,
      alarmProps: { staleEvaluationPeriods: config.staleEvaluationPeriods },
      ...(config.network ? this.networkProps(config.network) : {}),
      dispatcherReservedConcurrency: config.dispatcherReservedConcurrency,
      workerReservedConcurrency: config.workerReservedConcurrency,
      tracing: config.tracing,
    });
  }

  /** The VPC of the context as imported constructs: ids only, no lookups (synth stays offline). */
  private networkProps(network: NetworkConfig): {
    vpc: IVpc;
    vpcSubnets: SubnetSelection;
    securityGroups?: ISecurityGroup[];
    clusterSecurityGroupIds: readonly string[];
    vpcEndpoints: NetworkConfig['vpcEndpoints'];
    routeTableIds: readonly string[];
  } {
    // The zones are only needed for subnet selection by type; the subnets are given explicitly.
    const vpc = Vpc.fromVpcAttributes(this, 'Vpc', { vpcId: network.vpcId, availabilityZones: Fn.getAzs() });
    const subnets = network.subnetIds.map((id) => Subnet.fromSubnetId(this, `Subnet-${id}`, id));
    const securityGroups = network.securityGroupIds.map((id) =>
      SecurityGroup.fromSecurityGroupId(this, `SecurityGroup-${id}`, id),
    );
    return {
      vpc,
      vpcSubnets: { subnets },
      ...(securityGroups.length > 0 ? { securityGroups } : {}),
      clusterSecurityGroupIds: network.clusterSecurityGroupIds,
      vpcEndpoints: network.vpcEndpoints,
      routeTableIds: network.routeTableIds,
    };
  }
}
