import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import { FlinkAutoscaler } from './flink-autoscaler.ts';
import type { StageConfig } from './stage-config.ts';

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
      serviceName: config.serviceName,
      sourceMapsInStackTraces: config.sourceMapsInStackTraces,
      deploymentDefaults: config.deploymentDefaults,
      tableProps: { removalPolicy: config.removalPolicy, billing: config.tableBilling },
      alarmTopic: this.alarmTopic?.topic,
      alarmProps: { staleEvaluationPeriods: config.staleEvaluationPeriods },
    });
  }
}
