import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { STATE_TABLE, stateTableCreateParams } from './table-schema.ts';

/**
 * Creates the autoscaler table if it does not exist, waits until it is ACTIVE and enables TTL on
 * `expiresAt` where the server supports it (dynalite does not; real DynamoDB and DynamoDB Local
 * do). For local use: dynalite, the local world, tests. Production tables come from CDK.
 */
export async function createStateTable(
  client: Pick<DynamoDBClient, 'send'>,
  tableName: string,
  options: { readonly timeoutMs?: number } = {},
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(stateTableCreateParams(tableName)));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') break;
    if (Date.now() > deadline)
      throw new Error(`table ${tableName} not ACTIVE after ${options.timeoutMs ?? 30_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: STATE_TABLE.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite answers UnknownOperationException; an already enabled TTL is a ValidationException.
    const name = error instanceof Error ? error.name : '';
    if (name !== 'UnknownOperationException' && name !== 'ValidationException') throw error;
  }
}
