export { describeStore } from './describe-store.js'
export { KEY_ALPHABET, KEY_LENGTH, randomKey, randomUserId } from './random-ids.js'
export { type SlowStoreOptions, slowStore } from './slow-store.js'
export type { StoreCapabilities } from './store-capabilities.js'
