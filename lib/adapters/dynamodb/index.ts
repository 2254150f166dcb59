export * from './create-state-table.ts';
export * from './dynamodb-state-store.ts';
export { DEFAULT_EVENT_TTL_MS, eventDedupeKey } from '../state/event-log.ts';
export { partitionKeyOf } from './item-keys.ts';
export { defaultItemLimits, type ItemLimits } from '../state/save-window.ts';
export * from './state-store-event-sink.ts';
export * from './table-schema.ts';
