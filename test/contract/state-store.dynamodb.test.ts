import { afterAll, beforeAll } from 'vitest';
import { DynamoDbStateStore } from '../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { createLocalStateTable, type DynaliteHandle, startDynalite } from '../support/dynalite.ts';
import { defineStateStoreHistoryContract } from './state-store-history.contract.ts';
import { defineStateStoreContract, type StateStoreFactoryOptions } from './state-store.contract.ts';

let dynalite: DynaliteHandle;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite?.close();
});

// Every test gets its own table on the shared dynalite server.
const createStore = async (options?: StateStoreFactoryOptions) => {
  const { tableName, doc } = await createLocalStateTable(dynalite.endpoint);
  return new DynamoDbStateStore(doc, { tableName, ...options });
};
defineStateStoreContract('DynamoDbStateStore (dynalite)', createStore);
defineStateStoreHistoryContract('DynamoDbStateStore (dynalite)', createStore);
