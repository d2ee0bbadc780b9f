import { SessionConfigError, type StoredSession } from '@tessera/core'
import { randomKey, randomUserId, storedRecord } from '@tessera/testkit'
import { MongoClient, MongoServerError } from 'mongodb'
import { MongoClient as MongoClient7, MongoServerError as MongoServerError7 } from 'mongodb-v7'
import { describe, expect, it } from 'vitest'
import {
  ensureIndexes,
  type MongoSessionDocument,
  MongoSessionDocumentError,
  MongoStore,
  MongoWriteUnacknowledgedError,
} from '../src/index.js'
import { isDuplicateKeyError } from '../src/is-duplicate-key-error.js'
import { FakeCollection } from './fake-collection.js'

// What the store writes and how it treats expired documents, on the fake: it shows the
// documents and the calls, which a real server does not.

const hour = () => Date.now() + 3_600_000
/** Writes a session that expires at once and waits past its expiry; returns its key. */
async function expiredSession(store: MongoStore, fields: Partial<StoredSession> = {}) {
  const key = randomKey()
  expect(await store.set(key, storedRecord({ ...fields, expiresAt: Date.now() + 20 }), null)).toBe(
    true,
  )
  await new Promise((resolve) => setTimeout(resolve, 50))
  return key
}

async function storeOnFake() {
  const collection = new FakeCollection()
  await ensureIndexes(collection)
  collection.calls.length = 0
  return { collection, store: new MongoStore({ collection }) }
}

describe('documents', () => {
  it('are { _id: key, payload, version, expiresAt: Date, userId }; signed out, no userId field', async () => {
    const { collection, store } = await storeOnFake()
    const key = randomKey()
    const userId = randomUserId()
    const signedIn = storedRecord({ version: 1, userId })
    expect(await store.set(key, signedIn, null)).toBe(true)
    expect(collection.documents()).toEqual([
      {
        _id: key,
        payload: signedIn.payload,
        version: 1,
        expiresAt: new Date(signedIn.expiresAt),
        userId,
      },
    ])
    expect(collection.documents()[0]?.expiresAt).toBeInstanceOf(Date)
    const signedOut = storedRecord({ version: 2, userId: null })
    expect(await store.set(key, signedOut, 1)).toBe(true)
    const [document] = collection.documents()
    expect(document).not.toHaveProperty('userId') // stays out of the sparse index
    expect(document).toMatchObject({ _id: key, version: 2, payload: signedOut.payload })
  })

  it('a document that is not a session is a MongoSessionDocumentError naming the field', async () => {
    const { collection, store } = await storeOnFake()
    const key = randomKey()
    collection.seed({ _id: key, payload: 42, version: 1, expiresAt: new Date(hour()) })
    const error = await store.get(key).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MongoSessionDocumentError)
    expect(error).toMatchObject({
      code: 'MONGO_SESSION_DOCUMENT_INVALID',
      field: 'payload',
      key,
      collectionName: 'sessions',
    })
    expect((error as Error).message).toMatch(/collection of its own/)
    const other = randomKey()
    collection.seed({ _id: other, payload: '{}', version: 'one', expiresAt: new Date(hour()) })
    await expect(store.get(other)).rejects.toMatchObject({ field: 'version' })
    // A number where a Date belongs never matches `expiresAt: { $gt: <Date> }` (MongoDB
    // compares values of one BSON type only): such a document is invisible, not an error.
    const numeric = randomKey()
    collection.seed({ _id: numeric, payload: '{}', version: 1, expiresAt: hour() })
    expect(await store.get(numeric)).toBeNull()
  })
})

describe('expired documents', () => {
  it('stay invisible to get, touch and listByUser until the TTL monitor deletes them', async () => {
    const { collection, store } = await storeOnFake()
    const key = randomKey()
    const userId = randomUserId()
    expect(await store.set(key, storedRecord({ userId, expiresAt: Date.now() + 40 }), null)).toBe(
      true,
    )
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(collection.documents()).toHaveLength(1) // still stored: the monitor has not run
    expect(await store.get(key)).toBeNull()
    await store.touch(key, hour())
    expect(await store.get(key), 'touch must not revive it').toBeNull()
    expect(await store.listByUser(userId)).toEqual([])
    expect(await store.destroyByUser(userId), 'an expired session is not counted').toBe(0)
    expect(collection.runTtlMonitor()).toBe(1)
    expect(collection.documents()).toEqual([])
  })

  it('are replaced in place by a create-only set: insertOne, then one conditional updateOne', async () => {
    const { collection, store } = await storeOnFake()
    const key = await expiredSession(store, { userId: 'old-user' })
    collection.calls.length = 0
    const fresh = storedRecord({ version: 1, userId: null })
    expect(await store.set(key, fresh, null)).toBe(true)
    expect(collection.calls).toEqual(['insertOne', 'updateOne'])
    expect(collection.documents()).toHaveLength(1)
    expect(collection.documents()[0]).not.toHaveProperty('userId') // the old user's id is gone
    expect(await store.get(key)).toEqual(fresh)
  })

  it('deleted by the TTL monitor between the two calls: the upsert inserts, the write wins', async () => {
    const { collection, store } = await storeOnFake()
    const key = await expiredSession(store)
    collection.beforeApply = (operation) => {
      if (operation === 'updateOne') expect(collection.runTtlMonitor()).toBe(1)
    }
    const fresh = storedRecord()
    expect(await store.set(key, fresh, null)).toBe(true)
    expect(await store.get(key)).toEqual(fresh)
  })

  it('raced by 50 creators: exactly one wins, one document, the winner stored', async () => {
    const { collection, store } = await storeOnFake()
    const key = await expiredSession(store)
    const records = Array.from({ length: 50 }, (_, i) => storedRecord({ payload: `creator-${i}` }))
    const won = await Promise.all(records.map((rec) => store.set(key, rec, null)))
    expect(won.filter(Boolean)).toHaveLength(1)
    expect(collection.documents()).toHaveLength(1)
    expect(await store.get(key)).toEqual(records[won.indexOf(true)])
  })
})

describe('costs', () => {
  it('one call per operation; a create-only set on a free key is one insertOne', async () => {
    const { collection, store } = await storeOnFake()
    const key = randomKey()
    const userId = randomUserId()
    expect(await store.set(key, storedRecord({ userId }), null)).toBe(true)
    await store.get(key)
    expect(await store.set(key, storedRecord({ version: 2, userId }), 1)).toBe(true)
    await store.touch(key, hour())
    await store.listByUser(userId)
    await store.destroyByUser(userId, key)
    await store.destroy(key)
    expect(collection.calls).toEqual([
      'insertOne',
      'findOne',
      'updateOne',
      'updateOne',
      'find',
      'deleteMany',
      'deleteOne',
    ])
  })

  it('a create-only set on a live key: insertOne, updateOne, both refused', async () => {
    const { collection, store } = await storeOnFake()
    const key = randomKey()
    const first = storedRecord()
    expect(await store.set(key, first, null)).toBe(true)
    collection.calls.length = 0
    expect(await store.set(key, storedRecord(), null)).toBe(false)
    expect(collection.calls).toEqual(['insertOne', 'updateOne'])
    expect(await store.get(key)).toEqual(first)
  })
})

describe('write concern and configuration', () => {
  it('refuses a collection whose write concern is w: 0', () => {
    const collection = new FakeCollection({ writeConcern: { w: 0 } })
    expect(() => new MongoStore({ collection })).toThrow(SessionConfigError)
    expect(() => new MongoStore({ collection })).toThrow(/w: 0/)
    expect(
      () => new MongoStore({ collection: new FakeCollection({ writeConcern: { w: 'majority' } }) }),
    ).not.toThrow()
  })

  it('an unacknowledged write result is a MongoWriteUnacknowledgedError, never a guess', async () => {
    class Unacknowledged extends FakeCollection {
      override async insertOne(document: Parameters<FakeCollection['insertOne']>[0]) {
        await super.insertOne(document)
        return { acknowledged: false }
      }
    }
    const store = new MongoStore({ collection: new Unacknowledged() })
    await expect(store.set(randomKey(), storedRecord(), null)).rejects.toBeInstanceOf(
      MongoWriteUnacknowledgedError,
    )
  })

  it('refuses what is not a collection, with a hint', () => {
    for (const collection of [undefined, null, {}, 'sessions']) {
      expect(() => new MongoStore({ collection } as never)).toThrow(/collection\('sessions'\)/)
    }
  })

  it('accepts the Collection of mongodb 6 and 7 without connecting, and refuses their w: 0', async () => {
    const client6 = new MongoClient('mongodb://127.0.0.1:9', { serverSelectionTimeoutMS: 100 })
    const client7 = new MongoClient7('mongodb://127.0.0.1:9', { serverSelectionTimeoutMS: 100 })
    try {
      // Untyped (`Collection<Document>`, whose types want an ObjectId `_id`) and typed
      // collections of both majors satisfy MongoSessionCollection: this file type-checks.
      const typed = [
        client6.db('app').collection<MongoSessionDocument>('sessions'),
        client7.db('app').collection<MongoSessionDocument>('sessions'),
      ]
      for (const collection of typed)
        expect(new MongoStore({ collection })).toBeInstanceOf(MongoStore)
      for (const db of [client6.db('app'), client7.db('app')]) {
        expect(new MongoStore({ collection: db.collection('sessions') }).collectionName).toBe(
          'sessions',
        )
        const unacknowledged = db.collection('sessions', { writeConcern: { w: 0 } })
        expect(() => new MongoStore({ collection: unacknowledged })).toThrow(SessionConfigError)
      }
    } finally {
      await Promise.all([client6.close(), client7.close()])
    }
  })

  it('recognises the duplicate-key errors of both driver majors by code', () => {
    for (const ServerError of [MongoServerError, MongoServerError7]) {
      expect(isDuplicateKeyError(new ServerError({ code: 11000, errmsg: 'E11000 dup' }))).toBe(true)
      expect(isDuplicateKeyError(new ServerError({ code: 11001, errmsg: 'other' }))).toBe(false)
    }
    expect(isDuplicateKeyError(null)).toBe(false)
  })
})
