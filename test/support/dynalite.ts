/**
 * dynalite for tests: the shared starter from sim, plus a fresh table per call so tests
 * that share one server stay independent.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createStateTable } from '../../lib/adapters/dynamodb/create-state-table.ts';
import { localDynamoClients } from '../../sim/dynalite-server.ts';

export { type DynaliteHandle, localDynamoClients, startDynalite } from '../../sim/dynalite-server.ts';

let tableCounter = 0;

/** Creates a fresh autoscaler table (docs/design.md §5 key schema) on `endpoint`, with clients. */
export async function createLocalStateTable(
  endpoint: string,
  tableName = `fsa-test-${process.pid}-${++tableCounter}`,
): Promise<{ tableName: string; client: DynamoDBClient; doc: DynamoDBDocumentClient }> {
  const clients = localDynamoClients(endpoint);
  await createStateTable(clients.client, tableName);
  return { tableName, ...clients };
}
