import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStateTable } from '../../lib/adapters/dynamodb/create-state-table.ts';

/** The parts of dynalite's server this helper uses (the package ships no types). */
interface DynaliteServer {
  listen(port: number, host: string, callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
  address(): AddressInfo | string | null;
}
type DynaliteFactory = (options: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  maxItemSizeKb?: number;
}) => DynaliteServer;

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as DynaliteFactory;

/** A running dynalite server (a real DynamoDB API over HTTP, in memory). */
export interface DynaliteHandle {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on a random loopback port. Tables become ACTIVE at once (dynalite's default
 * keeps them CREATING for 500 ms).
 */
export async function startDynalite(): Promise<DynaliteHandle> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) =>
    server.listen(0, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not bind a TCP port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** SDK clients for a local endpoint, with dummy credentials (never the environment's). */
export function localDynamoClients(endpoint: string): {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
} {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, doc };
}

let tableCounter = 0;

/**
 * Creates a fresh autoscaler table (design §5 key schema) on `endpoint` and returns its name
 * with clients; each call gets a new table, so tests sharing one server stay independent.
 */
export async function createLocalStateTable(
  endpoint: string,
  tableName = `fsa-test-${process.pid}-${++tableCounter}`,
): Promise<{ tableName: string; client: DynamoDBClient; doc: DynamoDBDocumentClient }> {
  const clients = localDynamoClients(endpoint);
  await createStateTable(clients.client, tableName);
  return { tableName, ...clients };
}
