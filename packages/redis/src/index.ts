export type { RedisClient } from './redis-client.js'
export { RedisStore } from './redis-store.js'
export type { RedisStoreOptions } from './redis-store-options.js'
export { RedisStoreUnavailableError } from './redis-store-unavailable-error.js'
