import {
  type RedisServerHandle,
  redisServerInstalled,
  skipOrFail,
  startRedisServer,
} from '@tessera/test-support'
import { randomKey, storedRecord } from '@tessera/testkit'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RedisStore } from '../src/index.js'
import { countCommands, total } from './helpers.js'
import { browser, startEngineApp } from './http-app.js'

// Counts the commands the server executes per store call and per HTTP request (INFO
// commandstats), on a private redis-server so that nobody else's traffic is counted.
const installed = redisServerInstalled()
if (!installed) {
  skipOrFail(
    'Redis command-count',
    'redis-server is not installed: cannot count commands on a private server',
  )
}

describe.skipIf(!installed)('commands per operation', () => {
  let server: RedisServerHandle
  let client: Redis
  let admin: Redis
  let store: RedisStore

  beforeAll(async () => {
    server = await startRedisServer()
    client = new Redis(server.url, { maxRetriesPerRequest: 1 })
    admin = new Redis(server.url)
    store = new RedisStore({ client, prefix: 'cost:' })
    // Load the scripts on the connection once (ioredis sends EVAL the first time, then EVALSHA).
    const warm = randomKey()
    await store.set(warm, storedRecord(), null)
    await store.touch(warm, Date.now() + 60_000)
    await store.destroy(warm)
    await store.listByUser('nobody')
  })
  afterAll(async () => {
    client?.disconnect()
    admin?.disconnect()
    await server?.stop()
  })

  it('store calls: get = 1 command, set = 1, touch = 1, with or without a user', async () => {
    const key = randomKey()
    const rec = storedRecord({ userId: 'u1' })
    const created = await countCommands(admin, () => store.set(key, rec, null))
    expect(created).toEqual({ evalsha: 1 })
    const read = await countCommands(admin, () => store.get(key))
    expect(read).toEqual({ hmget: 1 })
    const updated = await countCommands(admin, () => store.set(key, { ...rec, version: 2 }, 1))
    expect(updated).toEqual({ evalsha: 1 })
    const touched = await countCommands(admin, () => store.touch(key, Date.now() + 90_000))
    expect(touched).toEqual({ evalsha: 1 })
    const destroyed = await countCommands(admin, () => store.destroy(key))
    expect(destroyed).toEqual({ evalsha: 1 })
  })

  it('a write runs one HSET and PEXPIREAT in its script, deleting only what it must', async () => {
    const key = randomKey()
    const lua = (work: () => Promise<unknown>) => countCommands(admin, work, 'lua')
    const rec = storedRecord()
    expect(await lua(() => store.set(key, rec, null))).toEqual({
      hmget: 1,
      hset: 1,
      pexpireat: 1,
    })
    expect(await lua(() => store.set(key, { ...rec, version: 2 }, 1))).toEqual({
      hmget: 1,
      hset: 1,
      pexpireat: 1,
    })
    // A record that loses its user drops that one field; the rest is overwritten in place.
    const owned = randomKey()
    await store.set(owned, storedRecord({ userId: 'u2' }), null)
    const dropped = await lua(() => store.set(owned, storedRecord({ version: 2 }), 1))
    expect(dropped).toMatchObject({ hmget: 1, hset: 1, hdel: 1, pexpireat: 1 })
    expect(dropped.del).toBeUndefined()
    expect(Object.keys(await client.hgetall(`cost:sess:${owned}`)).sort()).toEqual(['e', 'p', 'v'])
    expect((await store.get(owned))?.userId).toBeNull()
    // An expired leftover (its TTL not yet run out) is deleted before the new record is made.
    const leftover = randomKey()
    await client.hset(`cost:sess:${leftover}`, 'p', 'old', 'v', '1', 'e', '1', 'u', 'gone')
    const replaced = await lua(() => store.set(leftover, storedRecord(), null))
    expect(replaced).toMatchObject({ hmget: 1, del: 1, hset: 1, pexpireat: 1 })
    expect(Object.keys(await client.hgetall(`cost:sess:${leftover}`)).sort()).toEqual([
      'e',
      'p',
      'v',
    ])
  })

  it('HTTP requests through the engine: read-only = 1 command, changed = 2, touch = 2', async () => {
    let clock = Date.now()
    const app = await startEngineApp({
      store,
      storeTimeout: '2s',
      touchInterval: '1m',
      now: () => clock,
    })
    try {
      const alice = browser(app.url)
      const first = await countCommands(admin, () => alice.request('POST', '/inc'))
      console.info('new session, first write:', first)
      expect(first).toEqual({ evalsha: 1 })

      const reads: Array<Record<string, number>> = []
      for (let i = 0; i < 5; i++) {
        reads.push(
          await countCommands(admin, async () => {
            expect((await alice.request('GET', '/count')).body).toBe('1')
          }),
        )
      }
      console.info('read-only request:', reads[0])
      for (const read of reads) expect(read).toEqual({ hmget: 1 })

      const changed = await countCommands(admin, async () => {
        expect((await alice.request('POST', '/inc')).body).toBe('2')
      })
      console.info('changed session:', changed)
      expect(changed).toEqual({ hmget: 1, evalsha: 1 })

      clock += 2 * 60_000 // past touchInterval: the unchanged session's expiry moves once
      const touched = await countCommands(admin, () => alice.request('GET', '/count'))
      console.info('read-only request due for a touch:', touched)
      expect(touched).toEqual({ hmget: 1, evalsha: 1 })
      const after = await countCommands(admin, () => alice.request('GET', '/count'))
      expect(total(after)).toBe(1)

      const login = await countCommands(admin, () => alice.request('POST', '/login?user=alice'))
      console.info('login (regenerate + index):', login)
      const signedIn = await countCommands(admin, async () => {
        expect((await alice.request('POST', '/inc')).body).toBe('3')
      })
      console.info('changed signed-in session:', signedIn)
      expect(signedIn).toEqual({ hmget: 1, evalsha: 1 })
      const signedInRead = await countCommands(admin, () => alice.request('GET', '/count'))
      expect(signedInRead).toEqual({ hmget: 1 })
      expect((await store.listByUser('alice')).map((s) => s.userId)).toEqual(['alice'])
    } finally {
      await app.close()
    }
  })
})
