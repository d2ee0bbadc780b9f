import { SessionConfigError } from '@tessera/core'
import { randomKey, storedRecord } from '@tessera/testkit'
import { MongoClient } from 'mongodb'
import { MongoClient as MongoClient7 } from 'mongodb-v7'
import { describe, expect, it } from 'vitest'
import { MongoStore, MongoWriteUnacknowledgedError } from '../src/index.js'
import { FakeCollection } from './fake-collection.js'

// Exclusive-section leases beyond the conformance cases, on the fake: where they are kept,
// the calls they cost, and how a store without a lease collection says so.

function storeOnFake() {
  const collection = new FakeCollection()
  const leases = collection.db.collection('sessions_locks')
  return { collection, leases, store: new MongoStore({ collection }) }
}

describe('leases', () => {
  it('are { _id: key, token, expiresAt: Date } in <collection>_locks, never among sessions', async () => {
    const { collection, leases, store } = storeOnFake()
    const key = randomKey()
    const rec = storedRecord()
    expect(await store.set(key, rec, null)).toBe(true)
    collection.calls.length = 0
    const before = Date.now()
    const token = await store.lock(key, 1_000.5)
    expect(token).toMatch(/^[0-9a-f-]{36}$/)
    const [lease] = leases.documents()
    expect(lease).toEqual({ _id: key, token, expiresAt: expect.any(Date) })
    const expiresAt = (lease as { expiresAt: Date }).expiresAt.getTime()
    expect(expiresAt).toBeGreaterThanOrEqual(before + 1_001) // rounded up to whole ms
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 1_001)
    expect(collection.calls, 'the session collection is not touched').toEqual([])
    expect(await store.get(key)).toEqual(rec)
    await store.destroy(key)
    expect(leases.documents(), 'destroy leaves the lease').toHaveLength(1)
    await store.unlock(key, token as string)
    expect(leases.documents()).toEqual([])
  })

  it('cost one updateOne to take or refuse, one deleteOne to end; an expired one is taken over', async () => {
    const { leases, store } = storeOnFake()
    const key = randomKey()
    const stale = await store.lock(key, 20)
    expect(leases.calls).toEqual(['updateOne'])
    expect(await store.lock(key, 1_000), 'held: the upsert hits the _id index').toBeNull()
    expect(leases.calls).toEqual(['updateOne', 'updateOne'])
    await new Promise((resolve) => setTimeout(resolve, 40))
    const fresh = await store.lock(key, 1_000)
    expect(fresh).not.toBeNull()
    expect(leases.documents()).toEqual([{ _id: key, token: fresh, expiresAt: expect.any(Date) }])
    await store.unlock(key, stale as string)
    expect(leases.documents(), "the expired holder's unlock matches nothing").toHaveLength(1)
    await store.unlock(key, fresh as string)
    expect(leases.calls.slice(3)).toEqual(['deleteOne', 'deleteOne'])
    expect(leases.documents()).toEqual([])
    await expect(store.lock(key, -1)).rejects.toThrow(RangeError)
  })

  it('go to lockCollection when given one', async () => {
    const collection = new FakeCollection()
    const lockCollection = new FakeCollection({ collectionName: 'my_leases' })
    const store = new MongoStore({ collection, lockCollection })
    const token = await store.lock(randomKey(), 1_000)
    expect(lockCollection.documents()).toHaveLength(1)
    expect(lockCollection.documents()[0]?.token).toBe(token)
    expect(collection.db.collection('sessions_locks').calls).toEqual([])
  })

  it('without a lease collection, lock and unlock fail with a SessionConfigError; the rest works', async () => {
    const collection = Object.assign(new FakeCollection(), { db: undefined })
    const store = new MongoStore({ collection })
    const key = randomKey()
    expect(await store.set(key, storedRecord(), null)).toBe(true)
    for (const call of [() => store.lock(key, 1_000), () => store.unlock(key, 'token')]) {
      const error = await call().then(
        () => expect.fail('should fail'),
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(SessionConfigError)
      expect(error).toMatchObject({ option: 'lockCollection' })
      expect((error as Error).message).toContain("lockCollection: db.collection('sessions_locks')")
    }
    expect(await store.get(key)).not.toBeNull()
  })

  it('refuse a lease collection with w: 0, and an unacknowledged result', async () => {
    const collection = new FakeCollection()
    const unacknowledged = new FakeCollection({ collectionName: 'l', writeConcern: { w: 0 } })
    const store = new MongoStore({ collection, lockCollection: unacknowledged })
    await expect(store.lock(randomKey(), 1_000)).rejects.toThrow(/w: 0/)
    class Unacknowledged extends FakeCollection {
      override async deleteOne(filter: Parameters<FakeCollection['deleteOne']>[0]) {
        await super.deleteOne(filter)
        return { acknowledged: false, deletedCount: 0 }
      }
    }
    const leases = new Unacknowledged({ collectionName: 'leases' })
    const other = new MongoStore({ collection: new FakeCollection(), lockCollection: leases })
    const key = randomKey()
    const token = await other.lock(key, 1_000)
    const error = await other.unlock(key, token as string).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(MongoWriteUnacknowledgedError)
    expect(error).toMatchObject({ collectionName: 'leases' })
  })

  it("find <collection>_locks through the driver's collection.db (mongodb 6 and 7)", async () => {
    const client6 = new MongoClient('mongodb://127.0.0.1:9', { serverSelectionTimeoutMS: 100 })
    const client7 = new MongoClient7('mongodb://127.0.0.1:9', { serverSelectionTimeoutMS: 100 })
    try {
      for (const db of [client6.db('app'), client7.db('app')]) {
        const store = new MongoStore({ collection: db.collection('sessions') })
        // Nothing listens there: the call reaches the driver (no SessionConfigError about a
        // missing lease collection) and fails on server selection.
        const error = await store.lock(randomKey(), 1_000).catch((e: unknown) => e)
        expect(error).not.toBeInstanceOf(SessionConfigError)
        expect((error as Error).name).toBe('MongoServerSelectionError')
      }
    } finally {
      await Promise.all([client6.close(), client7.close()])
    }
  })
})
