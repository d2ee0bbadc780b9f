import type { MongoSessionDocument } from './mongo-session-document.js'

/**
 * A document, filter or update as the driver takes and returns them. The contract below is
 * typed with it, loosely on purpose: an untyped `db.collection('sessions')` is a
 * `Collection<Document>`, whose types want an `ObjectId` in `_id`, while the store's keys are
 * strings. What the store actually sends is spelled out by {@link MongoSessionFilter},
 * {@link MongoSessionUpdate} and {@link MongoSessionDocument}; what it reads back it checks
 * field by field (a document that is not a session is a `MongoSessionDocumentError`).
 */
export type MongoDocumentLike = { readonly [field: string]: unknown }

/** `{ $gt: date }` or `{ $lte: date }`: the expiry conditions the store sends. */
export type ExpiryCondition = { $gt: Date } | { $lte: Date }

// Object type aliases, not interfaces, so that they are assignable to MongoDocumentLike.

/** The filters {@link MongoStore} sends: by key, version, user and expiry, nothing else. */
export type MongoSessionFilter = {
  _id?: string | { $ne: string }
  version?: number
  userId?: string
  expiresAt?: ExpiryCondition
}

/** The updates {@link MongoStore} sends: `$set` of session fields, `$unset` of `userId`. */
export type MongoSessionUpdate = {
  $set: Partial<Omit<MongoSessionDocument, '_id'>>
  $unset?: { userId: '' }
}

/** What `updateOne` answers (the driver's `UpdateResult`); the store judges by `matchedCount`. */
export interface MongoUpdateResultLike {
  /** `false` only under write concern `w: 0`, when the counts mean nothing. */
  readonly acknowledged: boolean
  readonly matchedCount: number
  readonly upsertedCount: number
}

/** What `deleteOne` and `deleteMany` answer (the driver's `DeleteResult`). */
export interface MongoDeleteResultLike {
  readonly acknowledged: boolean
  readonly deletedCount: number
}

/**
 * The part of a `mongodb` driver `Collection` that {@link MongoStore} uses, described
 * structurally so the store's public types do not depend on the driver's declarations. A
 * `Collection` of `mongodb` 6 or 7 (`db.collection('sessions')`, typed or not) satisfies it.
 *
 * Filters are {@link MongoSessionFilter}s, updates {@link MongoSessionUpdate}s, the inserted
 * document a {@link MongoSessionDocument}.
 */
export interface MongoSessionCollection {
  /** Named in error messages. */
  readonly collectionName: string
  /** The store refuses `w: 0`: unacknowledged writes cannot tell a conflict from a success. */
  readonly writeConcern?: { readonly w?: number | string | undefined } | undefined
  /**
   * The collection's database (the driver's `collection.db`), where the store finds its
   * lease collection `<collectionName>_locks` unless `lockCollection` is given.
   */
  readonly db?: { collection(name: string): MongoLockCollection } | undefined
  findOne(filter: MongoDocumentLike): Promise<MongoDocumentLike | null>
  find(filter: MongoDocumentLike): { toArray(): Promise<MongoDocumentLike[]> }
  insertOne(document: MongoDocumentLike): Promise<{ readonly acknowledged: boolean }>
  updateOne(
    filter: MongoDocumentLike,
    update: MongoDocumentLike,
    options?: { upsert?: boolean },
  ): Promise<MongoUpdateResultLike>
  deleteOne(filter: MongoDocumentLike): Promise<MongoDeleteResultLike>
  deleteMany(filter: MongoDocumentLike): Promise<MongoDeleteResultLike>
}

/**
 * The part of a driver `Collection` that holds the exclusive-section leases of
 * {@link MongoStore} (`lock`/`unlock`): one document `{ _id: key, token, expiresAt: Date }` per
 * held key, in a collection of its own (default `<sessions>_locks` in the same database).
 */
export interface MongoLockCollection {
  readonly collectionName: string
  readonly writeConcern?: { readonly w?: number | string | undefined } | undefined
  updateOne(
    filter: MongoDocumentLike,
    update: MongoDocumentLike,
    options?: { upsert?: boolean },
  ): Promise<MongoUpdateResultLike>
  deleteOne(filter: MongoDocumentLike): Promise<MongoDeleteResultLike>
}

/** The one `Collection` method {@link ensureIndexes} uses. */
export interface MongoIndexCollection {
  readonly collectionName: string
  /** The collection's database, where {@link ensureIndexes} finds the lease collection. */
  readonly db?: { collection(name: string): MongoIndexCollection } | undefined
  createIndex(
    keys: { readonly [field: string]: 1 },
    options: { name: string; expireAfterSeconds?: number; sparse?: boolean },
  ): Promise<string>
}
