/**
 * The local world's DynamoDB: dynalite on a loopback port with the autoscaler's table created.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStateTable } from '../../lib/adapters/dynamodb/create-state-table.ts';
import { localDynamoClients, startDynalite } from '../dynalite-server.ts';

/** A running embedded DynamoDB with the state table. */
export interface EmbeddedDynamoDb {
  readonly endpoint: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1 (random port) and creates the state table `tableName`. */
export async function startEmbeddedDynamoDb(tableName = 'fsa-local-world'): Promise<EmbeddedDynamoDb> {
  const server = await startDynalite();
  const { client, doc } = localDynamoClients(server.endpoint);
  await createStateTable(client, tableName);
  return {
    endpoint: server.endpoint,
    tableName,
    client,
    doc,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}
