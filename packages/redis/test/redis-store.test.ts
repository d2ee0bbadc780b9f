import { SessionConfigError } from '@tessera/core'
import { freePort, requireRedis, waitFor } from '@tessera/test-support'
import { randomKey, randomUserId, storedRecord } from '@tessera/testkit'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { RedisStore, RedisStoreUnavailableError } from '../src/index.js'
import { deleteKeys, uniquePrefix } from './helpers.js'

const redis = await requireRedis()

describe('RedisStore options', () => {
  it('refuses a missing client with a typed error', () => {
    expect(() => new RedisStore({ client: undefined as never })).toThrow(SessionConfigError)
  })

  it('fails at once, without queueing, while the client is disconnected', async () => {
    const port = await freePort() // nothing listens there
    const client = new Redis(port, '127.0.0.1', {
      maxRetriesPerRequest: null, // ioredis alone would queue the call until Redis returns
      retryStrategy: () => 60_000,
      lazyConnect: true,
    })
    client.on('error', () => {})
    try {
      await client.connect().catch(() => {})
      await waitFor('reconnecting', async () => client.status === 'reconnecting', 2_000)
      const store = new RedisStore({ client })
      const started = Date.now()
      const error = await store.get(randomKey()).catch((e: unknown) => e)
      expect(Date.now() - started).toBeLessThan(100)
      expect(error).toBeInstanceOf(RedisStoreUnavailableError)
      expect(error).toMatchObject({ status: 503, code: 'REDIS_NOT_CONNECTED' })
      expect((error as RedisStoreUnavailableError).clientStatus).toBe('reconnecting')
      // The message names where Redis was expected, and ends without a period of its own.
      expect((error as Error).message).toMatch(/^Redis at 127\.0\.0\.1:\d+ is not connected/)
      expect((error as Error).message).not.toMatch(/\.$/)
      await expect(store.set(randomKey(), storedRecord(), null)).rejects.toThrow(/not connected/)
    } finally {
      client.disconnect()
    }
  })
})

describe.skipIf(!redis)('RedisStore on a standalone server', () => {
  const prefix = uniquePrefix('focused')
  const client = new Redis(redis?.url ?? '', { lazyConnect: true, maxRetriesPerRequest: 1 })
  const store = new RedisStore({ client, prefix })

  afterEach(async () => {
    await deleteKeys(client, prefix)
  })
  afterAll(async () => {
    client.disconnect()
    await redis?.stop()
  })

  it('keeps the per-user index in the same script on a standalone server', () => {
    expect(store.indexInScripts).toBe(true)
  })

  it('stores a session as one hash under <prefix>sess:<key>, expiring by Redis TTL', async () => {
    const key = randomKey()
    const userId = randomUserId()
    const rec = storedRecord({ version: 3, userId, expiresAt: Date.now() + 5_000 })
    expect(await store.set(key, rec, null)).toBe(true)
    const hash = await client.hgetall(`${prefix}sess:${key}`)
    expect(hash).toEqual({
      p: rec.payload,
      v: '3',
      e: String(rec.expiresAt),
      u: userId,
    })
    const expireTime = await client.pexpiretime(`${prefix}sess:${key}`)
    expect(expireTime).toBe(rec.expiresAt)
    expect(await client.zscore(`${prefix}user:${userId}`, key)).toBe(String(rec.expiresAt))
    expect(await client.pexpiretime(`${prefix}user:${userId}`)).toBe(rec.expiresAt)
  })

  it('lets Redis drop expired sessions and their index entries itself', async () => {
    const key = randomKey()
    const userId = randomUserId()
    expect(await store.set(key, storedRecord({ userId, expiresAt: Date.now() + 150 }), null)).toBe(
      true,
    )
    await new Promise((r) => setTimeout(r, 300))
    expect(await client.exists(`${prefix}sess:${key}`, `${prefix}user:${userId}`)).toBe(0)
    expect(await store.get(key)).toBeNull()
  })

  it('touch moves the hash field, the TTL and the index score together', async () => {
    const key = randomKey()
    const userId = randomUserId()
    expect(await store.set(key, storedRecord({ userId }), null)).toBe(true)
    const later = Date.now() + 120_000
    await store.touch(key, later)
    expect(await client.hget(`${prefix}sess:${key}`, 'e')).toBe(String(later))
    expect(await client.pexpiretime(`${prefix}sess:${key}`)).toBe(later)
    expect(await client.zscore(`${prefix}user:${userId}`, key)).toBe(String(later))
    expect(await client.pexpiretime(`${prefix}user:${userId}`)).toBe(later)
    const missing = randomKey()
    await store.touch(missing, later)
    expect(await client.exists(`${prefix}sess:${missing}`)).toBe(0)
  })

  it('rounds a fractional expiry up to whole milliseconds for Redis', async () => {
    const key = randomKey()
    const expiresAt = Date.now() + 10_000.25
    expect(await store.set(key, storedRecord({ expiresAt }), null)).toBe(true)
    expect((await store.get(key))?.expiresAt).toBe(expiresAt)
    expect(await client.pexpiretime(`${prefix}sess:${key}`)).toBe(Math.ceil(expiresAt))
  })

  it('a write with a past expiry leaves nothing behind', async () => {
    const key = randomKey()
    const userId = randomUserId()
    expect(await store.set(key, storedRecord({ userId }), null)).toBe(true)
    expect(
      await store.set(key, storedRecord({ userId, version: 2, expiresAt: Date.now() - 1 }), 1),
    ).toBe(true)
    expect(await client.exists(`${prefix}sess:${key}`, `${prefix}user:${userId}`)).toBe(0)
  })

  it('destroy and destroyByUser keep the index in step', async () => {
    const userId = randomUserId()
    const keys = [randomKey(), randomKey(), randomKey()]
    for (const key of keys) expect(await store.set(key, storedRecord({ userId }), null)).toBe(true)
    await store.destroy(keys[0]!)
    expect(await client.zrange(`${prefix}user:${userId}`, 0, -1)).toHaveLength(2)
    expect(await store.destroyByUser(userId, keys[1])).toBe(1)
    expect(await client.zrange(`${prefix}user:${userId}`, 0, -1)).toEqual([keys[1]])
    expect(await store.destroyByUser(userId)).toBe(1)
    expect(await client.exists(`${prefix}user:${userId}`)).toBe(0)
  })

  it('honours ioredis keyPrefix on top of its own prefix', async () => {
    const keyPrefix = uniquePrefix('kp')
    const prefixed = new Redis(redis?.url ?? '', { keyPrefix, lazyConnect: true })
    try {
      const other = new RedisStore({ client: prefixed, prefix: 's:' })
      const key = randomKey()
      const userId = randomUserId()
      expect(await other.set(key, storedRecord({ userId }), null)).toBe(true)
      expect(await client.exists(`${keyPrefix}s:sess:${key}`)).toBe(1)
      expect(await client.zrange(`${keyPrefix}s:user:${userId}`, 0, -1)).toEqual([key])
      expect((await other.listByUser(userId)).map((s) => s.key)).toEqual([key])
      await other.destroy(key)
      expect(await client.exists(`${keyPrefix}s:sess:${key}`, `${keyPrefix}s:user:${userId}`)).toBe(
        0,
      )
    } finally {
      await deleteKeys(client, keyPrefix)
      prefixed.disconnect()
    }
  })

  it('keeps a lease as a string <prefix>lock:<key> with a PX TTL, apart from the session', async () => {
    const key = randomKey()
    const rec = storedRecord({ userId: randomUserId() })
    expect(await store.set(key, rec, null)).toBe(true)
    const before = await client.hgetall(`${prefix}sess:${key}`)
    const token = await store.lock(key, 1_500.2)
    expect(token).toMatch(/^[0-9a-f-]{36}$/)
    expect(await client.get(`${prefix}lock:${key}`)).toBe(token)
    const ttl = await client.pttl(`${prefix}lock:${key}`)
    expect(ttl).toBeGreaterThan(1_000)
    expect(ttl, 'rounded up to whole ms').toBeLessThanOrEqual(1_501)
    expect(await client.hgetall(`${prefix}sess:${key}`), 'the session is untouched').toEqual(before)
    await store.destroy(key)
    expect(await client.get(`${prefix}lock:${key}`), 'destroy leaves the lease').toBe(token)
    await store.unlock(key, token as string)
    expect(await client.exists(`${prefix}lock:${key}`)).toBe(0)
    await expect(store.lock(key, 0)).rejects.toThrow(RangeError)
    await expect(store.lock(key, Number.NaN)).rejects.toThrow(/leaseMs/)
  })

  it('recovers when the server forgets its scripts (SCRIPT FLUSH, restart)', async () => {
    const key = randomKey()
    expect(await store.set(key, storedRecord(), null)).toBe(true)
    await client.script('FLUSH')
    expect(await store.set(key, storedRecord({ version: 2 }), 1)).toBe(true)
    expect((await store.get(key))?.version).toBe(2)
  })
})
