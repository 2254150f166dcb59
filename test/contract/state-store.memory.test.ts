import { InMemoryStateStore } from '../../lib/adapters/memory/in-memory-state-store.ts';
import { defineStateStoreHistoryContract } from './state-store-history.contract.ts';
import { defineStateStoreContract } from './state-store.contract.ts';

defineStateStoreContract('InMemoryStateStore', async (options) => new InMemoryStateStore(options));
defineStateStoreHistoryContract('InMemoryStateStore', async (options) => new InMemoryStateStore(options));
