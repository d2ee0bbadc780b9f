import type { MongoLockCollection, MongoSessionCollection } from './mongo-session-collection.js'

/**
 * Options of {@link MongoStore}.
 *
 * @example
 * ```ts
 * import { createSessionEngine } from '@tessera/core'
 * import { ensureIndexes, MongoStore } from '@tessera/mongodb'
 * import { MongoClient } from 'mongodb'
 *
 * const client = new MongoClient(process.env.MONGODB_URL ?? 'mongodb://127.0.0.1:27017', {
 *   serverSelectionTimeoutMS: 2_000, // while MongoDB is unreachable, fail in 2 s (503), not 30 s
 *   socketTimeoutMS: 10_000, // never wait forever on a connection that went silent
 * })
 * const collection = client.db('app').collection('sessions')
 * await ensureIndexes(collection) // once, at deploy time
 *
 * const engine = createSessionEngine({
 *   secret: process.env.SESSION_SECRET!,
 *   store: new MongoStore({ collection }),
 * })
 * // at shutdown: the store never closes a client you passed in
 * await client.close()
 * ```
 */
export interface MongoStoreOptions {
  /**
   * A collection of the official `mongodb` driver (6 or 7), used for sessions only:
   * `client.db(name).collection('sessions')`. The store never connects or closes the client.
   * Keep its write concern acknowledged (the default; `w: 'majority'` is best) and its reads
   * on the primary (the default).
   */
  collection: MongoSessionCollection
  /**
   * Where exclusive sections (`lock`/`unlock`) keep their leases, one small document per held
   * key. Default: `<collection>_locks` in the session collection's database (found through
   * the driver's `collection.db`). Pass one only for another name, or with a driver whose
   * collections do not expose `db`; give it the TTL index with
   * `ensureIndexes(collection, { lockCollection })`.
   */
  lockCollection?: MongoLockCollection
}
