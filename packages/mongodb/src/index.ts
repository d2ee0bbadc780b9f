export { type EnsureIndexesOptions, ensureIndexes, SESSION_INDEXES } from './ensure-indexes.js'
export { MongoIndexConflictError } from './mongo-index-conflict-error.js'
export type {
  ExpiryCondition,
  MongoDeleteResultLike,
  MongoDocumentLike,
  MongoIndexCollection,
  MongoLockCollection,
  MongoSessionCollection,
  MongoSessionFilter,
  MongoSessionUpdate,
  MongoUpdateResultLike,
} from './mongo-session-collection.js'
export type { MongoSessionDocument } from './mongo-session-document.js'
export { MongoSessionDocumentError } from './mongo-session-document-error.js'
export { MongoStore } from './mongo-store.js'
export type { MongoStoreOptions } from './mongo-store-options.js'
export { MongoWriteUnacknowledgedError } from './mongo-write-unacknowledged-error.js'
