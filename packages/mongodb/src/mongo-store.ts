import { randomUUID } from 'node:crypto'
import {
  type KeyedStoredSession,
  SessionConfigError,
  type SessionStore,
  type StoredSession,
} from '@tessera/core'
import { lockCollectionName } from './ensure-indexes.js'
import { isDuplicateKeyError } from './is-duplicate-key-error.js'
import type {
  MongoDeleteResultLike,
  MongoDocumentLike,
  MongoLockCollection,
  MongoSessionCollection,
  MongoSessionFilter,
  MongoSessionUpdate,
  MongoUpdateResultLike,
} from './mongo-session-collection.js'
import type { MongoSessionDocument } from './mongo-session-document.js'
import { MongoSessionDocumentError } from './mongo-session-document-error.js'
import type { MongoStoreOptions } from './mongo-store-options.js'
import { MongoWriteUnacknowledgedError } from './mongo-write-unacknowledged-error.js'

/**
 * {@link MongoSessionCollection} as the store calls it: the same methods, with the exact
 * filters, updates and documents it sends, so the compiler checks them. Any
 * `MongoSessionCollection` is one.
 */
interface SessionCollection extends MongoSessionCollection {
  findOne(filter: MongoSessionFilter): Promise<MongoDocumentLike | null>
  find(filter: MongoSessionFilter): { toArray(): Promise<MongoDocumentLike[]> }
  insertOne(document: MongoSessionDocument): Promise<{ readonly acknowledged: boolean }>
  updateOne(
    filter: MongoSessionFilter,
    update: MongoSessionUpdate,
    options?: { upsert: true },
  ): Promise<MongoUpdateResultLike>
  deleteOne(filter: { _id: string }): Promise<MongoDeleteResultLike>
  deleteMany(filter: MongoSessionFilter): Promise<MongoDeleteResultLike>
}

/** What a lease document holds besides its `_id` (the session key). */
type LeaseFields = { token: string; expiresAt: Date }

/** {@link MongoLockCollection} as the store calls it, with the exact filters and updates. */
interface LeaseCollection extends MongoLockCollection {
  updateOne(
    filter: { _id: string; expiresAt: { $lte: Date } },
    update: { $set: LeaseFields },
    options: { upsert: true },
  ): Promise<MongoUpdateResultLike>
  deleteOne(filter: { _id: string; token: string }): Promise<MongoDeleteResultLike>
}

/**
 * A Tessera session store on MongoDB through the official `mongodb` driver: one document
 * per session, `{ _id: key, payload, version, expiresAt: Date, userId? }`.
 *
 * - Conditional writes are single-document operations judged by the server: create-only is
 *   an `insertOne` (duplicate key = conflict), a versioned write an `updateOne` whose filter
 *   holds the expected version and `expiresAt > now`, judged by `matchedCount`.
 * - Expiry is MongoDB's own: the TTL index {@link ensureIndexes} creates deletes expired
 *   sessions. Its monitor runs about once a minute, so every read filters by `expiresAt`
 *   itself, and an expired document counts as absent for writes too.
 * - `listByUser` and `destroyByUser` go through the sparse `userId` index.
 * - Exclusive-section leases (`lock`/`unlock`) are documents `{ _id: key, token, expiresAt }`
 *   in a collection of their own (`<collection>_locks` by default), never in the sessions'.
 *
 * Driver errors (network, server selection, timeouts) are not caught: the engine turns
 * them into a `SessionStoreError` (503). The store never closes the client.
 *
 * @example
 * ```ts
 * const store = new MongoStore({ collection: client.db('app').collection('sessions') })
 * const engine = createSessionEngine({ secret, store })
 * ```
 */
export class MongoStore implements SessionStore {
  /** The collection this store uses. */
  readonly collectionName: string
  readonly #collection: SessionCollection
  /** `undefined` when neither `lockCollection` nor the driver's `collection.db` gives one. */
  readonly #leases: LeaseCollection | undefined

  constructor(options: MongoStoreOptions) {
    const collection: unknown = options?.collection
    if (
      typeof collection !== 'object' ||
      collection === null ||
      typeof (collection as MongoSessionCollection).findOne !== 'function' ||
      typeof (collection as MongoSessionCollection).updateOne !== 'function'
    ) {
      throw new SessionConfigError(
        'collection',
        "pass a collection of the mongodb driver, e.g. `new MongoStore({ collection: client.db('app').collection('sessions') })`.",
      )
    }
    this.#collection = collection as MongoSessionCollection
    this.collectionName = this.#collection.collectionName
    if (this.#collection.writeConcern?.w === 0) {
      throw new SessionConfigError(
        'collection',
        `the write concern of "${this.collectionName}" is w: 0; unacknowledged writes cannot tell a conflict from a success. Use the default (w: 'majority') or w: 1.`,
      )
    }
    // Getting a collection of the database sends nothing to the server.
    this.#leases = (options.lockCollection ??
      this.#collection.db?.collection(lockCollectionName(this.#collection))) as
      | LeaseCollection
      | undefined
  }

  async get(key: string): Promise<StoredSession | null> {
    const document = await this.#collection.findOne({ _id: key, expiresAt: { $gt: new Date() } })
    return document ? this.#toStored(key, document) : null
  }

  async set(key: string, record: StoredSession, expected: number | null): Promise<boolean> {
    checkKey(key)
    const document = toDocument(key, record)
    const now = new Date()
    if (expected !== null) {
      // The expiry condition makes an expired document count as absent: it cannot be updated.
      const result = await this.#collection.updateOne(
        { _id: key, version: expected, expiresAt: { $gt: now } },
        toUpdate(document),
      )
      this.#checkAcknowledged(result)
      return result.matchedCount === 1
    }
    try {
      this.#checkAcknowledged(await this.#collection.insertOne(document))
      return true
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error
    }
    // The key exists. If it has expired it counts as absent: replace it with one atomic
    // update whose filter matches only an expired document. If the TTL monitor deleted it in
    // the meantime, the upsert inserts. If it is live (or a concurrent creator just replaced
    // or inserted it), the filter does not match and the upsert's insert hits the `_id`
    // index: duplicate key, a conflict. `_id` is unique, so a key never has two documents.
    try {
      const result = await this.#collection.updateOne(
        { _id: key, expiresAt: { $lte: now } },
        toUpdate(document),
        { upsert: true },
      )
      this.#checkAcknowledged(result)
      return result.matchedCount + result.upsertedCount === 1
    } catch (error) {
      if (isDuplicateKeyError(error)) return false
      throw error
    }
  }

  async touch(key: string, expiresAt: number): Promise<void> {
    const result = await this.#collection.updateOne(
      { _id: key, expiresAt: { $gt: new Date() } },
      { $set: { expiresAt: toDate(expiresAt) } },
    )
    this.#checkAcknowledged(result)
  }

  async destroy(key: string): Promise<void> {
    this.#checkAcknowledged(await this.#collection.deleteOne({ _id: key }))
  }

  async listByUser(userId: string): Promise<KeyedStoredSession[]> {
    if (typeof userId !== 'string') return []
    const documents = await this.#collection
      .find({ userId, expiresAt: { $gt: new Date() } })
      .toArray()
    return documents.map((document) => {
      const key = document._id
      if (typeof key !== 'string') {
        throw new MongoSessionDocumentError(this.collectionName, String(key), '_id', key)
      }
      return { key, ...this.#toStored(key, document) }
    })
  }

  /** Deletes the user's live sessions but `exceptKey`; expired ones are left to the TTL index. */
  async destroyByUser(userId: string, exceptKey?: string): Promise<number> {
    if (typeof userId !== 'string') return 0
    const filter: MongoSessionFilter = { userId, expiresAt: { $gt: new Date() } }
    if (exceptKey !== undefined) filter._id = { $ne: exceptKey }
    const result = await this.#collection.deleteMany(filter)
    this.#checkAcknowledged(result)
    return result.deletedCount
  }

  /**
   * Takes the exclusive lease on `key` for `leaseMs`: one upsert whose filter matches only an
   * expired lease. No lease document: the upsert inserts. A running one: the filter does not
   * match and the insert hits the `_id` index (duplicate key), so the lease is held.
   */
  async lock(key: string, leaseMs: number): Promise<string | null> {
    checkKey(key)
    if (!(typeof leaseMs === 'number' && Number.isFinite(leaseMs) && leaseMs > 0)) {
      throw new RangeError(
        `lock() needs leaseMs, a positive finite number of milliseconds; got ${String(leaseMs)}.`,
      )
    }
    const leases = this.#leaseCollection()
    const token = randomUUID()
    const now = new Date()
    // A BSON Date holds whole milliseconds: round up, so a lease never ends early.
    const expiresAt = new Date(now.getTime() + Math.ceil(leaseMs))
    try {
      const result = await leases.updateOne(
        { _id: key, expiresAt: { $lte: now } },
        { $set: { token, expiresAt } },
        { upsert: true },
      )
      this.#checkAcknowledged(result, leases.collectionName)
      return result.matchedCount + result.upsertedCount === 1 ? token : null
    } catch (error) {
      if (isDuplicateKeyError(error)) return null
      throw error
    }
  }

  /** Ends the lease `token` holds on `key`: deletes its document only if it holds `token`. */
  async unlock(key: string, token: string): Promise<void> {
    if (typeof token !== 'string') return
    const leases = this.#leaseCollection()
    this.#checkAcknowledged(await leases.deleteOne({ _id: key, token }), leases.collectionName)
  }

  #leaseCollection(): LeaseCollection {
    const leases = this.#leases
    if (leases === undefined) {
      throw new SessionConfigError(
        'lockCollection',
        `exclusive sections need a lease collection, and the collection "${this.collectionName}" does not tell its database (no \`collection.db\`). Pass one: \`new MongoStore({ collection, lockCollection: db.collection('${lockCollectionName(this.#collection)}') })\`.`,
      )
    }
    if (leases.writeConcern?.w === 0) {
      throw new SessionConfigError(
        'lockCollection',
        `the write concern of "${leases.collectionName}" is w: 0; unacknowledged writes cannot tell a taken lease from a held one. Use the default (w: 'majority') or w: 1.`,
      )
    }
    return leases
  }

  #checkAcknowledged(result: { readonly acknowledged: boolean }, collectionName?: string): void {
    if (result.acknowledged === false) {
      throw new MongoWriteUnacknowledgedError(collectionName ?? this.collectionName)
    }
  }

  #toStored(key: string, document: MongoDocumentLike): StoredSession {
    const { payload, expiresAt, userId } = document
    const version = toNumber(document.version)
    const invalid = (field: string, found: unknown) =>
      new MongoSessionDocumentError(this.collectionName, key, field, found)
    if (typeof payload !== 'string') throw invalid('payload', payload)
    if (!Number.isSafeInteger(version)) throw invalid('version', document.version)
    if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
      throw invalid('expiresAt', expiresAt)
    }
    if (userId !== undefined && userId !== null && typeof userId !== 'string') {
      throw invalid('userId', userId)
    }
    return { payload, version, expiresAt: expiresAt.getTime(), userId: userId ?? null }
  }
}

/** A number, or the driver's `Int32`/`Double`/`Long` wrapper (under `promoteValues: false`). */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'object' && value !== null) return Number(value)
  return Number.NaN
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError(`Session key must be a non-empty string; got ${JSON.stringify(key)}.`)
  }
}

function toDocument(key: string, record: StoredSession): MongoSessionDocument {
  if (typeof record.payload !== 'string') {
    throw new TypeError(`Session payload must be a string; got ${typeof record.payload}.`)
  }
  if (!Number.isSafeInteger(record.version)) {
    throw new TypeError(`Session version must be a safe integer; got ${String(record.version)}.`)
  }
  const userId = record.userId ?? null
  if (userId !== null && typeof userId !== 'string') {
    throw new TypeError(`Session userId must be a string or null; got ${typeof userId}.`)
  }
  const document: MongoSessionDocument = {
    _id: key,
    payload: record.payload,
    version: record.version,
    expiresAt: toDate(record.expiresAt),
  }
  if (userId !== null) document.userId = userId
  return document
}

/** `$set` of every session field; a signed-out session loses its `userId` field (sparse index). */
function toUpdate({ _id, ...fields }: MongoSessionDocument): MongoSessionUpdate {
  return fields.userId === undefined ? { $set: fields, $unset: { userId: '' } } : { $set: fields }
}

/** A BSON Date for the TTL index; milliseconds since the epoch, whole (a Date drops fractions). */
function toDate(ms: number): Date {
  const date = new Date(ms)
  if (typeof ms !== 'number' || Number.isNaN(date.getTime())) {
    throw new TypeError(`Session expiresAt must be a finite number of milliseconds; got ${ms}.`)
  }
  return date
}
