/**
 * dynalite (the real DynamoDB wire API, in memory) on a loopback port, and SDK clients for a
 * local endpoint that never read the environment's credentials or region. Shared by the local
 * world, the CLI and the tests.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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

/** A running dynalite server. */
export interface DynaliteHandle {
  /** `http://127.0.0.1:<port>`, for the SDK's `endpoint`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite on 127.0.0.1 (`port` 0 = a free one). Tables become ACTIVE at once (dynalite's
 * default keeps them CREATING for 500 ms).
 */
export async function startDynalite(port = 0): Promise<DynaliteHandle> {
  const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) =>
    server.listen(port, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
  );
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite did not bind a TCP port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/**
 * An SDK client for a local endpoint with dummy credentials. `maxAttempts` as the SDK takes it
 * (default: the SDK's retries, as deployed).
 */
export function localDynamoClient(endpoint: string, options: { readonly maxAttempts?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
}

/** SDK clients for a local endpoint, with dummy credentials and one attempt per call. */
export function localDynamoClients(endpoint: string): {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
} {
  const client = localDynamoClient(endpoint, { maxAttempts: 1 });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, doc };
}
