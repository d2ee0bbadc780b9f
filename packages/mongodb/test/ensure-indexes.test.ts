import { randomKey, randomUserId, storedRecord } from '@tessera/testkit'
import { MongoClient, MongoNetworkError } from 'mongodb'
import { describe, expect, it } from 'vitest'
import {
  ensureIndexes,
  MongoIndexConflictError,
  MongoStore,
  SESSION_INDEXES,
} from '../src/index.js'
import { MONGODB_URL, uniqueName } from './backends.js'
import { FakeCollection, FakeDatabase } from './fake-collection.js'

const EXPECTED_SPECS = [
  { keys: { expiresAt: 1 }, options: { name: 'tessera_expiresAt_ttl', expireAfterSeconds: 0 } },
  { keys: { userId: 1 }, options: { name: 'tessera_userId', sparse: true } },
]
const EXPECTED_LEASE_SPECS = [
  {
    keys: { expiresAt: 1 },
    options: { name: 'tessera_lease_expiresAt_ttl', expireAfterSeconds: 0 },
  },
]
const ALL_NAMES = [SESSION_INDEXES.expiry, SESSION_INDEXES.user, SESSION_INDEXES.lease]

describe('ensureIndexes (on the fake, which records createIndex calls)', () => {
  it('creates a TTL index on expiresAt (expireAfterSeconds 0) and a sparse index on userId', async () => {
    const collection = new FakeCollection()
    expect(await ensureIndexes(collection)).toEqual(ALL_NAMES)
    expect(collection.indexes).toEqual(EXPECTED_SPECS)
    expect(collection.calls).toEqual(['createIndex', 'createIndex'])
  })

  it("and a TTL index on the lease collection: <name>_locks of the collection's db, or the one given", async () => {
    const collection = new FakeCollection()
    await ensureIndexes(collection)
    expect(collection.db.collection('sessions_locks').indexes).toEqual(EXPECTED_LEASE_SPECS)
    const other = new FakeCollection({ collectionName: 'leases' })
    const withOwn = new FakeCollection({ database: new FakeDatabase() })
    expect(await ensureIndexes(withOwn, { lockCollection: other })).toEqual(ALL_NAMES)
    expect(other.indexes).toEqual(EXPECTED_LEASE_SPECS)
    expect(withOwn.db.collection('sessions_locks').calls, 'not the default one').toEqual([])
    // A collection that does not tell its database gets the session indexes only.
    const bare = Object.assign(new FakeCollection(), { db: undefined })
    expect(await ensureIndexes(bare)).toEqual([SESSION_INDEXES.expiry, SESSION_INDEXES.user])
  })

  it('is idempotent: an identical index is left as it is', async () => {
    const collection = new FakeCollection()
    await ensureIndexes(collection)
    await ensureIndexes(collection)
    expect(collection.indexes).toEqual(EXPECTED_SPECS)
    expect(collection.db.collection('sessions_locks').indexes).toEqual(EXPECTED_LEASE_SPECS)
  })

  it('a conflicting index is a MongoIndexConflictError that says what to drop', async () => {
    const plain = new FakeCollection()
    await plain.createIndex({ expiresAt: 1 }, { name: 'expiresAt_1' }) // no TTL
    const error = await ensureIndexes(plain).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MongoIndexConflictError)
    expect(error).toMatchObject({
      code: 'MONGO_INDEX_CONFLICT',
      index: 'tessera_expiresAt_ttl',
      collectionName: 'sessions',
      cause: { code: 85 },
    })
    expect((error as Error).message).toMatch(/dropIndex/)
    const sameName = new FakeCollection()
    await sameName.createIndex({ user: 1 }, { name: 'tessera_userId' })
    await expect(ensureIndexes(sameName)).rejects.toMatchObject({
      index: 'tessera_userId',
      cause: { code: 86 },
    })
  })

  it('other errors pass through unchanged', async () => {
    const collection = new FakeCollection()
    collection.failure = new MongoNetworkError('connection closed')
    await expect(ensureIndexes(collection)).rejects.toBe(collection.failure)
  })

  it('with these indexes the TTL monitor deletes expired sessions and keeps live ones', async () => {
    const collection = new FakeCollection()
    const store = new MongoStore({ collection })
    const [expired, live] = [randomKey(), randomKey()]
    const userId = randomUserId()
    await store.set(expired, storedRecord({ expiresAt: Date.now() - 1, userId }), null)
    await store.set(live, storedRecord({ expiresAt: Date.now() + 60_000, userId }), null)
    expect(collection.runTtlMonitor(), 'no TTL index yet: nothing is deleted').toBe(0)
    await ensureIndexes(collection)
    expect(collection.runTtlMonitor()).toBe(1)
    expect(collection.documents().map((d) => d._id)).toEqual([live])
    // Leases too: one that ended (its holder crashed) goes, a running one stays.
    const leases = collection.db.collection('sessions_locks')
    const [ended, running] = [randomKey(), randomKey()]
    expect(await store.lock(ended, 1)).not.toBeNull()
    expect(await store.lock(running, 60_000)).not.toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(leases.runTtlMonitor()).toBe(1)
    expect(leases.documents().map((d) => d._id)).toEqual([running])
  })
})

// On a real server the indexes are read back with listIndexes. Without MONGODB_URL this block
// does not run: the specs are checked on the fake above, the server's handling of them is not.
if (!MONGODB_URL) {
  console.warn(
    '\n!!! ensureIndexes: NO MONGODB SERVER (MONGODB_URL is not set): the indexes are checked as createIndex calls on the fake, NOT read back from a server !!!\n',
  )
}
describe.runIf(MONGODB_URL)('ensureIndexes on the MongoDB server at MONGODB_URL', () => {
  it('the server lists both indexes with their options, and a second call changes nothing', async () => {
    const client = new MongoClient(MONGODB_URL as string, { serverSelectionTimeoutMS: 5_000 })
    const db = client.db(uniqueName('tessera_test'))
    try {
      const collection = db.collection('sessions')
      await ensureIndexes(collection)
      await ensureIndexes(collection)
      const indexes = await collection.listIndexes().toArray()
      expect(indexes.map((index) => index.name).sort()).toEqual(
        ['_id_', SESSION_INDEXES.expiry, SESSION_INDEXES.user].sort(),
      )
      expect(indexes.find((index) => index.name === SESSION_INDEXES.expiry)).toMatchObject({
        key: { expiresAt: 1 },
        expireAfterSeconds: 0,
      })
      expect(indexes.find((index) => index.name === SESSION_INDEXES.user)).toMatchObject({
        key: { userId: 1 },
        sparse: true,
      })
      const leaseIndexes = await db.collection('sessions_locks').listIndexes().toArray()
      expect(leaseIndexes.find((index) => index.name === SESSION_INDEXES.lease)).toMatchObject({
        key: { expiresAt: 1 },
        expireAfterSeconds: 0,
      })
    } finally {
      await db.dropDatabase()
      await client.close()
    }
  })
})
