import { MongoServerError } from 'mongodb'
import type {
  MongoDeleteResultLike,
  MongoDocumentLike,
  MongoIndexCollection,
  MongoSessionCollection,
  MongoUpdateResultLike,
} from '../src/index.js'
import {
  applyUpdate,
  checkFilter,
  checkUpdate,
  copy,
  FakeCollectionUnsupportedError,
  isOperatorObject,
  matches,
  type StoredDocument,
  sameJson,
  toStored,
  toValue,
} from './fake-query.js'

// An in-memory stand-in for a `mongodb` driver Collection, for machines without a MongoDB
// server. It implements exactly the calls MongoStore and ensureIndexes make, with the
// driver's and server's semantics for them:
// - every call settles on a later macrotask (and applies in one atomic step in between), so
//   concurrent calls interleave as they do over a socket;
// - `_id` is unique: an insert or an upsert's insert of an existing `_id` rejects with the
//   driver's own `MongoServerError`, `code` 11000, as the driver throws a write error;
// - results carry the driver's fields (`acknowledged`, `matchedCount`, `modifiedCount`,
//   `upsertedCount`, `upsertedId`, `deletedCount`); an upsert counts 0 matched;
// - filters: equality on strings, numbers and Dates, `$gt`, `$lte` (same-type comparison, as
//   MongoDB's type bracketing: a Date condition never matches a number), `$ne` (also matches
//   a missing field); updates: `$set` and `$unset` of top-level fields;
// - `db.collection(name)`: the other collections of the same fake database (the store's
//   lease collection `<name>_locks`), each with its own documents, calls and indexes;
// - TTL: nothing expires by itself (the server's monitor runs about once a minute); a test
//   calls `runTtlMonitor()` to make it strike, and only TTL indexes created here count.
// Anything else (another operator, option, value type, a method the store does not use)
// throws `FakeCollectionUnsupportedError`, so a store change the fake does not model fails
// loudly instead of passing against made-up semantics.

export interface FakeCollectionOptions {
  collectionName?: string
  /** Upper bound of the random delay before a call applies and again before it answers. */
  maxLatencyMs?: number
  writeConcern?: { w?: number | string }
  /** The database the collection belongs to; default: a new one of its own. */
  database?: FakeDatabase
}

/**
 * The `db` of fake collections, as the driver's `collection.db`: `collection(name)` returns
 * the one collection of that name, created on first use with the database's latency.
 */
export class FakeDatabase {
  readonly #collections = new Map<string, FakeCollection>()
  readonly #maxLatencyMs: number | undefined

  constructor(options: { maxLatencyMs?: number } = {}) {
    this.#maxLatencyMs = options.maxLatencyMs
  }

  collection(name: string): FakeCollection {
    return (
      this.#collections.get(name) ??
      new FakeCollection({ collectionName: name, maxLatencyMs: this.#maxLatencyMs, database: this })
    )
  }

  /** Called by each collection of this database as it is made. */
  adopt(collection: FakeCollection): void {
    if (this.#collections.has(collection.collectionName)) {
      throw new FakeCollectionUnsupportedError(
        `a second collection named ${collection.collectionName} in one database`,
      )
    }
    this.#collections.set(collection.collectionName, collection)
  }
}

/** One `createIndex` call as the fake received it. */
export interface RecordedIndex {
  keys: Record<string, number>
  options: { name: string; expireAfterSeconds?: number; sparse?: boolean }
}

const INDEX_OPTIONS = new Set(['name', 'expireAfterSeconds', 'sparse'])

export class FakeCollection implements MongoSessionCollection, MongoIndexCollection {
  readonly collectionName: string
  readonly writeConcern: { w?: number | string } | undefined
  /** The collection's database, as the driver's `collection.db`. */
  readonly db: FakeDatabase
  /** Every call, in the order the store made them: `insertOne`, `updateOne`, ... */
  readonly calls: string[] = []
  /** The indexes created, besides `_id_`, in creation order. */
  readonly indexes: RecordedIndex[] = []
  /** While set, every call rejects with this error once its delay is over (a failing server). */
  failure: Error | undefined
  /** While true, calls never settle (a server that went silent mid-connection). */
  hang = false
  /** Runs just before an operation applies: lets a test act between two calls of the store. */
  beforeApply: ((operation: string) => void) | undefined
  readonly #documents = new Map<string, StoredDocument>()
  readonly #maxLatencyMs: number

  constructor(options: FakeCollectionOptions = {}) {
    this.collectionName = options.collectionName ?? 'sessions'
    this.writeConcern = options.writeConcern
    this.#maxLatencyMs = options.maxLatencyMs ?? 2
    this.db = options.database ?? new FakeDatabase({ maxLatencyMs: options.maxLatencyMs })
    this.db.adopt(this)
  }

  findOne(filter: MongoDocumentLike, options?: unknown): Promise<MongoDocumentLike | null> {
    noOptions('findOne', options)
    checkFilter(filter)
    return this.#run('findOne', () => {
      const found = this.#matching(filter)[0]
      return found ? copy(found) : null
    })
  }

  find(filter: MongoDocumentLike, options?: unknown): { toArray(): Promise<MongoDocumentLike[]> } {
    noOptions('find', options)
    checkFilter(filter)
    // A cursor runs its query when first read, like the driver's FindCursor.
    return { toArray: () => this.#run('find', () => this.#matching(filter).map(copy)) }
  }

  insertOne(document: MongoDocumentLike, options?: unknown): Promise<{ acknowledged: boolean }> {
    noOptions('insertOne', options)
    const stored = toStored(document)
    const id = stored._id
    if (typeof id !== 'string')
      throw new FakeCollectionUnsupportedError('a non-string or generated _id')
    return this.#run('insertOne', () => {
      this.#insert(id, stored)
      return { acknowledged: true, insertedId: id }
    })
  }

  updateOne(
    filter: MongoDocumentLike,
    update: MongoDocumentLike,
    options: { upsert?: boolean } = {},
  ): Promise<MongoUpdateResultLike> {
    checkFilter(filter)
    checkUpdate(update)
    for (const option of Object.keys(options)) {
      if (option !== 'upsert')
        throw new FakeCollectionUnsupportedError(`the updateOne option ${option}`)
    }
    return this.#run('updateOne', () => {
      const found = this.#matching(filter)[0]
      if (found) {
        const before = JSON.stringify(found)
        applyUpdate(found, update)
        const modified = JSON.stringify(found) === before ? 0 : 1
        return result({ matchedCount: 1, modifiedCount: modified })
      }
      if (options.upsert !== true) return result({})
      // The new document takes the filter's equality fields, then the update (as the server).
      const created: StoredDocument = {}
      for (const [field, condition] of Object.entries(filter)) {
        if (!isOperatorObject(condition)) created[field] = toValue(condition)
      }
      applyUpdate(created, update)
      const id = created._id
      if (typeof id !== 'string')
        throw new FakeCollectionUnsupportedError('an upsert without a string _id')
      this.#insert(id, created)
      return result({ upsertedCount: 1, upsertedId: id })
    })
  }

  deleteOne(filter: MongoDocumentLike, options?: unknown): Promise<MongoDeleteResultLike> {
    noOptions('deleteOne', options)
    checkFilter(filter)
    return this.#run('deleteOne', () => {
      const found = this.#matching(filter)[0]
      if (found) this.#documents.delete(found._id as string)
      return { acknowledged: true, deletedCount: found ? 1 : 0 }
    })
  }

  deleteMany(filter: MongoDocumentLike, options?: unknown): Promise<MongoDeleteResultLike> {
    noOptions('deleteMany', options)
    checkFilter(filter)
    return this.#run('deleteMany', () => {
      const found = this.#matching(filter)
      for (const document of found) this.#documents.delete(document._id as string)
      return { acknowledged: true, deletedCount: found.length }
    })
  }

  createIndex(
    keys: { readonly [field: string]: 1 },
    options: RecordedIndex['options'],
  ): Promise<string> {
    for (const [field, direction] of Object.entries(keys)) {
      if (direction !== 1 && direction !== -1)
        throw new FakeCollectionUnsupportedError(`index key ${field}: ${String(direction)}`)
    }
    for (const option of Object.keys(options)) {
      if (!INDEX_OPTIONS.has(option))
        throw new FakeCollectionUnsupportedError(`the createIndex option ${option}`)
    }
    const requested: RecordedIndex = { keys: { ...keys }, options: { ...options } }
    return this.#run('createIndex', () => {
      const sameName = this.indexes.find((index) => index.options.name === options.name)
      const sameKeys = this.indexes.find((index) => sameJson(index.keys, keys))
      if (sameName && sameJson(sameName, requested)) return options.name // exists: a no-op
      // Server error codes: 86 IndexKeySpecsConflict (same name, other spec), 85
      // IndexOptionsConflict (same keys, other name or options).
      if (sameName)
        throw serverError(
          86,
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index: ${options.name}`,
        )
      if (sameKeys)
        throw serverError(
          85,
          'IndexOptionsConflict',
          `An equivalent index already exists with a different name and options: ${sameKeys.options.name}`,
        )
      this.indexes.push(requested)
      return options.name
    })
  }

  /** One pass of the server's TTL monitor: deletes what a TTL index says has expired. */
  runTtlMonitor(now: Date = new Date()): number {
    let deleted = 0
    for (const index of this.indexes) {
      const seconds = index.options.expireAfterSeconds
      const [field] = Object.keys(index.keys)
      if (seconds === undefined || field === undefined) continue
      for (const [id, document] of this.#documents) {
        const value = document[field]
        if (value instanceof Date && value.getTime() + seconds * 1000 <= now.getTime()) {
          this.#documents.delete(id)
          deleted++
        }
      }
    }
    return deleted
  }

  /** Copies of the stored documents, to check their layout. */
  documents(): StoredDocument[] {
    return [...this.#documents.values()].map(copy)
  }

  /** Stores a document as it is, bypassing the store (e.g. one the store did not write). */
  seed(document: StoredDocument): void {
    this.#documents.set(document._id as string, copy(document))
  }

  async #run<T>(operation: string, apply: () => T): Promise<T> {
    this.calls.push(operation)
    await this.#latency()
    if (this.hang) await new Promise<never>(() => {})
    if (this.failure) throw this.failure
    this.beforeApply?.(operation)
    const answer = apply() // synchronous: one atomic step, as a single-document write is
    await this.#latency()
    return answer
  }

  #latency(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.random() * this.#maxLatencyMs))
  }

  #matching(filter: MongoDocumentLike): StoredDocument[] {
    return [...this.#documents.values()].filter((document) => matches(document, filter))
  }

  #insert(id: string, document: StoredDocument): void {
    if (this.#documents.has(id)) {
      throw serverError(
        11000,
        undefined,
        `E11000 duplicate key error collection: test.${this.collectionName} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`,
        { keyPattern: { _id: 1 }, keyValue: { _id: id } },
      )
    }
    this.#documents.set(id, document)
  }
}

/** A write error as the driver throws it: `new MongoServerError(writeErrors[0])`. */
function serverError(
  code: number,
  codeName: string | undefined,
  errmsg: string,
  extra = {},
): MongoServerError {
  return new MongoServerError({
    index: 0,
    code,
    ...(codeName ? { codeName } : {}),
    errmsg,
    ...extra,
  })
}

function result(
  counts: Partial<{
    matchedCount: number
    modifiedCount: number
    upsertedCount: number
    upsertedId: string
  }>,
) {
  return {
    acknowledged: true,
    matchedCount: 0,
    modifiedCount: 0,
    upsertedCount: 0,
    upsertedId: null,
    ...counts,
  }
}

function noOptions(method: string, options: unknown): void {
  if (options !== undefined) throw new FakeCollectionUnsupportedError(`options of ${method}`)
}

export { FakeCollectionUnsupportedError }
