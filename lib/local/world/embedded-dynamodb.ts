/**
 * The local world's DynamoDB: dynalite (the real DynamoDB wire API, in memory) on a loopback
 * port, with the autoscaler's table created, and SDK clients that never read the environment's
 * credentials or region.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStateTable } from '../../adapters/dynamodb/create-state-table.ts';

/** The parts of dynalite's server used here (the package ships no types). */
interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
}
type DynaliteFactory = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => DynaliteServer;

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
  const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  // Tables become ACTIVE at once (dynalite keeps them CREATING for 500 ms by default).
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) =>
    server.listen(0, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not bind a TCP port');
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  await createStateTable(client, tableName);
  return {
    endpoint,
    tableName,
    client,
    doc,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
