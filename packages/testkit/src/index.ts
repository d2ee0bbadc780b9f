export { describeStore } from './describe-store.js'
export { KEY_ALPHABET, KEY_LENGTH, randomKey, randomUserId } from './random-ids.js'
export { type SlowStoreOptions, slowStore } from './slow-store.js'
export { EVERY_OPTIONAL_METHOD, type StoreCapabilities } from './store-capabilities.js'
export {
  type CountingStore,
  countingStore,
  type StoreCallCounts,
} from './test-helpers/counting-store.js'
export { type Exchange, type ExchangeOptions, exchange } from './test-helpers/exchange.js'
export { type ManualClock, manualClock } from './test-helpers/manual-clock.js'
export { STORED_RECORD_TTL_MS, storedRecord } from './test-helpers/stored-record.js'
export type { StoreMethod } from './test-helpers/wrap-store.js'
