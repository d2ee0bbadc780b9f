import { MongoServerError } from 'mongodb'
import { describe, expect, it } from 'vitest'
import { FakeCollection, FakeCollectionUnsupportedError } from './fake-collection.js'

// The fake is only worth its run if it refuses what it does not model and answers what it
// does as the driver would: these pin both down.

describe('FakeCollection', () => {
  it('refuses operators, options, values and update styles it does not model', async () => {
    const fake = new FakeCollection()
    const refusals: Array<() => unknown> = [
      () => fake.findOne({ expiresAt: { $gte: new Date() } }),
      () => fake.findOne({ _id: 'a' }, { projection: { payload: 1 } }),
      () => fake.findOne({ $or: [{ _id: 'a' }] }),
      () => fake.findOne({ userId: null }),
      () => fake.find({ _id: { $gt: 'a' } }),
      () => fake.insertOne({ _id: 'a', payload: undefined }),
      () => fake.insertOne({ payload: 'no _id' }),
      () => fake.updateOne({ _id: 'a' }, { payload: 'replacement' }),
      () => fake.updateOne({ _id: 'a' }, { $inc: { version: 1 } }),
      () => fake.updateOne({ _id: 'a' }, { $set: { _id: 'b' } }),
      () =>
        fake.updateOne({ _id: 'a' }, { $set: { version: 2 } }, { upsert: true, sort: {} } as never),
      () => fake.deleteMany({ userId: 'u' }, { limit: 1 }),
      () => fake.createIndex({ userId: 1 }, { name: 'u', unique: true } as never),
    ]
    for (const refusal of refusals) expect(refusal).toThrow(FakeCollectionUnsupportedError)
    expect('replaceOne' in fake, 'a method the store does not call does not exist').toBe(false)
  })

  it('answers like the driver: results, the duplicate-key MongoServerError, upserts', async () => {
    const fake = new FakeCollection()
    expect(await fake.insertOne({ _id: 'a', version: 1 })).toEqual({
      acknowledged: true,
      insertedId: 'a',
    })
    const duplicate = await fake.insertOne({ _id: 'a', version: 2 }).catch((e: unknown) => e)
    expect(duplicate).toBeInstanceOf(MongoServerError)
    expect(duplicate).toMatchObject({ code: 11000, keyValue: { _id: 'a' } })
    expect(await fake.updateOne({ _id: 'a', version: 1 }, { $set: { version: 1 } })).toEqual({
      acknowledged: true,
      matchedCount: 1,
      modifiedCount: 0, // matched, but nothing changed
      upsertedCount: 0,
      upsertedId: null,
    })
    expect(
      await fake.updateOne({ _id: 'b', version: 9 }, { $set: { payload: 'p' } }, { upsert: true }),
    ).toMatchObject({ matchedCount: 0, upsertedCount: 1, upsertedId: 'b' })
    expect(fake.documents()).toContainEqual({ _id: 'b', version: 9, payload: 'p' }) // equality fields kept
    await expect(
      fake.updateOne({ _id: 'a', version: 7 }, { $set: { version: 8 } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 11000 }) // no match, and the upsert's insert hits _id
    expect(await fake.deleteMany({ version: { $gt: 0 } })).toEqual({
      acknowledged: true,
      deletedCount: 2,
    })
  })

  it('compares within one BSON type, and $ne matches a missing field', async () => {
    const fake = new FakeCollection()
    const now = new Date()
    await fake.insertOne({ _id: 'date', at: new Date(now.getTime() + 1000) })
    await fake.insertOne({ _id: 'number', at: now.getTime() + 1000 })
    expect((await fake.find({ at: { $gt: now } }).toArray()).map((d) => d._id)).toEqual(['date'])
    expect((await fake.find({ at: { $gt: 0 } }).toArray()).map((d) => d._id)).toEqual(['number'])
    expect(await fake.find({ userId: { $ne: 'x' } }).toArray()).toHaveLength(2)
  })
})
