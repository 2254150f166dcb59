import { RemovalPolicy } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AutoscalerConfigError } from '../validation.ts';

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Addresses to subscribe (each must confirm by email). @default none */
  readonly emails?: readonly string[];
  /** Removal policy of the topic's KMS key. @default RemovalPolicy.RETAIN */
  readonly keyRemovalPolicy?: RemovalPolicy;
}

/**
 * An encrypted SNS topic for the autoscaler's alarms. The key is customer managed because CloudWatch
 * alarms cannot publish to a topic encrypted with the AWS managed `aws/sns` key.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    for (const email of props.emails ?? []) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        throw new AutoscalerConfigError(`alarm email "${email}" is not an email address`);
      }
    }
    this.key = new Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Encrypts the Flink Serverless Autoscaler alarm topic',
      removalPolicy: props.keyRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    for (const email of props.emails ?? []) this.topic.addSubscription(new EmailSubscription(email));
  }
}
