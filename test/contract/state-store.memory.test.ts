import { InMemoryStateStore } from '../../lib/adapters/memory/in-memory-state-store.ts';
import { defineStateStoreContract } from './state-store.contract.ts';

defineStateStoreContract('InMemoryStateStore', async (options) => new InMemoryStateStore(options));
