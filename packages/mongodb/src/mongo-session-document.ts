/**
 * One session as {@link MongoStore} keeps it in MongoDB. The collection holds nothing else, so
 * give the store a collection of its own.
 *
 * @example
 * ```ts
 * import { MongoClient } from 'mongodb'
 * import type { MongoSessionDocument } from '@tessera/mongodb'
 *
 * const client = new MongoClient(process.env.MONGODB_URL ?? 'mongodb://127.0.0.1:27017')
 * // Typing the collection is optional: `db.collection('sessions')` works as well.
 * const sessions = client.db('app').collection<MongoSessionDocument>('sessions')
 * ```
 */
// A type alias, not an interface: only an object type alias is assignable to the driver's
// `Document` (an index signature), which `Collection<Document>.insertOne` expects.
export type MongoSessionDocument = {
  /** The store key: a base64url SHA-256 hash of the session id, never the id itself. */
  _id: string
  /** The serialized (and, if configured, encrypted) session; opaque to the store. */
  payload: string
  /** Bumped by the engine on every write; the conditional updates compare it. */
  version: number
  /** When the session expires: a BSON Date, so the TTL index (see `ensureIndexes`) can drop it. */
  expiresAt: Date
  /** The signed-in user; absent when nobody is signed in (the userId index is sparse). */
  userId?: string
}
